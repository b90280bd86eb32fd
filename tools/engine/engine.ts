/**
 * Runs real n8n workflows in-process through n8n's own execution engine
 * (n8n-core `WorkflowExecute` + n8n-workflow `Workflow`), the way n8n's unpublished
 * `NodeTestHarness` (packages/core/nodes-testing) does it, without a database.
 *
 * What is real: expression resolution, parameter defaults, `continueOnFail` /
 * `onError` (`continueRegularOutput`, `continueErrorOutput`), pairedItem handling,
 * trigger execution in manual mode, pinned data, `this.getCredentials()` (via the
 * `ICredentialsHelper` below, which mirrors n8n's CLI CredentialsHelper), and
 * `helpers.httpRequestWithAuthentication` (applies the credential type's
 * `authenticate`, function or generic).
 *
 * What is simplified: credentials live in memory keyed by credential TYPE; there are
 * no sub-workflows (`executeWorkflow` throws), no task runners (Code node), no
 * external secrets, no credential overwrites.
 *
 * Process-wide side effects, done once before n8n-core builds its DI services:
 *   - `N8N_USER_FOLDER` defaults to a fresh temp dir (removed on process exit), so
 *     n8n's InstanceSettings writes its `.n8n/config` there and never into $HOME or the repo;
 *   - `N8N_LOG_LEVEL` defaults to `silent` (set it to `debug` to see engine logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	Credentials,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	WorkflowExecute,
	getAdditionalKeys,
} from 'n8n-core';
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsExpressionResolveValues,
	IConnections,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IPinData,
	IRequestOptionsSimplified,
	IRun,
	IRunData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	deepCopy,
	isExpression,
} from 'n8n-workflow';

import { standInNodeTypes } from './nodes';

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/** A node as found in workflow JSON exported from the n8n editor (loosely typed so imported JSON fits). */
export interface WorkflowJsonNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters?: object;
	[key: string]: unknown;
}

/** Workflow JSON as exported from the n8n editor (`nodes` + `connections`, optionally `settings`...). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: ReadonlyArray<INode | WorkflowJsonNode>;
	connections: IConnections | object;
	settings?: IWorkflowSettings | object;
	staticData?: IDataObject | object | null;
	/** Ignored (as in n8n's NodeTestHarness, where it holds expected output); use `RunWorkflowOptions.pinData`. */
	pinData?: unknown;
	[key: string]: unknown;
}

export interface RunWorkflowOptions {
	/** Workflow JSON as exported from the n8n editor. It is deep-copied; the caller's object is never mutated. */
	workflow: IWorkflowBase | WorkflowJson;
	/**
	 * Node implementations keyed by the node `type` string used in the workflow JSON
	 * (e.g. `'n8n-nodes-alibaba-ccc.alibabaCcc'`). The stand-ins from `./nodes`
	 * (`n8n-nodes-base.manualTrigger`, `n8n-nodes-base.set`, `testHelpers.fixedItems`)
	 * are always registered; entries here override them.
	 */
	nodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	/**
	 * Credential data keyed by credential TYPE name (e.g. `'alibabaCloudCccApi'`). Whatever
	 * id/name a node's `credentials` entry references, it resolves to the data for that type.
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/**
	 * Credential types keyed by type name. Needed so `getCredentials()` merges the type's
	 * property defaults and `httpRequestWithAuthentication` applies its `authenticate`.
	 */
	credentialTypes?: Record<string, ICredentialType>;
	/**
	 * Items for the start node. If the start node is a trigger (e.g. Manual Trigger) they
	 * become its pinned output, as when pinning data on a trigger in the editor; otherwise
	 * they are the start node's input (default input: one empty item).
	 */
	triggerItems?: INodeExecutionData[];
	/** Pinned output per node name (real n8n pinning: a pinned node is not executed). */
	pinData?: IPinData;
	/** Name of the node to start from; default: n8n's choice (`workflow.getStartNode()`). */
	startNode?: string;
	/** Execution mode; default `'manual'` (as when clicking "Execute workflow"). */
	mode?: WorkflowExecuteMode;
	/** `$vars` available to expressions. */
	variables?: IDataObject;
	/** Called once the execution has started, with what pressing Stop in the editor does: cancel it. */
	onStarted?: (execution: { cancel: () => void }) => void;
}

