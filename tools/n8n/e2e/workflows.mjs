// Workflows the end-to-end test imports into n8n (n8n's import:workflow format), and the id of the credential
// they use (imported from sandbox.emulatorCredentialsFile).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

export const CREDENTIAL_ID = 'cccE2eCredential';
export const MANUAL_WORKFLOW_ID = 'cccE2eManual0001';
export const QUEUE_WORKFLOW_ID = 'cccE2eQueue00001';
export const LAUNCH_NODE = 'Launch Authentication';
export const CALLS_NODE = 'Calls';
export const SIGNING_NODE = 'Launch via HTTP Request';
export const WEBHOOK_ID = '0b9a4a52-5c1e-4c55-9e43-6d6f1f0e0001';

/**
 * Manual Trigger → Code node "Calls" (5 call events) → Launch Authentication (expressions, Continue On Fail),
 * plus Manual Trigger → HTTP Request calling LaunchAuthentication, signed by the credential alone (authenticate).
 */
export function manualWorkflow({ endpoint }) {
	const text = readFileSync(join(HERE, 'launch-authentication.workflow.json'), 'utf8');
	return JSON.parse(text.replaceAll('__CCC_ENDPOINT__', endpoint));
}

/**
 * The same calls and Launch Authentication node behind a Webhook trigger (POST /webhook/<path>, answering
 * with every item of the last node), for queue mode: production webhook executions are enqueued to workers.
 */
export function webhookWorkflow({ endpoint, path }) {
	const workflow = manualWorkflow({ endpoint });
	workflow.id = QUEUE_WORKFLOW_ID;
	workflow.name = 'E2E queue mode: webhook → calls → Launch Authentication (emulator)';
	workflow.nodes = workflow.nodes
		.filter((n) => n.name !== SIGNING_NODE)
		.map((n) =>
			n.type === 'n8n-nodes-base.manualTrigger'
				? {
						id: n.id,
						name: n.name,
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2.1,
						position: n.position,
						webhookId: WEBHOOK_ID,
						parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
					}
				: n,
		);
	for (const outputs of Object.values(workflow.connections)) {
		outputs.main = outputs.main.map((targets) => targets.filter((t) => t.node !== SIGNING_NODE));
	}
	return workflow;
}

// ---------------------------------------------------------------------------------------------------------
// Version 2 of the node: Wait for Result, Get Result, resource locators next to a version 1 node, and the
// examples in examples/ made runnable.

export const WAIT_WORKFLOW_ID = 'cccE2eWaitResult';
export const GET_RESULT_WORKFLOW_ID = 'cccE2eGetResult1';
export const VERSIONS_WORKFLOW_ID = 'cccE2eVersions12';
/** Nodes of the workflows above (checked by result-expectations.mjs). */
export const NODES = Object.freeze({
	waitCalls: 'Scenario Calls',
	wait: 'Launch and Wait',
	neverCall: 'Unfinished Call',
	waitShort: 'Launch and Wait (2 s)',
	getResultCalls: 'Launched Calls',
	getResult: 'Get Result',
	getResultWaitCall: 'Call Still in the Flow',
	getResultWait: 'Get Result (Wait Until Finished)',
	v1Call: 'Call for Version 1',
	v1: 'Launch v1 (text fields)',
	v2Call: 'Call for Version 2',
	v2: 'Launch v2 (pickers)',
});

export const INSTANCE = 'ccc-test';
export const AUTH_FLOW = 'af145gfc-1108-4d55-8fca-f719bd512ebb';
export const AGENT = 'user-test@ccc-test';
export const DEVICE = 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90';

/** The calls of the Wait for Result workflow, in order, and the status each must end with. */
export const WAIT_CALLS = [
	{ ticket: 'T-2001', job: 'job-auth-pass', status: 'Passed', exitCode: 'Success', authResult: 'PASS', rows: 5 },
	{ ticket: 'T-2002', job: 'job-auth-fail', status: 'Failed', exitCode: 'Failure', authResult: 'FAIL', rows: 11 },
	{ ticket: 'T-2003', job: 'job-auth-hangup', status: 'Hangup', exitCode: 'Hangup', rows: 5 },
	{ ticket: 'T-2004', job: 'job-auth-other-flows', status: 'Passed', exitCode: 'Success', authResult: 'PASS', rows: 5 },
	{ ticket: 'T-2005', job: 'job-auth-throttled', status: 'Passed', exitCode: 'Success', authResult: 'PASS', rows: 5 },
	{ ticket: 'T-2006', job: 'job-auth-long', status: 'Passed', exitCode: 'Success', authResult: 'PASS', rows: 128 },
];
/** The call that never leaves the flow: Wait for Result with a 2-second Result Timeout. */
export const NEVER_CALL = { ticket: 'T-2007', job: 'job-auth-never', status: 'Timeout' };
/** Get Result (read once) over calls launched by the Wait for Result workflow, and one never launched. */
export const GET_RESULT_CALLS = [
	{ job: 'job-auth-pass', status: 'Passed' },
	{ job: 'job-auth-fail', status: 'Failed' },
	{ job: 'job-auth-hangup', status: 'Hangup' },
	{ job: 'job-auth-never', status: 'Pending', reason: /still in the flow/ },
	{ job: 'job-auth-other-flows', status: 'Passed' },
	{ job: 'job-missing-channel', status: 'Pending', reason: /has not started yet/, neverLaunched: true },
];
export const V1_JOB = 'job-load-9101';
export const V2_JOB = 'job-load-9102';

