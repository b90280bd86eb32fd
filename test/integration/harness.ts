import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { AlibabaCloudCccApi } from '../../credentials/AlibabaCloudCccApi.credentials';
import { LaunchAuthentication } from '../../nodes/LaunchAuthentication/LaunchAuthentication.node';
import { runWorkflow, type RunWorkflowOptions, type RunWorkflowResult, type WorkflowJson } from '../../tools/engine/engine';
import { CREDENTIAL_TYPE, DOC_PARAMS, emulatorCredential as credentialFor, NODE_NAME, NODE_TYPE } from '../../tools/fixtures';
import crmWorkflow from '../../tools/workflows/crm-event-to-notification.json';

import type { Emulator } from '../helpers/emulator';

export { DEFAULT_ACCESS_KEYS, startEmulator, useEmulator, type Emulator } from '../helpers/emulator';

export { NODE_TYPE };
export const LAUNCH = NODE_NAME;
export const DOC = {
	instanceId: DOC_PARAMS.InstanceId,
	contactFlowId: DOC_PARAMS.ContactFlowId,
	jobId: DOC_PARAMS.JobId,
	userId: DOC_PARAMS.UserId,
	deviceId: DOC_PARAMS.DeviceId,
};

/** The shared emulator credential (tools/fixtures.json), pointing at this emulator. */
export function emulatorCredential(emu: Emulator, overrides: Partial<ICredentialDataDecryptedObject> = {}): ICredentialDataDecryptedObject {
	return credentialFor(emu.endpoint, overrides);
}

/** The CRM example workflow (JSON fixture) with its items and Launch Authentication settings replaced. */
export function crmWorkflowWith(opts: {
	items?: IDataObject[];
	parameters?: IDataObject;
	options?: IDataObject;
	onError?: INode['onError'];
	withNotify?: boolean;
	/** The node version the workflow was saved with (the fixture: 1). */
	typeVersion?: number;
}): WorkflowJson {
	const wf = JSON.parse(JSON.stringify(crmWorkflow)) as { nodes: INode[]; connections: IDataObject };
	const source = wf.nodes.find((n) => n.name === 'CRM Events')!;
	if (opts.items) source.parameters.items = JSON.stringify(opts.items);
	const launch = wf.nodes.find((n) => n.name === LAUNCH)!;
	launch.parameters = { ...launch.parameters, ...(opts.parameters ?? {}), options: { ...(opts.options ?? {}) } } as INode['parameters'];
	if (opts.onError) launch.onError = opts.onError;
	if (opts.typeVersion) launch.typeVersion = opts.typeVersion;
	if (opts.withNotify === false) {
		wf.nodes = wf.nodes.filter((n) => n.name !== 'Notify');
		delete (wf.connections as IDataObject)[LAUNCH];
	}
	return wf as unknown as WorkflowJson;
}

/** Items as the CRM source emits them, mapped by the fixture's expressions. */
export function crmItem(jobId: string, extra: IDataObject = {}): IDataObject {
	return { ticketId: `T-${jobId}`, instance: DOC.instanceId, callJobId: jobId, agent: DOC.userId, workbench: DOC.deviceId, ...extra };
}

export function run(workflow: WorkflowJson, credential: ICredentialDataDecryptedObject, extra: Partial<RunWorkflowOptions> = {}): Promise<RunWorkflowResult> {
	return runWorkflow({
		...extra,
		workflow,
		nodeTypes: { [NODE_TYPE]: new LaunchAuthentication() },
		credentials: { [CREDENTIAL_TYPE]: credential },
		credentialTypes: { [CREDENTIAL_TYPE]: new AlibabaCloudCccApi() },
	});
}

/**
 * Runs the workflow and presses Stop (cancels the execution) as soon as `condition` holds, checked every
 * millisecond. `count` (optional) is read at that moment and returned as `countAtCancel` (-1: never cancelled).
 */
export async function runAndStopWhen(workflow: WorkflowJson, credential: ICredentialDataDecryptedObject, condition: () => boolean, count: () => { length: number } | number = () => 0) {
	let countAtCancel = -1;
	let watch: NodeJS.Timeout | undefined;
	try {
		const result = await run(workflow, credential, {
			onStarted: ({ cancel }) => {
				watch = setInterval(() => {
					if (!condition()) return;
					clearInterval(watch);
					const counted = count();
					countAtCancel = typeof counted === 'number' ? counted : counted.length;
					cancel();
				}, 1);
			},
		});
		return { result, sentAtCancel: countAtCancel };
	} finally {
		clearInterval(watch);
	}
}

/** The `Authentication` a result adds to an item. */
export function authentication(item: INodeExecutionData): IDataObject {
	return item.json.Authentication as IDataObject;
}

/** Launches one item per JobId with these Launch options (node version 2) and returns the node's items; the run must not fail. */
export async function launchItems(emu: Emulator, jobs: string[], options: IDataObject): Promise<INodeExecutionData[]> {
	const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options, withNotify: false, typeVersion: 2 });
	const result = await run(wf, emulatorCredential(emu));
	expect(result.error).toBeUndefined();
	return result.outputs(LAUNCH);
}
