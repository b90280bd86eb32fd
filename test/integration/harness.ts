import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { AlibabaCloudCccApi } from '../../credentials/AlibabaCloudCccApi.credentials';
import { LaunchAuthentication } from '../../nodes/LaunchAuthentication/LaunchAuthentication.node';
import { runWorkflow, type RunWorkflowResult, type WorkflowJson } from '../helpers/engine';
import { DOC_PARAMS } from '../fixtures/documented';
import crmWorkflow from '../workflows/crm-event-to-notification.json';

const { startEmulator, DEFAULT_ACCESS_KEYS } = require('../../emulator/server');

export { startEmulator, DEFAULT_ACCESS_KEYS };

export const NODE_TYPE = 'n8n-nodes-alibaba-ccc.launchAuthentication';
export const LAUNCH = 'Launch Authentication';
export const DOC = {
	instanceId: DOC_PARAMS.InstanceId,
	contactFlowId: DOC_PARAMS.ContactFlowId,
	jobId: DOC_PARAMS.JobId,
	userId: DOC_PARAMS.UserId,
	deviceId: DOC_PARAMS.DeviceId,
};

export interface Emulator {
	endpoint: string;
	requests: Array<{ action: string; params: Record<string, string>; outcome: string; status: number; launched: boolean; at: number }>;
	launchCount(jobId?: string): number;
	maxRequestsInWindow(windowMs?: number, action?: string): number;
	setFaults(faults: unknown[]): void;
	setLatency(ms: number): void;
	reset(): void;
	close(): Promise<void>;
}

/**
 * One emulator for the test file: started before its tests, closed after them, and reset (log, nonces,
 * faults, latency) before each test. The returned object always points at the running emulator.
 */
export function useEmulator(options: Record<string, unknown> = { port: 0 }): Emulator {
	let current: Emulator | undefined;
	beforeAll(async () => {
		current = await startEmulator(options);
	});
	afterAll(async () => {
		await current?.close();
	});
	beforeEach(() => {
		current!.reset();
		current!.setFaults([]);
		current!.setLatency(0);
	});
	return new Proxy({} as Emulator, {
		get(_target, key) {
			const value = (current as unknown as Record<string | symbol, unknown>)[key];
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}

export function emulatorCredential(emu: Emulator, overrides: Partial<ICredentialDataDecryptedObject> = {}): ICredentialDataDecryptedObject {
	const key = DEFAULT_ACCESS_KEYS[0];
	return { regionId: 'cn-shanghai', endpoint: emu.endpoint, accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, securityToken: '', ...overrides };
}

/** The CRM example workflow (JSON fixture) with its items and Launch Authentication settings replaced. */
export function crmWorkflowWith(opts: {
	items?: IDataObject[];
	parameters?: IDataObject;
	options?: IDataObject;
	onError?: INode['onError'];
	withNotify?: boolean;
}): WorkflowJson {
	const wf = JSON.parse(JSON.stringify(crmWorkflow)) as { nodes: INode[]; connections: IDataObject };
	const source = wf.nodes.find((n) => n.name === 'CRM Events')!;
	if (opts.items) source.parameters.items = JSON.stringify(opts.items);
	const launch = wf.nodes.find((n) => n.name === LAUNCH)!;
	launch.parameters = { ...launch.parameters, ...(opts.parameters ?? {}), options: { ...(opts.options ?? {}) } } as INode['parameters'];
	if (opts.onError) launch.onError = opts.onError;
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

export function run(workflow: WorkflowJson, credential: ICredentialDataDecryptedObject): Promise<RunWorkflowResult> {
	return runWorkflow({
		workflow,
		nodeTypes: { [NODE_TYPE]: new LaunchAuthentication() },
		credentials: { alibabaCloudCccApi: credential },
		credentialTypes: { alibabaCloudCccApi: new AlibabaCloudCccApi() },
	});
}
