// examples/ in the end-to-end test: imported as they are (n8n must accept them), and run with their trigger and
// their Slack and e-mail nodes swapped for stand-ins (checked by tools/n8n/e2e/result-expectations.mjs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cccCredential, NODE_TYPE, setNode } from './build.mjs';
import { AGENT, AUTH_FLOW, callsNode, E2E_CREDENTIAL_ID, INSTANCE, startNode } from './e2e.mjs';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

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
	const stand = (node, fields) => setNode(node.id, node.name, fields, node.position);
	const nodes = example.nodes.map((node) => {
		switch (node.type) {
			case 'n8n-nodes-base.webhook':
				return { ...callsNode(node.name, exampleEvents(tickets), node.position), id: node.id };
			case 'n8n-nodes-base.slack':
				return stand(node, { channel: node.parameters.channelId.value, text: node.parameters.text });
			case 'n8n-nodes-base.emailSend':
				return stand(node, { to: node.parameters.toEmail, subject: node.parameters.subject, text: node.parameters.text });
			case 'n8n-nodes-base.wait':
				return { ...node, parameters: { ...node.parameters, amount: waitSeconds, unit: 'seconds' } };
			case NODE_TYPE:
				return { ...node, credentials: cccCredential(E2E_CREDENTIAL_ID) };
			default:
				return node;
		}
	});
	const trigger = example.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	const start = startNode([trigger.position[0] - 220, trigger.position[1]]);
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
