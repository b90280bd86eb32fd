/**
 * The engine's stand-in for n8n's Edit Fields node (`n8n-nodes-base.set`, versions 3.3 and 3.4, "Manual
 * Mapping"): only what our workflows and the engine tests use. Anything else it refuses by name.
 *
 * Why a stand-in, and where n8n's own Set node runs instead:
 * - n8n-nodes-base (the package that holds the real Set node) cannot be a devDependency. Measured with
 *   `npm install n8n-nodes-base@2.41.1` in an empty folder on this project's machine (Node 20, npm 11): it
 *   fails after 2 min, since @confluentinc/kafka-javascript builds librdkafka from source and downloads zlib
 *   and OpenSSL from outside the npm registry (npm also warns that isolated-vm 7 wants Node >= 24). With
 *   `--ignore-scripts` it installs 844 packages, 826 MB of node_modules (n8n-nodes-base alone 176 MB), in
 *   3 min 5 s: more than this project's whole node_modules (619 MB). We found no small npm package that
 *   carries the Set node, and n8n's Sustainable Use License does not let this MIT package copy it.
 * - `n8nSetNode()` (./n8nSet.ts) loads n8n-nodes-base's own Set node where it can be found: the n8n
 *   install that `npm test` (test:e2e) and `npm run dev` make. The demo uses it when it is there. The
 *   engine tests always run this stand-in, so they give the same result on every machine.
 * - The end-to-end tests in a real n8n 2.41.1 (test:e2e) run our example workflows with n8n's own Set node:
 *   they are the check that the workflows work with it. Run through this engine, n8n's own Set node
 *   (n8n-nodes-base 2.41.1) gave the same items and error messages as the stand-in on the engine tests' Set
 *   workflows (engineSet.test.ts keeps its results as the expectations) and on the demo.
 *
 * What it does, as n8n's SetV2 manual mode (nodes-base/nodes/Set/v2): each assignment's value is resolved by
 * n8n (expressions such as `={{ $json.UserContext.UserId }}`), checked and converted with n8n-workflow's
 * `validateFieldType` (a value that does not fit its type fails the item), and written with dot notation
 * unless `options.dotNotation` is false. `includeOtherFields` keeps all input fields, or all but
 * `excludeFields` (`include: 'except'`); version 3.4 then keeps the item's binary data too. Every output item
 * is paired to its input item.
 */
import type {
	AssignmentCollectionValue,
	FieldType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, deepCopy, validateFieldType } from 'n8n-workflow';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The keys of a lodash-style path ("a.b[0].c"); a key the object has as it is stays whole, as in lodash. */