export interface RunWorkflowResult {
	/** The full IRun returned by WorkflowExecute. */
	run: IRun;
	/** `'success'`, `'error'`, ... */
	status: ExecutionStatus;
	/** Full run data, keyed by node name. */
	runData: IRunData;
	/** Names of the nodes in the order they finished (from the `nodeExecuteAfter` hook). */
	executedNodes: string[];
	/** Workflow-level error if the run failed (the failing node's error). */
	error?: ExecutionError;
	/**
	 * Items the node emitted on `outputIndex` (0 = main; 1 = error output when the node is set
	 * to "On Error: Continue (using error output)"). Empty array when that output got no items.
	 * Throws if the node did not run (`runIndex` defaults to 0).
	 */
	outputs(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** Shorthand: `outputs(...).map((item) => item.json)`. */
	json(nodeName: string, outputIndex?: number, runIndex?: number): IDataObject[];
	/** The error recorded on the node's task data (set when the node failed without continuing). */
	nodeError(nodeName: string, runIndex?: number): ExecutionError | undefined;
}

export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunWorkflowResult> {
	prepareRuntime();

	const source = deepCopy(opts.workflow) as unknown as WorkflowJson;
	const nodes = source.nodes as INode[];
	const connections = source.connections as IConnections;
	const settings = (source.settings as IWorkflowSettings | undefined) ?? { executionOrder: 'v1' };
	const workflowId = typeof source.id === 'string' && source.id ? source.id : 'test-workflow';
	const workflowName = typeof source.name === 'string' && source.name ? source.name : 'Test workflow';
	const mode: WorkflowExecuteMode = opts.mode ?? 'manual';

	const registry: Record<string, INodeType | IVersionedNodeType> = {
		...standInNodeTypes(),
		...(opts.nodeTypes ?? {}),
	};
	const unknownTypes = [...new Set(nodes.map((node) => node.type))].filter((type) => !(type in registry));
	if (unknownTypes.length > 0) {
		throw new UserError(
			`runWorkflow: node type(s) ${unknownTypes.map((t) => `"${t}"`).join(', ')} used in the workflow are not registered. ` +
				`Pass them in \`nodeTypes\` (registered: ${Object.keys(registry).join(', ')}).`,
		);
	}
	const nodeTypes = new HarnessNodeTypes(registry);

	const workflow = new Workflow({
		id: workflowId,
		name: workflowName,
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings,
		staticData: (source.staticData as IDataObject | undefined) ?? undefined,
	});

	const startNode = opts.startNode ? workflow.getNode(opts.startNode) : workflow.getStartNode();
	if (!startNode) {
		throw new UserError(
			opts.startNode
				? `runWorkflow: start node "${opts.startNode}" is not in the workflow`
				: 'runWorkflow: n8n found no node to start the workflow from',
		);
	}

	const pinData: IPinData = { ...(opts.pinData ?? {}) };
	let triggerToStartFrom: { name: string; data?: ITaskData } | undefined;
	if (opts.triggerItems) {
		const items = deepCopy(opts.triggerItems);
		const startType = nodeTypes.getByNameAndVersion(startNode.type, startNode.typeVersion);
		if (startType.trigger || startType.poll) {
			pinData[startNode.name] = items;
		} else {
			triggerToStartFrom = {
				name: startNode.name,
				data: {
					startTime: Date.now(),
					executionTime: 0,
					executionIndex: 0,
					source: [],
					data: { main: [items] },
				},
			};
		}
	}

	const executionId = String(++executionCounter);
	const workflowData = {
		id: workflowId,
		name: workflowName,
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
		settings,
	} as IWorkflowBase;

	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const executedNodes: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});

	const credentialsHelper = new HarnessCredentialsHelper(
		deepCopy(opts.credentials ?? {}),
		opts.credentialTypes ?? {},
	);
	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		settings,
		variables: opts.variables ?? {},
	});

	const workflowExecute = new WorkflowExecute(additionalData, mode);
	const execution = workflowExecute.run({
		workflow,
		startNode,
		pinData: Object.keys(pinData).length > 0 ? pinData : undefined,
		triggerToStartFrom,
	});
	opts.onStarted?.({ cancel: () => execution.cancel() });
	const run = await execution;

	const runData = run.data.resultData.runData;
	const outputs = (nodeName: string, outputIndex = 0, runIndex = 0): INodeExecutionData[] => {
		const task = runData[nodeName]?.[runIndex];
		if (!task) {
			throw new UserError(
				`runWorkflow: node "${nodeName}" has no run ${runIndex} (nodes that ran: ${Object.keys(runData).join(', ') || 'none'})` +
					(run.data.resultData.error ? `; workflow error: ${run.data.resultData.error.message}` : ''),
			);
		}
		return task.data?.main?.[outputIndex] ?? [];
	};

	return {
		run,
		status: run.status,
		runData,
		executedNodes,
		error: run.data.resultData.error,
		outputs,
		json: (nodeName, outputIndex, runIndex) => outputs(nodeName, outputIndex, runIndex).map((item) => item.json),
		nodeError: (nodeName, runIndex = 0) => runData[nodeName]?.[runIndex]?.error,
	};
}

