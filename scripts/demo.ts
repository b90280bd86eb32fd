/**
 * `npm run demo`: runs the example workflow "CRM event → Launch Authentication → notification" through
 * n8n's own execution engine (n8n-core WorkflowExecute) and prints the items each node produced.
 *
 * By default it starts the bundled CCC emulator on loopback and points the credential at it. With real
 * credentials in the environment it calls Alibaba Cloud instead (see README, "Demo against Alibaba Cloud").
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode } from 'n8n-workflow';

import { AlibabaCloudCccApi } from '../credentials/AlibabaCloudCccApi.credentials';
import { LaunchAuthentication } from '../nodes/LaunchAuthentication/LaunchAuthentication.node';
import { runWorkflow, type WorkflowJson } from '../tools/engine/engine';
import { CREDENTIAL_TYPE, emulatorCredential, NODE_TYPE } from '../tools/fixtures';
import { repoRequire } from '../tools/repo';
import crmWorkflow from '../tools/workflows/crm-event-to-notification.json';

interface DemoEmulator {
	endpoint: string;
	requests: Array<{ action: string; params: IDataObject; outcome: string }>;
	close(): Promise<void>;
}
const { startEmulator } = repoRequire('./emulator/server.js') as { startEmulator(options: { port: number }): Promise<DemoEmulator> };

const env = process.env;
const real = !!(env.ALIBABA_CLOUD_ACCESS_KEY_ID && env.ALIBABA_CLOUD_ACCESS_KEY_SECRET);

function realItems(): IDataObject[] {
	const missing = ['CCC_INSTANCE_ID', 'CCC_JOB_ID', 'CCC_USER_ID', 'CCC_DEVICE_ID', 'CCC_CONTACT_FLOW_ID'].filter((k) => !env[k]);
	if (missing.length) {
		console.error(`With real credentials the demo also needs ${missing.join(', ')} (a live call to authenticate).`);
		process.exit(2);
	}
	return [{ ticketId: 'DEMO-1', instance: env.CCC_INSTANCE_ID, callJobId: env.CCC_JOB_ID, agent: env.CCC_USER_ID, workbench: env.CCC_DEVICE_ID }];
}

function heading(title: string, items: IDataObject[]): void {
	console.log(`\n── ${title} (${items.length} item${items.length === 1 ? '' : 's'}) ──`);
}

/** One line per item, plus the whole first item so every field can be seen once. */
function show(title: string, items: IDataObject[], columns: string[], pairedWith?: Array<number | undefined>): void {
	heading(title, items);
	for (const [i, json] of items.entries()) {
		const cells = columns.map((c) => `${c}=${JSON.stringify(c.split('.').reduce<unknown>((v, k) => (v as IDataObject | undefined)?.[k], json) ?? null)}`);
		console.log(`#${i}${pairedWith ? ` (input #${pairedWith[i]})` : ''}  ${cells.join('  ')}`);
	}
}

async function main(): Promise<void> {
	const workflow = JSON.parse(JSON.stringify(crmWorkflow)) as { name: string; nodes: INode[] };
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
		const launch = workflow.nodes.find((n) => n.name === 'Launch Authentication')!;
		launch.parameters.contactFlowId = env.CCC_CONTACT_FLOW_ID!;
		console.log(`Demo against Alibaba Cloud (${credential.endpoint || credential.regionId}).`);
	} else {
		emu = await startEmulator({ port: Number(env.EMULATOR_PORT ?? 0) });
		credential = emulatorCredential(emu.endpoint);
		console.log(`CCC emulator listening on ${emu.endpoint} (signature-checking, no cloud account needed).`);
	}
	const launch = workflow.nodes.find((n) => n.name === 'Launch Authentication')!;
	launch.onError = 'continueRegularOutput';
	try {
		const started = Date.now();
		const result = await runWorkflow({
			workflow: workflow as unknown as WorkflowJson,
			nodeTypes: { [NODE_TYPE]: new LaunchAuthentication() },
			credentials: { [CREDENTIAL_TYPE]: credential },
			credentialTypes: { [CREDENTIAL_TYPE]: new AlibabaCloudCccApi() },
		});
		console.log(`Workflow "${workflow.name}" ran in n8n's engine: ${result.status} in ${Date.now() - started} ms; nodes: ${result.executedNodes.join(' → ')}`);
		show('CRM Events (input)', result.json('CRM Events'), ['ticketId', 'callJobId', 'agent']);
		const launched = result.outputs('Launch Authentication');
		show(
			'Launch Authentication (one item per channel)',
			launched.map((i) => i.json),
			['ChannelId', 'ChannelState', 'Index', 'CallContext.JobId', 'UserContext.UserState', 'RequestId', 'error'],
			launched.map((i) => (i.pairedItem as { item: number } | undefined)?.item),
		);
		if (launched[0]) console.log(`\nFirst item in full:\n${JSON.stringify(launched[0].json, null, 2)}`);
		heading('Notify (notification-shaped Set node)', result.json('Notify'));
		for (const n of result.json('Notify')) console.log(`• ${n.text}`);
		if (emu) {
			console.log('\n── Requests the emulator received and verified ──');
			for (const r of emu.requests) console.log(`${r.action} JobId=${r.params.JobId} → ${r.outcome}`);
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
