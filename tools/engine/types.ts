/**
 * What `runWorkflow` (./engine.ts) takes and gives back: workflow JSON as the n8n editor exports it, the
 * run's options (node types, credentials, trigger items, pinned data), and the result with its accessors.
 */
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IPinData,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

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
