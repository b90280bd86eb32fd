// The workflows of the end-to-end network checks (tools/n8n/e2e/network.mjs): n8n's HTTP Request node signed
// by a CCC credential (the control) next to Launch with Wait for Result, once per credential ("target": the
// proxy, HTTPS through the proxy, localhost in NO_PROXY, loopback).
import { cccCredential, chain, codeNode, CREDENTIAL_TYPE, manualTrigger, NODE_TYPE, nodeIds, rl, webhookNode, workflow } from './build.mjs';
import { AUTH_FLOW, INSTANCE } from './e2e.mjs';

export const NETWORK_WORKFLOW_ID = 'cccE2eNetwork001';
export const NETWORK_MANUAL_WORKFLOW_ID = 'cccE2eNetManual1';
/** The call every target launches. */
export const NETWORK_JOB = 'job-auth-pass';

const nodeId = nodeIds('5c0e7a10');

/** The names of a target's nodes. */
export const networkNodeNames = (key) => ({ filter: `Only ${key}`, http: `HTTP Request (${key})`, launch: `Launch and Wait (${key})`, collect: `Collect (${key})`, respond: `Respond (${key})` });

function signedHttpRequest(name, target, position) {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position,
		onError: 'continueRegularOutput',
		parameters: {
			method: 'GET',
			url: `${target.endpoint}/?Action=ListInstances&PageNumber=1&PageSize=10`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: CREDENTIAL_TYPE,
			options: {},
		},
		credentials: cccCredential(target.id, target.name),
	};
}

function launchAndWait(name, target, position) {
	return {
		id: nodeId(),
		name,
		type: NODE_TYPE,
		typeVersion: 2,
		position,
		onError: 'continueRegularOutput',
		parameters: {
			operation: 'launch',
			instanceId: rl('id', INSTANCE),
			contactFlowId: rl('id', AUTH_FLOW),
			jobId: NETWORK_JOB,
			options: { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 20, maxRetries: 1 },
		},
		credentials: cccCredential(target.id, target.name),
	};
}

const collectCode = (n) =>
	`return [{ json: { http: $(${JSON.stringify(n.http)}).all().map((i) => i.json), launch: $(${JSON.stringify(n.launch)}).all().map((i) => i.json) } }];\n`;

/**
 * POST /webhook/<path> {"target": key} → that target's Code filter → HTTP Request node → Launch with Wait for
 * Result → Collect → Respond to Webhook. byTarget: { key: { id, name, endpoint } } of each credential.
 */
export function networkWorkflow({ path, byTarget }) {
	const webhook = webhookNode({ id: nodeId(), name: 'Network Check', position: [0, 0], webhookId: '0b9a4a52-5c1e-4c55-9e43-6d6f1f0e0a01', path, parameters: { responseMode: 'responseNode' } });
	const nodes = [webhook];
	const pairs = [];
	Object.entries(byTarget).forEach(([key, target], row) => {
		const n = networkNodeNames(key);
		const y = row * 200;
		nodes.push(
			codeNode(nodeId(), n.filter, `return $input.all().filter((item) => item.json.body && item.json.body.target === ${JSON.stringify(key)});\n`, [220, y]),
			signedHttpRequest(n.http, target, [440, y]),
			launchAndWait(n.launch, target, [660, y]),
			codeNode(nodeId(), n.collect, collectCode(n), [880, y]),
			{ id: nodeId(), name: n.respond, type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [1100, y], parameters: { respondWith: 'allIncomingItems', options: {} } },
		);
		pairs.push(...chain([webhook.name, n.filter, n.http, n.launch, n.collect, n.respond]));
	});
	return workflow(NETWORK_WORKFLOW_ID, 'E2E network: proxy, HTTPS with a company CA, NO_PROXY, SSRF', nodes, pairs);
}

/**
 * Manual Trigger → HTTP Request node and Launch with Wait for Result, on the proxy credential and on the
 * localhost one (n8n execute).
 */
export function networkManualWorkflow({ byTarget }) {
	const nodes = [manualTrigger(nodeId())];
	const pairs = [];
	['proxy', 'noproxy'].forEach((key, row) => {
		const n = networkNodeNames(key);
		nodes.push(signedHttpRequest(n.http, byTarget[key], [220, row * 200]), launchAndWait(n.launch, byTarget[key], [440, row * 200]));
		pairs.push(...chain(['Start', n.http, n.launch]));
	});
	return workflow(NETWORK_MANUAL_WORKFLOW_ID, 'E2E network: lowercase proxy variables, localhost not exempted (n8n execute)', nodes, pairs);
}