/** A resource locator value as the editor saves it. */
export const rl = (mode, value, cachedResultName) => ({ __rl: true, mode, value, ...(cachedResultName ? { cachedResultName } : {}) });

const CCC_NODE_TYPE = 'n8n-nodes-alibaba-ccc.launchAuthentication';
const credentials = { alibabaCloudCccApi: { id: CREDENTIAL_ID, name: 'Alibaba Cloud CCC (emulator)' } };

let nodeCounter = 0;
const nodeId = (prefix) => `${prefix}-0000-4000-8000-${String(++nodeCounter).padStart(12, '0')}`;

function manualTrigger(position = [0, 0]) {
	return { id: nodeId('7a2d3b20'), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position, parameters: {} };
}

/** A Code node returning `items` (plain JSON objects). */
export function codeNode(name, items, position) {
	return {
		id: nodeId('7a2d3b21'),
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position,
		parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: `return ${JSON.stringify(items, null, 2)}.map((json) => ({ json }));\n` },
	};
}

function cccNode(name, typeVersion, parameters, position, extra = {}) {
	return { id: nodeId('7a2d3b22'), name, type: CCC_NODE_TYPE, typeVersion, position, parameters, credentials, ...extra };
}

function workflow(id, name, nodes, chains) {
	const connections = {};
	for (const [from, to] of chains) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Version 2 Launch parameters with list-picked instance, flow and agent (as the editor saves a pick). */
function pickedLaunch(options) {
	return {
		operation: 'launch',
		instanceId: rl('list', INSTANCE, `${INSTANCE} (${INSTANCE})`),
		contactFlowId: rl('list', AUTH_FLOW, 'PIN verification · MAIN_FLOW'),
		jobId: '={{ $json.job }}',
		userId: rl('list', AGENT, '测试坐席 (user-test, ext. 80326034)'),
		options,
	};
}

/**
 * Manual Trigger → "Scenario Calls" (the emulator's IVR trace scenarios) → Launch with Wait for Result (v2,
 * pickers, Include Trace), and Manual Trigger → "Unfinished Call" → the same with a 2-second Result Timeout.
 */
export function waitWorkflow() {
	const wait = { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 30, maxRetries: 5, includeTrace: true, contactFlowVariables: '={{ JSON.stringify({ ticket: $json.ticket }) }}' };
	return workflow(
		WAIT_WORKFLOW_ID,
		'E2E: scenario calls → Launch with Wait for Result (v2, emulator)',
		[
			manualTrigger(),
			codeNode(NODES.waitCalls, WAIT_CALLS.map(({ ticket, job }) => ({ ticket, job })), [220, 0]),
			cccNode(NODES.wait, 2, pickedLaunch(wait), [440, 0]),
			codeNode(NODES.neverCall, [{ ticket: NEVER_CALL.ticket, job: NEVER_CALL.job }], [220, 220]),
			cccNode(NODES.waitShort, 2, pickedLaunch({ waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 2 }), [440, 220]),
		],
		[
			['Start', NODES.waitCalls],
			[NODES.waitCalls, NODES.wait],
			['Start', NODES.neverCall],
			[NODES.neverCall, NODES.waitShort],
		],
	);
}

/**
 * Get Result (v2) of calls the Wait for Result workflow launched (and one never launched), read once; and
 * Get Result with Wait Until Finished and Launched At on the call that never leaves the flow. Launches nothing.
 */
export function getResultWorkflow({ launchedBefore }) {
	const target = (extra) => ({
		operation: 'getResult',
		instanceId: rl('id', INSTANCE),
		contactFlowId: rl('list', AUTH_FLOW, 'PIN verification · MAIN_FLOW'),
		jobId: '={{ $json.job }}',
		...extra,
	});
	return workflow(
		GET_RESULT_WORKFLOW_ID,
		'E2E: Get Result (v2) of launched calls (emulator)',
		[
			manualTrigger(),
			codeNode(NODES.getResultCalls, GET_RESULT_CALLS.map(({ job }) => ({ job })), [220, 0]),
			cccNode(NODES.getResult, 2, target({ resultOptions: {} }), [440, 0]),
			codeNode(NODES.getResultWaitCall, [{ job: NEVER_CALL.job, launchedAt: launchedBefore }], [220, 220]),
			cccNode(
				NODES.getResultWait,
				2,
				target({ resultOptions: { waitUntilFinished: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 1, launchedAt: '={{ $json.launchedAt }}' } }),
				[440, 220],
			),
		],
		[
			['Start', NODES.getResultCalls],
			[NODES.getResultCalls, NODES.getResult],
			['Start', NODES.getResultWaitCall],
			[NODES.getResultWaitCall, NODES.getResultWait],
		],
	);
}

/**
 * A version 1 node (text fields, as saved before version 2) and a version 2 node (resource locators: list,
 * ID, and an expression in ID mode) in one workflow, each launching its own call.
 */
export function versionsWorkflow() {
	return workflow(
		VERSIONS_WORKFLOW_ID,
		'E2E: Launch Authentication version 1 and version 2 side by side (emulator)',
		[
			manualTrigger(),
			codeNode(NODES.v1Call, [{ job: V1_JOB, agent: AGENT }], [220, 0]),
			cccNode(NODES.v1, 1, { instanceId: INSTANCE, contactFlowId: AUTH_FLOW, jobId: '={{ $json.job }}', userId: AGENT, deviceId: DEVICE, options: {} }, [440, 0]),
			codeNode(NODES.v2Call, [{ job: V2_JOB, agent: AGENT }], [220, 220]),
			cccNode(
				NODES.v2,
				2,
				{
					operation: 'launch',
					instanceId: rl('list', INSTANCE, `${INSTANCE} (${INSTANCE})`),
					contactFlowId: rl('id', AUTH_FLOW),
					jobId: '={{ $json.job }}',
					userId: rl('id', '={{ $json.agent }}'),
					deviceId: DEVICE,
					options: {},
				},
				[440, 220],
			),
		],
		[
			['Start', NODES.v1Call],
			[NODES.v1Call, NODES.v1],
			['Start', NODES.v2Call],
			[NODES.v2Call, NODES.v2],
		],
	);
}

// ---------------------------------------------------------------------------------------------------------
// examples/: imported as they are (n8n must accept them), and run with their trigger and their Slack and
// e-mail nodes swapped for stand-ins.

export const EXAMPLES_DIR = join(HERE, '..', '..', '..', 'examples');

/** The runnable examples: file, workflow id, the CRM events fed in, and where each must end up. */
export const RUNNABLE_EXAMPLES = [
	{
		file: 'crm-event-launch-wait-if-passed.json',
		id: 'cccE2eExampleIf1',
		tickets: 'T-3',
	},
	{
		file: 'wait-node-then-get-result.json',
		id: 'cccE2eExampleWt1',
		tickets: 'T-4',
		/** The example waits 2 minutes; the run waits this long instead. */
		waitSeconds: 2,
	},
];
/** The CRM events each runnable example gets (ticketId = tickets + index), and their route. */
export const EXAMPLE_EVENTS = [
	{ jobId: 'job-auth-pass', route: 'Slack: caller verified', status: 'Passed' },
	{ jobId: 'job-auth-fail', route: 'Slack: fraud alert', status: 'Failed' },
	{ jobId: 'job-auth-hangup', route: 'Slack: fraud alert', status: 'Hangup' },
	{ jobId: 'job-does-not-exist', route: 'E-mail supervisors', errorCode: 'NotExists.JobId' },
];
export const EXAMPLE_TRIGGER = 'CRM Call Event';

export function exampleEvents(tickets) {
	return EXAMPLE_EVENTS.map((e, i) => ({
		body: { ticketId: `${tickets}00${i + 1}`, instanceId: INSTANCE, contactFlowId: AUTH_FLOW, jobId: e.jobId, agentUserId: AGENT },
	}));
}

export function readExample(file) {
	return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
}

/**
 * An example made runnable by `n8n execute`: Manual Trigger → Code node with the example's trigger name
 * giving webhook-shaped items ({ body }); each Slack / e-mail node becomes a Set node of the same name that
 * evaluates the message's expressions (text, subject); the CCC nodes use the emulator credential; a Wait node
 * waits `waitSeconds` instead.
 */
export function runnableExample({ file, id, tickets, waitSeconds }) {
	const example = readExample(file);
	const stand = (node, fields) => ({
		id: node.id,
		name: node.name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: node.position,
		parameters: {
			mode: 'manual',
			assignments: { assignments: Object.entries(fields).map(([name, value], i) => ({ id: `${node.id}-${i}`, name, value, type: 'string' })) },
			options: {},
		},
	});
	const nodes = example.nodes.map((node) => {
		switch (node.type) {
			case 'n8n-nodes-base.webhook':
				return { ...codeNode(node.name, exampleEvents(tickets), node.position), id: node.id };
			case 'n8n-nodes-base.slack':
				return stand(node, { channel: node.parameters.channelId.value, text: node.parameters.text });
			case 'n8n-nodes-base.emailSend':
				return stand(node, { to: node.parameters.toEmail, subject: node.parameters.subject, text: node.parameters.text });
			case 'n8n-nodes-base.wait':
				return { ...node, parameters: { ...node.parameters, amount: waitSeconds, unit: 'seconds' } };
			case CCC_NODE_TYPE:
				return { ...node, credentials };
			default:
				return node;
		}
	});
	const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	const start = manualTrigger([trigger.position[0] - 220, trigger.position[1]]);
	return {
		...example,
		id,
		name: `E2E: ${example.name}`,
		active: false,
		nodes: [start, ...nodes],
		connections: { ...example.connections, Start: { main: [[{ node: trigger.name, type: 'main', index: 0 }]] } },
		pinData: {},
	};
}
