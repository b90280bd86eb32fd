/**
 * The compiled node (dist/) run through n8n's real engine (tools/engine: n8n-core WorkflowExecute) for the
 * in-process bench: the input items, the workflow, and what one run of the node measured.
 */
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../../tools/engine/engine';
import { CREDENTIAL_TYPE, DOC_PARAMS, emulatorCredential, NODE_NAME, NODE_TYPE } from '../../tools/fixtures';
import { nowMs } from '../shared/stats';
import { CREDENTIAL_MODULE, NODE_MODULE, repoRequire } from './paths';
import { cpuMs, mainThreadCpuMs } from './processClock';

export const LAUNCH = NODE_NAME;

export function loadItems(n: number): IDataObject[] {
	const items: IDataObject[] = new Array(n);
	for (let i = 0; i < n; i++) {
		items[i] = {
			InstanceId: DOC_PARAMS.InstanceId,
			ContactFlowId: DOC_PARAMS.ContactFlowId,
			JobId: `job-load-${i}`,
			UserId: DOC_PARAMS.UserId,
			DeviceId: DOC_PARAMS.DeviceId,
		};
	}
	return items;
}

/**
 * Manual Trigger (items pinned on it, as when pinning data in the editor) → Launch Authentication.
 * `mapping`: 'auto' reads the input fields (no expressions, the node's own cost only); 'expressions'
 * maps each field with an n8n expression, as the CRM example workflow does.
 */
export function benchWorkflow(options: IDataObject, mapping: 'auto' | 'expressions'): WorkflowJson {
	const parameters: IDataObject =
		mapping === 'auto'
			? { mappingMode: 'autoMapInputData', options }
			: {
					mappingMode: 'defineBelow',
					instanceId: '={{ $json.InstanceId }}',
					contactFlowId: DOC_PARAMS.ContactFlowId,
					jobId: '={{ $json.JobId }}',
					userId: '={{ $json.UserId }}',
					deviceId: '={{ $json.DeviceId }}',
					options,
				};
	return {
		name: 'bench',
		nodes: [
			{ id: 'n1', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: LAUNCH,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'CCC emulator' } },
			},
		],
		connections: { Trigger: { main: [[{ node: LAUNCH, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** What one run of the node measured: inside its execute() (the node's own cost) and around the whole workflow. */
export interface NodeRunMeasure {
	items: number;
	outputItems: number;
	errors: number;
	status: string;
	/** Wall time of the node's execute(), as n8n-core's WorkflowExecute called it. */
	executeMs: number;
	/** CPU (user + system) of this process during execute(). */
	executeCpuMs: number;
	/** The same, main thread only. */
	executeMainThreadCpuMs: number;
	/** n8n's own executionTime for the node (runData). */
	n8nExecutionTimeMs: number;
	/** Wall and CPU time of the whole runWorkflow() call (engine set-up, trigger, pinned data copy...). */
	workflowMs: number;
	workflowCpuMs: number;
	/** The node's output items, only with `keepOutput` (to measure what they keep in memory). */
	output?: INodeExecutionData[];
}

interface Loaded {
	nodeType: INodeType;
	credentialType: ICredentialType;
	last: { executeMs: number; executeCpuMs: number; executeMainThreadCpuMs: number };
}

let loaded: Loaded | undefined;

/**
 * The compiled node from dist/, wrapped so that the wall and CPU time of its execute() are recorded.
 * The wrapper inherits everything else (description, methods) from the real instance, and n8n-core
 * calls its execute() with the real ExecuteContext, exactly as it calls the node's own.
 */
export function loadNode(): Loaded {
	if (loaded) return loaded;
	const { LaunchAuthentication } = repoRequire(NODE_MODULE) as { LaunchAuthentication: new () => INodeType };
	const { AlibabaCloudCccApi } = repoRequire(CREDENTIAL_MODULE) as { AlibabaCloudCccApi: new () => ICredentialType };
	const inner = new LaunchAuthentication();
	const last = { executeMs: 0, executeCpuMs: 0, executeMainThreadCpuMs: 0 };
	const wrapped = Object.create(inner) as INodeType;
	const innerExecute = inner.execute!;
	wrapped.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const c0 = cpuMs();
		const m0 = mainThreadCpuMs();
		const t0 = nowMs();
		try {
			return (await innerExecute.call(this)) as INodeExecutionData[][];
		} finally {
			last.executeMs = nowMs() - t0;
			last.executeCpuMs = cpuMs() - c0;
			last.executeMainThreadCpuMs = mainThreadCpuMs() - m0;
		}
	};
	loaded = { nodeType: wrapped, credentialType: new AlibabaCloudCccApi(), last };
	return loaded;
}

export async function runNode(opts: {
	endpoint: string;
	items: IDataObject[];
	options: IDataObject;
	mapping?: 'auto' | 'expressions';
	keepOutput?: boolean;
}): Promise<NodeRunMeasure> {
	const { nodeType, credentialType, last } = loadNode();
	const workflow = benchWorkflow(opts.options, opts.mapping ?? 'auto');
	const triggerItems = opts.items.map((json) => ({ json }));
	last.executeMs = NaN;
	last.executeCpuMs = NaN;
	last.executeMainThreadCpuMs = NaN;
	const c0 = cpuMs();
	const t0 = nowMs();
	const result = await runWorkflow({
		workflow,
		nodeTypes: { [NODE_TYPE]: nodeType },
		credentials: { [CREDENTIAL_TYPE]: emulatorCredential(opts.endpoint) },
		credentialTypes: { [CREDENTIAL_TYPE]: credentialType },
		triggerItems,
	});
	const workflowMs = nowMs() - t0;
	const workflowCpuMs = cpuMs() - c0;
	const task = result.runData[LAUNCH]?.[0];
	const out = task?.data?.main?.[0] ?? [];
	return {
		items: opts.items.length,
		outputItems: out.length,
		errors: out.filter((i) => i.json.error !== undefined).length + (task?.error ? 1 : 0),
		status: result.status,
		executeMs: last.executeMs,
		executeCpuMs: last.executeCpuMs,
		executeMainThreadCpuMs: last.executeMainThreadCpuMs,
		n8nExecutionTimeMs: task?.executionTime ?? NaN,
		workflowMs,
		workflowCpuMs,
		...(opts.keepOutput ? { output: out } : {}),
	};
}

