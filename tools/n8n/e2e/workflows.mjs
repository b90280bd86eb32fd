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