// ---------------------------------------------------------------------------
// Runtime preparation (DI container, env)
// ---------------------------------------------------------------------------

let runtimePrepared = false;
let executionCounter = 0;
let temporaryUserFolder: string | undefined;

function removeTemporaryUserFolder(): void {
	if (temporaryUserFolder) rmSync(temporaryUserFolder, { recursive: true, force: true });
	temporaryUserFolder = undefined;
}

// Jest gives every test file its own module registry (so its own DI container) and its own
// `process.env` copy, and `process.on('exit')` inside the sandbox never fires: clean up
// the temp user folder when the importing test file is done. (The demo and the bench have no afterAll.)
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (typeof jestAfterAll === 'function') jestAfterAll(removeTemporaryUserFolder);

function prepareRuntime(): void {
	if (runtimePrepared) return;
	runtimePrepared = true;

	// n8n-core's InstanceSettings (pulled in through Cipher by ExecutionContextService and
	// Credentials) creates `<N8N_USER_FOLDER>/.n8n/config` with an encryption key.
	if (!process.env.N8N_USER_FOLDER) {
		temporaryUserFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
		process.env.N8N_USER_FOLDER = temporaryUserFolder;
		process.once('exit', removeTemporaryUserFolder);
	}
	// The backend Logger (and, through it, LoggerProxy and ErrorReporter) prints to the
	// console at `info` by default, e.g. node errors reported by WorkflowExecute.
	if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';
}

// ---------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------

class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unrecognized node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((type) => [type, { className: type, sourcePath: '' }]));
	}
}

/** INodeTypes that knows no types: for the throw-away workflow used to resolve credential expressions. */
const noNodeTypes: INodeTypes = {
	getByName: () => undefined as unknown as INodeType,
	getByNameAndVersion: () => undefined as unknown as INodeType,
	getKnownTypes: () => ({}),
};

// ---------------------------------------------------------------------------
// Credentials helper (mirrors the essentials of n8n's packages/cli/src/credentials-helper.ts)
// ---------------------------------------------------------------------------

