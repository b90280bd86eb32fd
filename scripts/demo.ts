/**
 * `npm run demo`: runs the example workflow "CRM event → Launch Authentication (Wait for Result) →
 * notification" (tools/workflows/crm-event-wait-for-result.json) through n8n's own execution engine
 * (n8n-core WorkflowExecute) and prints the items each node produced, then each call's authentication outcome.
 *
 * By default it starts the bundled CCC emulator on loopback (IVR trace step EMULATOR_TRACE_STEP_MS, 50 ms, so
 * every scenario call ends within a second; the call that never ends times out after the workflow's 5-second
 * Result Timeout) and points the credential at it. The CRM events are the emulator's scenario calls, so the
 * outcomes differ: Passed, Failed, Hangup, Passed (a call with three channels), Timeout.
 *
 * With real credentials in the environment it calls Alibaba Cloud instead (see README, "Demo against Alibaba
 * Cloud"): one call (CCC_INSTANCE_ID, CCC_JOB_ID, ...). Wait for Result is then off unless
 * CCC_WAIT_FOR_RESULT=1: a real caller takes a while to go through the IVR flow, so the demo waits for the
 * outcome only when asked, up to CCC_RESULT_TIMEOUT_SECONDS (default 120).
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { AlibabaCloudCccApi } from '../credentials/AlibabaCloudCccApi.credentials';
import { LaunchAuthentication } from '../nodes/LaunchAuthentication/LaunchAuthentication.node';
import { runWorkflow, type WorkflowJson } from '../tools/engine/engine';
import { SET_NODE_TYPE } from '../tools/engine/nodes';
import { n8nSetNode } from '../tools/engine/nodes/n8nSet';
import { CREDENTIAL_TYPE, emulatorCredential, NODE_NAME, NODE_TYPE } from '../tools/fixtures';
import { repoRequire } from '../tools/repo';
import crmWorkflow from '../tools/workflows/crm-event-wait-for-result.json';

interface DemoEmulator {
	endpoint: string;
	requests: Array<{ action: string; params: IDataObject; outcome: string }>;
	close(): Promise<void>;
}
const { startEmulator } = repoRequire('./emulator/server.js') as {
	startEmulator(options: { port: number; traceStepMs?: number }): Promise<DemoEmulator>;
};

const env = process.env;
const real = !!(env.ALIBABA_CLOUD_ACCESS_KEY_ID && env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);
/** Emulator: ms the caller spends in each IVR node (the emulator's default is 1000). */
const TRACE_STEP_MS = Number(env.EMULATOR_TRACE_STEP_MS || 50);
const LAUNCH = NODE_NAME;
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

function realItems(): IDataObject[] {
	const missing = ['CCC_INSTANCE_ID', 'CCC_JOB_ID', 'CCC_USER_ID', 'CCC_DEVICE_ID', 'CCC_CONTACT_FLOW_ID'].filter((k) => !env[k]);
	if (missing.length) {
		console.error(`With real credentials the demo also needs ${missing.join(', ')} (a live call to authenticate).`);
		process.exit(2);
	}
	return [{ ticketId: 'DEMO-1', callJobId: env.CCC_JOB_ID, agent: env.CCC_USER_ID, workbench: env.CCC_DEVICE_ID }];
}

function heading(title: string, items: unknown[]): void {
	console.log(`\n── ${title} (${items.length} item${items.length === 1 ? '' : 's'}) ──`);
}

const field = (json: IDataObject, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], json);

