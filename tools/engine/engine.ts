/**
 * Runs real n8n workflows in-process through n8n's own execution engine
 * (n8n-core `WorkflowExecute` + n8n-workflow `Workflow`), the way n8n's unpublished
 * `NodeTestHarness` (packages/core/nodes-testing) does it, without a database.
 *
 * What is real: expression resolution, parameter defaults, `continueOnFail` /
 * `onError` (`continueRegularOutput`, `continueErrorOutput`), pairedItem handling,
 * trigger execution in manual mode, pinned data, `this.getCredentials()` (via the
 * `ICredentialsHelper` in credentialsHelper.ts, which mirrors n8n's CLI CredentialsHelper), and
 * `helpers.httpRequestWithAuthentication` (applies the credential type's
 * `authenticate`, function or generic).
 *
 * What is simplified: credentials live in memory keyed by credential TYPE; there are
 * no sub-workflows (`executeWorkflow` throws), no task runners (Code node), no
 * external secrets, no credential overwrites.
 *
 * The pieces: types.ts (what runWorkflow takes and returns), runtime.ts (the process-wide set-up: user
 * folder, log level), nodeTypes.ts (the node registry), credentialsHelper.ts, additionalData.ts, and
 * nodes/ (the Manual Trigger, Set and Fixed Items nodes every run knows).
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeType,
	IPinData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UserError, Workflow, deepCopy } from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { HarnessCredentialsHelper } from './credentialsHelper';
import { HarnessNodeTypes } from './nodeTypes';
import { standInNodeTypes } from './nodes';
import { prepareRuntime } from './runtime';
import type { RunWorkflowOptions, RunWorkflowResult, WorkflowJson } from './types';

export type { RunWorkflowOptions, RunWorkflowResult, WorkflowJson, WorkflowJsonNode } from './types';

let executionCounter = 0;

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
