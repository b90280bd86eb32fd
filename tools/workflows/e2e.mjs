// The workflows the end-to-end test (tools/n8n/e2e/run.mjs) imports into n8n, the calls they feed the node and
// the names of their nodes (checked by tools/n8n/e2e/expectations.mjs and result-expectations.mjs). They use the
// credential E2E_CREDENTIAL_ID (imported from sandbox.emulatorCredentialsFile).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cccCredential, FIXTURES, itemsNode, manualTrigger, NODE_TYPE, nodeIds, rl, webhookNode, workflow } from './build.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

export const E2E_CREDENTIAL_ID = 'cccE2eCredential';
export const MANUAL_WORKFLOW_ID = 'cccE2eManual0001';
export const QUEUE_WORKFLOW_ID = 'cccE2eQueue00001';
export const LAUNCH_NODE = FIXTURES.nodeName;
export const CALLS_NODE = 'Calls';
export const SIGNING_NODE = 'Launch via HTTP Request';
export const QUEUE_WEBHOOK_ID = '0b9a4a52-5c1e-4c55-9e43-6d6f1f0e0001';

/**
 * Manual Trigger → Code node "Calls" (5 call events) → Launch Authentication (version 1, expressions, Continue
 * On Fail), plus Manual Trigger → HTTP Request calling LaunchAuthentication, signed by the credential alone
 * (authenticate): e2e-calls-launch-v1-and-signed-http.json with the emulator's endpoint.
 */
export function manualCallsWorkflow({ endpoint }) {
	const text = readFileSync(join(HERE, 'e2e-calls-launch-v1-and-signed-http.json'), 'utf8');
	return JSON.parse(text.replaceAll('__CCC_ENDPOINT__', endpoint));
}

/**
 * The same calls and Launch Authentication node behind a Webhook trigger (POST /webhook/<path>, answering
 * with every item of the last node), for queue mode: production webhook executions are enqueued to workers.
 */
export function queueCallsWorkflow({ endpoint, path }) {
	const calls = manualCallsWorkflow({ endpoint });
	calls.id = QUEUE_WORKFLOW_ID;
	calls.name = 'E2E queue mode: webhook → calls → Launch Authentication (emulator)';
	calls.nodes = calls.nodes
		.filter((n) => n.name !== SIGNING_NODE)
		.map((n) =>
			n.type === 'n8n-nodes-base.manualTrigger'
				? webhookNode({ id: n.id, name: n.name, position: n.position, webhookId: QUEUE_WEBHOOK_ID, path, parameters: { responseMode: 'lastNode', responseData: 'allEntries' } })
				: n,
		);
	for (const outputs of Object.values(calls.connections)) {
		outputs.main = outputs.main.map((targets) => targets.filter((t) => t.node !== SIGNING_NODE));
	}
	return calls;
}

// ---------------------------------------------------------------------------------------------------------
// Version 2 of the node: Wait for Result, Get Result, resource locators next to a version 1 node.

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

/** The emulator's directory: its instance, PIN flow, agent and workbench (emulator/directory.js). */
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

const credentials = cccCredential(E2E_CREDENTIAL_ID);
/** Node ids of this module's workflows (and of the runnable examples' triggers: examples.mjs). */
export const e2eNodeId = nodeIds('7a2d3b20');

export const startNode = (position) => manualTrigger(e2eNodeId('7a2d3b20'), position);

/** A Code node returning `items` (plain JSON objects). */
export const callsNode = (name, items, position) => itemsNode(e2eNodeId('7a2d3b21'), name, items, position);

/** A Launch Authentication node on the e2e credential. */
export function cccNode(name, typeVersion, parameters, position) {
	return { id: e2eNodeId('7a2d3b22'), name, type: NODE_TYPE, typeVersion, position, parameters, credentials };
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
			startNode(),
			callsNode(NODES.waitCalls, WAIT_CALLS.map(({ ticket, job }) => ({ ticket, job })), [220, 0]),
			cccNode(NODES.wait, 2, pickedLaunch(wait), [440, 0]),
			callsNode(NODES.neverCall, [{ ticket: NEVER_CALL.ticket, job: NEVER_CALL.job }], [220, 220]),
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
			startNode(),
			callsNode(NODES.getResultCalls, GET_RESULT_CALLS.map(({ job }) => ({ job })), [220, 0]),
			cccNode(NODES.getResult, 2, target({ resultOptions: {} }), [440, 0]),
			callsNode(NODES.getResultWaitCall, [{ job: NEVER_CALL.job, launchedAt: launchedBefore }], [220, 220]),
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
			startNode(),
			callsNode(NODES.v1Call, [{ job: V1_JOB, agent: AGENT }], [220, 0]),
			cccNode(NODES.v1, 1, { instanceId: INSTANCE, contactFlowId: AUTH_FLOW, jobId: '={{ $json.job }}', userId: AGENT, deviceId: DEVICE, options: {} }, [440, 0]),
			callsNode(NODES.v2Call, [{ job: V2_JOB, agent: AGENT }], [220, 220]),
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