function toPath(target: IDataObject, path: string): string[] {
	if (Object.prototype.hasOwnProperty.call(target, path)) return [path];
	const keys: string[] = [];
	path.replace(/[^.[\]]+|\[(?:(\d+)|(["'])(.*?)\2)\]/g, (match, index?: string, _q?: string, quoted?: string) => {
		keys.push(index ?? quoted ?? match);
		return match;
	});
	return keys;
}

/** lodash `set` (what n8n's Set node writes with when dot notation is on). */
function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = toPath(target, path);
	if (keys.some((key) => UNSAFE_KEYS.has(key))) return;
	let cursor = target as Record<string, unknown>;
	keys.forEach((key, i) => {
		if (i === keys.length - 1) {
			cursor[key] = value;
			return;
		}
		const next = cursor[key];
		if (next === null || typeof next !== 'object') cursor[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
		cursor = cursor[key] as Record<string, unknown>;
	});
}

/** lodash `unset`. */
function unsetPath(target: IDataObject, path: string): void {
	const keys = toPath(target, path);
	const last = keys.pop();
	let cursor: unknown = target;
	for (const key of keys) {
		if (cursor === null || typeof cursor !== 'object') return;
		cursor = (cursor as Record<string, unknown>)[key];
	}
	if (last !== undefined && cursor !== null && typeof cursor === 'object') delete (cursor as Record<string, unknown>)[last];
}

export class SetNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Stand-in for n8n’s Edit Fields node: manual mapping only',
		defaults: { name: 'Edit Fields' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'manual' },
			{ displayName: 'Fields to Set', name: 'assignments', type: 'assignmentCollection', default: {} },
			{ displayName: 'Include Other Input Fields', name: 'includeOtherFields', type: 'boolean', default: false },
			{ displayName: 'Input Fields to Include', name: 'include', type: 'string', default: 'all' },
			{ displayName: 'Fields to Exclude', name: 'excludeFields', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const returnData: INodeExecutionData[] = [];
		for (const [i, item] of this.getInputData().entries()) {
			refuseWhatIsNotCovered(this, i);
			try {
				returnData.push(setFields(this, item, i));
			} catch (error) {
				// As n8n's Set node (2.41.1): with On Error: Continue, the item becomes `{ error }`, paired to its input.
				if (!this.continueOnFail()) throw error;
				returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [returnData];
	}
}

const includeOf = (context: IExecuteFunctions, i: number): string =>
	context.getNodeParameter('includeOtherFields', i) ? (context.getNodeParameter('include', i) as string) : 'none';

/** A workflow that needs more of the Set node than the stand-in has fails, naming what (whatever On Error says). */
function refuseWhatIsNotCovered(context: IExecuteFunctions, i: number): void {
	const node = context.getNode();
	const { dotNotation: _, ...otherOptions } = context.getNodeParameter('options', i) as IDataObject;
	const { assignments } = context.getNodeParameter('assignments', i) as AssignmentCollectionValue;
	const notCovered = [
		node.typeVersion < 3.3 && `version ${node.typeVersion}`,
		context.getNodeParameter('mode', i) !== 'manual' && 'JSON mode',
		!['all', 'except', 'none'].includes(includeOf(context, i)) && `include "${includeOf(context, i)}"`,
		Object.keys(otherOptions).length > 0 && `the option(s) ${Object.keys(otherOptions).join(', ')}`,
		assignments?.some((a) => a.type === 'binary') && 'binary fields',
	].filter(Boolean);
	if (notCovered.length > 0) {
		throw new NodeOperationError(node, `The engine's Set stand-in does not support ${notCovered.join(', ')}; n8n's own Set node does (test:e2e runs it)`);
	}
}

/** One output item: the input fields kept (all, all but the excluded, or none), then the assignments written. */
function setFields(context: IExecuteFunctions, item: INodeExecutionData, i: number): INodeExecutionData {
	const node = context.getNode();
	const include = includeOf(context, i);
	const { dotNotation } = context.getNodeParameter('options', i) as { dotNotation?: boolean };
	const { assignments } = context.getNodeParameter('assignments', i) as AssignmentCollectionValue;
	const [set, unset] =
		dotNotation === false
			? [(o: IDataObject, k: string, v: unknown) => void (o[k] = v as IDataObject), (o: IDataObject, k: string) => void delete o[k]]
			: [setPath, unsetPath];

	const json: IDataObject = include === 'none' ? {} : deepCopy(item.json);
	if (include === 'except') {
		const excluded = (context.getNodeParameter('excludeFields', i) as string).split(',').map((key) => key.trim());
		for (const key of excluded.filter(Boolean)) unset(json, key);
	}
	for (const { name, value, type } of assignments ?? []) {
		if (value === undefined || value === null) {
			set(json, name, null);
			continue;
		}
		// As n8n's validateEntry: a string field takes any value as text (objects as JSON).
		const checked = type === 'string' ? (typeof value === 'object' ? JSON.stringify(value) : String(value)) : value;
		const result = validateFieldType(name, checked, type as FieldType);
		if (!result.valid) {
			throw new NodeOperationError(node, `${result.errorMessage} [item ${i}]`, {
				itemIndex: i,
				description: `To fix the error try to change the type for the field "${name}" or activate the option “Ignore Type Conversion Errors” to apply a less strict type validation`,
			});
		}
		set(json, name, result.newValue ?? null);
	}
	const binary = node.typeVersion >= 3.4 && include !== 'none' && item.binary ? { binary: { ...item.binary } } : {};
	return { json, ...binary, pairedItem: { item: i } };
}