/** One line per item. */
function show(title: string, items: IDataObject[], columns: string[], pairedWith?: Array<number | undefined>): void {
	heading(title, items);
	for (const [i, json] of items.entries()) {
		const cells = columns.map((c) => `${c}=${JSON.stringify(field(json, c) ?? null)}`);
		console.log(`#${i}${pairedWith ? ` (input #${pairedWith[i]})` : ''}  ${cells.join('  ')}`);
	}
}

const inputOf = (item: INodeExecutionData): number | undefined => (item.pairedItem as { item: number } | undefined)?.item;

/** Each call's outcome (Authentication of its first output item): status, exit code, node, variables. */
function showOutcomes(events: IDataObject[], launched: INodeExecutionData[], waited: boolean): void {
	heading('Authentication outcome per call (Wait for Result)', events);
	if (!waited) {
		console.log('Wait for Result is off: set CCC_WAIT_FOR_RESULT=1 to wait for the caller to go through the flow (up to CCC_RESULT_TIMEOUT_SECONDS, default 120).');
		return;
	}
	const firstItem = (i: number) => launched.find((item) => inputOf(item) === i)?.json;
	const outcome = (i: number) => firstItem(i)?.Authentication as IDataObject | undefined;
	const width = Math.max(...events.map((e) => String(e.callJobId).length));
	const nodeWidth = Math.max(0, ...events.map((_, i) => JSON.stringify(outcome(i)?.NodeName ?? null).length));
	for (const [i, event] of events.entries()) {
		const call = `${String(event.ticketId)}  ${String(event.callJobId).padEnd(width)}`;
		const a = outcome(i);
		if (!a) {
			const error = firstItem(i)?.error;
			console.log(`${call}  no outcome${error ? `: ${String(error)}` : ''}`);
			continue;
		}
		console.log(
			`${call}  ${String(a.Status).padEnd(7)}  ExitCode=${JSON.stringify(a.ExitCode).padEnd(9)}  node=${JSON.stringify(a.NodeName).padEnd(nodeWidth)}  variables=${JSON.stringify(a.Variables ?? {})}` +
				(a.Reason ? `\n${' '.repeat(call.length)}  ${String(a.Reason)}` : ''),
		);
	}
}

async function main(): Promise<void> {
	const workflow = JSON.parse(JSON.stringify(crmWorkflow)) as { name: string; nodes: INode[] };
	const launch = workflow.nodes.find((n) => n.name === LAUNCH)!;
	const options = launch.parameters.options as IDataObject;
	let emu: DemoEmulator | undefined;
	let credential: ICredentialDataDecryptedObject;
	if (real) {
		credential = {
			regionId: env.CCC_REGION_ID ?? 'cn-shanghai',
			endpoint: env.CCC_ENDPOINT ?? '',
			accessKeyId: env.ALIBABA_CLOUD_ACCESS_KEY_ID!,
			accessKeySecret: env.ALIBABA_CLOUD_ACCESS_KEY_SECRET!,
			securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN ?? '',
		};
		const source = workflow.nodes.find((n) => n.name === 'CRM Events')!;
		source.parameters.items = JSON.stringify(realItems());
		launch.parameters.instanceId = rl(env.CCC_INSTANCE_ID!);
		launch.parameters.contactFlowId = rl(env.CCC_CONTACT_FLOW_ID!);
		options.waitForResult = env.CCC_WAIT_FOR_RESULT === '1';
		options.pollIntervalSeconds = 2;
		options.resultTimeoutSeconds = Number(env.CCC_RESULT_TIMEOUT_SECONDS || 120);
		const waiting = options.waitForResult ? `Wait for Result on, up to ${String(options.resultTimeoutSeconds)} s` : 'Wait for Result off (CCC_WAIT_FOR_RESULT=1 turns it on)';
		console.log(`Demo against Alibaba Cloud (${credential.endpoint || credential.regionId}); ${waiting}.`);
	} else {
		emu = await startEmulator({ port: Number(env.EMULATOR_PORT ?? 0), traceStepMs: TRACE_STEP_MS });
		credential = emulatorCredential(emu.endpoint);
		console.log(`CCC emulator listening on ${emu.endpoint} (signature-checking, no cloud account needed; IVR trace step ${TRACE_STEP_MS} ms).`);
	}
	launch.onError = 'continueRegularOutput';
	// n8n's own Set node for Notify where n8n is installed (npm test, npm run dev), else the engine's stand-in.
	const n8nSet = n8nSetNode();
	try {
		const started = Date.now();
		const result = await runWorkflow({
			workflow: workflow as unknown as WorkflowJson,
			nodeTypes: { [NODE_TYPE]: new LaunchAuthentication(), ...(n8nSet ? { [SET_NODE_TYPE]: n8nSet.node } : {}) },
			credentials: { [CREDENTIAL_TYPE]: credential },
			credentialTypes: { [CREDENTIAL_TYPE]: new AlibabaCloudCccApi() },
		});
		console.log(`Workflow "${workflow.name}" ran in n8n's engine: ${result.status} in ${Date.now() - started} ms; nodes: ${result.executedNodes.join(' → ')}`);
		const events = result.json('CRM Events');
		show('CRM Events (input)', events, ['ticketId', 'callJobId', 'agent']);
		const launched = result.outputs(LAUNCH);
		show(
			'Launch Authentication (one item per channel)',
			launched.map((i) => i.json),
			['ChannelId', 'ChannelState', 'Index', 'CallContext.JobId', 'UserContext.UserState', 'Authentication.Status', 'RequestId', 'error'],
			launched.map(inputOf),
		);
		if (launched[0]) console.log(`\nFirst item in full:\n${JSON.stringify(launched[0].json, null, 2)}`);
		heading('Notify (notification-shaped Set node)', result.json('Notify'));
		console.log(n8nSet ? `(n8n's own Set node, n8n-nodes-base ${n8nSet.version})` : "(the engine's Set stand-in: n8n is not installed here; npm test installs it)");
		for (const n of result.json('Notify')) console.log(`• ${String(n.text)}`);
		showOutcomes(events, launched, options.waitForResult === true);
		if (emu) {
			console.log('\n── Requests the emulator received and verified ──');
			const reads = new Map<string, number>();
			for (const r of emu.requests) {
				if (r.action === 'LaunchAuthentication') console.log(`${r.action} JobId=${String(r.params.JobId)} → ${r.outcome}`);
				else reads.set(`${r.action} → ${r.outcome}`, (reads.get(`${r.action} → ${r.outcome}`) ?? 0) + 1);
			}
			for (const [what, count] of reads) console.log(`${what} ×${count} (Wait for Result reading the IVR traces; nothing launched)`);
		}
		if (result.error) {
			console.error(`\nThe workflow failed: ${result.error.message}`);
			process.exitCode = 1;
		}
	} finally {
		await emu?.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
