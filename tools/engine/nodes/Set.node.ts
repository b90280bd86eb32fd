/**
 * Stand-in for n8n's Edit Fields node (`n8n-nodes-base.set`), versions 3.3 and 3.4:
 * the versions the editor exports today, whose "Manual Mapping" mode stores fields as
 * `assignments.assignments[] = { id, name, value, type }`.
 *
 * Mirrors n8n's SetV2 manual mode (nodes-base/nodes/Set/v2): each assignment's value is
 * resolved by n8n (expressions such as `={{ $json.UserContext.UserId }}`), checked and
 * converted with n8n-workflow's `validateFieldType`, and written with dot notation
 * unless `options.dotNotation` is false. `includeOtherFields` with `include`
 * (`all` | `selected` | `except`) and `includeFields` / `excludeFields` decide which
 * input fields are kept. Every output item is paired to its input item.
 *
 * Not covered: JSON ("raw") mode, versions before 3.3 (`fields.values`), duplicateItem.
 */
import type {
	AssignmentCollectionValue,
	FieldType,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import {
	NodeConnectionTypes,
	NodeOperationError,
	deepCopy,
	getValueDescription,
	validateFieldType,
} from 'n8n-workflow';

type Include = 'all' | 'none' | 'selected' | 'except';

interface SetOptions {
	include: Include;
	dotNotation?: boolean;
	ignoreConversionErrors?: boolean;
	includeBinary?: boolean;
	stripBinary?: boolean;
}

// ---- lodash-style path helpers (get/set/unset with "a.b[0].c" paths) ----

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function toPath(target: IDataObject, path: string): string[] {
	if (Object.prototype.hasOwnProperty.call(target, path)) return [path];
	const keys: string[] = [];
	path.replace(/[^.[\]]+|\[(?:(\d+)|(["'])(.*?)\2)\]/g, (match, index?: string, _q?: string, quoted?: string) => {
		keys.push(index ?? quoted ?? match);
		return match;
	});
	return keys;
}

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
		if (next === null || typeof next !== 'object') {
			cursor[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
		}
		cursor = cursor[key] as Record<string, unknown>;
	});
}

function getPath(target: IDataObject, path: string): unknown {
	let cursor: unknown = target;
	for (const key of toPath(target, path)) {
		if (cursor === null || typeof cursor !== 'object') return undefined;
		cursor = (cursor as Record<string, unknown>)[key];
	}
	return cursor;
}

function unsetPath(target: IDataObject, path: string): void {
	const keys = toPath(target, path);
	const last = keys.pop();
	let cursor: unknown = target;
	for (const key of keys) {
		if (cursor === null || typeof cursor !== 'object') return;
		cursor = (cursor as Record<string, unknown>)[key];
	}
	if (last !== undefined && cursor !== null && typeof cursor === 'object') {
		delete (cursor as Record<string, unknown>)[last];
	}
}

function fieldHelper(dotNotation?: boolean) {
	if (dotNotation !== false) return { set: setPath, get: getPath, unset: unsetPath };
	return {
		set: (item: IDataObject, key: string, value: unknown) => {
			item[key] = value as IDataObject;
		},
		get: (item: IDataObject, key: string) => item[key],
		unset: (item: IDataObject, key: string) => {
			delete item[key];
		},
	};
}

const splitList = (value: string) =>
	value
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry);

// ---- ports of SetV2 helpers (validateEntry / composeReturnItem) ----

function validateEntry(
	name: string,
	type: FieldType,
	value: unknown,
	node: INode,
	itemIndex: number,
	ignoreErrors = false,
	nodeVersion?: number,
) {
	if (nodeVersion && nodeVersion >= 3.2 && (value === undefined || value === null)) {
		return { name, value: null };
	}

	const description = `To fix the error try to change the type for the field "${name}" or activate the option “Ignore Type Conversion Errors” to apply a less strict type validation`;

	if (type === 'string') {
		if (nodeVersion && nodeVersion > 3 && (value === undefined || value === null)) {
			if (ignoreErrors) return { name, value: null };
			throw new NodeOperationError(
				node,
				`'${name}' expects a ${type} but we got ${getValueDescription(value)} [item ${itemIndex}]`,
				{ description },
			);
		} else if (typeof value === 'object') {
			value = JSON.stringify(value);
		} else {
			value = String(value);
		}
	}

	const validationResult = validateFieldType(name, value, type);

	if (!validationResult.valid) {
		if (ignoreErrors) return { name, value: value ?? null };
		throw new NodeOperationError(node, `${validationResult.errorMessage} [item ${itemIndex}]`, {
			itemIndex,
			description,
		});
	}

	return { name, value: validationResult.newValue ?? null };
}

function composeReturnItem(
	context: IExecuteFunctions,
	itemIndex: number,
	inputItem: INodeExecutionData,
	newFields: IDataObject,
	options: SetOptions,
	nodeVersion: number,
): INodeExecutionData {
	const newItem: INodeExecutionData = { json: {}, pairedItem: { item: itemIndex } };

	const includeBinary =
		(nodeVersion >= 3.4 && !options.stripBinary && options.include !== 'none') ||
		(nodeVersion < 3.4 && !!options.includeBinary);
	if (includeBinary && inputItem.binary !== undefined) {
		newItem.binary = { ...inputItem.binary };
	}

	const helper = fieldHelper(options.dotNotation);

	switch (options.include) {
		case 'all':
			newItem.json = deepCopy(inputItem.json);
			break;
		case 'selected':
			for (const key of splitList(context.getNodeParameter('includeFields', itemIndex) as string)) {
				const fieldValue = helper.get(inputItem.json, key);
				const keyToSet = options.dotNotation !== false && key.includes('.') ? (key.split('.').pop() as string) : key;
				helper.set(newItem.json, keyToSet, fieldValue);
			}
			break;
		case 'except': {
			const inputData = deepCopy(inputItem.json);
			for (const key of splitList(context.getNodeParameter('excludeFields', itemIndex) as string)) {
				helper.unset(inputData, key);
			}
			newItem.json = inputData;
			break;
		}
		case 'none':
			break;
		default:
			throw new NodeOperationError(context.getNode(), `The include option "${String(options.include)}" is not known!`);
	}

	for (const key of Object.keys(newFields)) {
		helper.set(newItem.json, key, newFields[key]);
	}

	return newItem;
}

export class SetNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Edit Fields (Set)',
		name: 'set',
		group: ['input'],
		version: [3.3, 3.4],
		description: 'Modify, add, or remove item fields',
		defaults: {
			name: 'Edit Fields',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Manual Mapping', value: 'manual' },
					{ name: 'JSON', value: 'raw' },
				],
				default: 'manual',
			},
			{
				displayName: 'Fields to Set',
				name: 'assignments',
				type: 'assignmentCollection',
				displayOptions: { show: { mode: ['manual'] } },
				default: {},
			},
			{
				displayName: 'Include Other Input Fields',
				name: 'includeOtherFields',
				type: 'boolean',
				default: false,
			},
			{
				displayName: 'Input Fields to Include',
				name: 'include',
				type: 'options',
				default: 'all',
				displayOptions: { hide: { '/includeOtherFields': [false] } },
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Selected', value: 'selected' },
					{ name: 'All Except', value: 'except' },
				],
			},
			{
				displayName: 'Fields to Include',
				name: 'includeFields',
				type: 'string',
				default: '',
				displayOptions: { show: { include: ['selected'], '/includeOtherFields': [true] } },
			},
			{
				displayName: 'Fields to Exclude',
				name: 'excludeFields',
				type: 'string',
				default: '',
				displayOptions: { show: { include: ['except'], '/includeOtherFields': [true] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Include Binary File',
						name: 'includeBinary',
						type: 'boolean',
						default: true,
						displayOptions: { hide: { '@version': [{ _cnd: { gte: 3.4 } }] } },
					},
					{
						displayName: 'Strip Binary Data',
						name: 'stripBinary',
						type: 'boolean',
						default: true,
						displayOptions: {
							show: { '@version': [{ _cnd: { gte: 3.4 } }], '/includeOtherFields': [true] },
						},
					},
					{
						displayName: 'Ignore Type Conversion Errors',
						name: 'ignoreConversionErrors',
						type: 'boolean',
						default: false,
						displayOptions: { show: { '/mode': ['manual'] } },
					},
					{
						displayName: 'Support Dot Notation',
						name: 'dotNotation',
						type: 'boolean',
						default: true,
					},
				],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		const mode = this.getNodeParameter('mode', 0) as string;
		if (mode !== 'manual') {
			throw new NodeOperationError(node, `The Edit Fields test stand-in supports only mode "manual", not "${mode}"`);
		}
		if (node.typeVersion < 3.3) {
			throw new NodeOperationError(node, `The Edit Fields test stand-in supports typeVersion 3.3+, not ${node.typeVersion}`);
		}

		const returnData: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const includeOtherFields = this.getNodeParameter('includeOtherFields', i, false) as boolean;
			const include = this.getNodeParameter('include', i, 'all') as Include;
			const options = this.getNodeParameter('options', i, {}) as Omit<SetOptions, 'include'>;
			const setOptions: SetOptions = { ...options, include: includeOtherFields ? include : 'none' };

			try {
				const collection = this.getNodeParameter('assignments', i) as AssignmentCollectionValue;
				const newData: IDataObject = {};
				for (const assignment of collection?.assignments ?? []) {
					const { name, value } = validateEntry(
						assignment.name,
						assignment.type as FieldType,
						assignment.value,
						node,
						i,
						setOptions.ignoreConversionErrors,
						node.typeVersion,
					);
					newData[name] = value as IDataObject[keyof IDataObject];
				}
				returnData.push(composeReturnItem(this, i, items[i], newData, setOptions, node.typeVersion));
			} catch (error) {
				if (this.continueOnFail()) {
					// n8n's SetV2 puts `pairedItem` inside `json` here; the stand-in pairs the item properly.
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw new NodeOperationError(node, error as Error, {
					itemIndex: i,
					description: (error as NodeOperationError).description ?? undefined,
				});
			}
		}

		return [returnData];
	}
}