const mockNode: INode = {
	id: 'credentials-mock-node',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		/** Credential data by credential type name; updated by `updateCredentials*` and preAuthentication. */
		readonly store: Record<string, ICredentialDataDecryptedObject>,
		private readonly credentialTypes: Record<string, ICredentialType>,
	) {
		super();
	}

	private getType(typeName: string): ICredentialType {
		const type = this.credentialTypes[typeName];
		if (!type) {
			throw new UnexpectedError(
				`Unknown credential type "${typeName}": pass it to runWorkflow in \`credentialTypes\``,
			);
		}
		return type;
	}

	getParentTypes(typeName: string): string[] {
		const type = this.credentialTypes[typeName];
		if (!type?.extends) return [];
		return type.extends.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.credentialTypes[credentialType];
		if (!type?.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => supported === nodeType || nodeType.endsWith(`.${supported}`),
		);
	}

	getCredentialsProperties(typeName: string): INodeProperties[] {
		const type = this.getType(typeName);
		if (type.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(typeName)) {
				return [
					...type.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return type.properties;
		}
		const combined: INodeProperties[] = [];
		for (const parent of type.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, type.properties);
		return combined;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.getType(typeName);
		if (!authenticate) return requestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}

		if (authenticate.type === 'generic') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			}
			if (requestOptions.headers === undefined) requestOptions.headers = {};
			const target = requestOptions as unknown as Record<string, Record<string, unknown>>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const keyResolved = this.resolveValue(key, credentials, workflow, node);
					const valueResolved = this.resolveValue(value as string, credentials, workflow, node);
					if (!target[outerKey]) target[outerKey] = {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		parameterValue: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const value = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return value ? value.toString() : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getType(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials) {
			this.store[typeName] = { ...(this.store[typeName] ?? {}), ...output };
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return ((await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	private getStored(nodeCredentials: INodeCredentialsDetails, typeName: string): ICredentialDataDecryptedObject {
		const data = this.store[typeName];
		if (data === undefined) {
			throw new UserError(
				`Credential with ID "${nodeCredentials?.id ?? ''}" does not exist for type "${typeName}". ` +
					`(runWorkflow: no \`credentials["${typeName}"]\` given)`,
			);
		}
		return deepCopy(data);
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, typeName: string): Promise<Credentials> {
		const credentials = new Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, typeName);
		await credentials.setData(this.getStored(nodeCredentials, typeName));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		typeName: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const original = this.getStored(nodeCredentials, typeName);
		if (raw === true) return original;

		// Defaults of the credential type's properties (as n8n's applyDefaultsAndOverwrites).
		let decrypted = original;
		if (this.credentialTypes[typeName]) {
			decrypted = NodeHelpers.getNodeParameters(
				this.getCredentialsProperties(typeName),
				original as INodeParameters,
				true,
				false,
				null,
				null,
			) as ICredentialDataDecryptedObject;
			if (original.oauthTokenData !== undefined) decrypted.oauthTokenData = original.oauthTokenData;
		}

		// Expressions inside credential data.
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decrypted = expressionResolveValues.workflow.expression.getParameterValue(
					decrypted as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decrypted,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: noNodeTypes,
			});
			decrypted = workflow.expression.getComplexParameterValue(
				mockNode,
				decrypted as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[typeName] = deepCopy(data);
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[typeName] = { ...(this.store[typeName] ?? {}), oauthTokenData: data.oauthTokenData };
	}
}

// ---------------------------------------------------------------------------
// additionalData (modelled on packages/cli/src/workflow-execute-additional-data.ts `getBase`)
// ---------------------------------------------------------------------------

const INSTANCE_BASE_URL = 'http://localhost:5678/';

function buildAdditionalData(args: {
	credentialsHelper: ICredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
	settings: IWorkflowSettings;
	variables: IDataObject;
}): IWorkflowExecuteAdditionalData {
	const timeout = Number(args.settings.executionTimeout ?? 0);
	return {
		credentialsHelper: args.credentialsHelper,
		hooks: args.hooks,
		executionId: args.executionId,
		workflowId: args.workflowId,
		userId: 'test-user',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: timeout > 0 ? Date.now() + timeout * 1000 : undefined,
		restApiUrl: `${INSTANCE_BASE_URL}rest`,
		instanceBaseUrl: INSTANCE_BASE_URL,
		formBaseUrl: `${INSTANCE_BASE_URL}form`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}form-waiting`,
		formTestBaseUrl: `${INSTANCE_BASE_URL}form-test`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}webhook-test`,
		mcpBaseUrl: `${INSTANCE_BASE_URL}mcp`,
		mcpTestBaseUrl: `${INSTANCE_BASE_URL}mcp-test`,
		variables: args.variables,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: async () => {
			throw new UnexpectedError('runWorkflow: sub-workflow execution is not supported by the test harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new UnexpectedError('runWorkflow: task runners (Code node) are not available in the test harness');
		},
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	};
}
