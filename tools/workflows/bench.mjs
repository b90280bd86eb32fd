// Workflows of the real-n8n bench (bench/n8n/, which imports them through tools/workflows/index.mjs), in n8n's
// import:workflow format.
//
// Three variants do the same job on each call event, so that they can be compared event by event:
//   node:  Launch Authentication (this package), fields mapped with expressions;
//   http:  n8n's HTTP Request node calling LaunchAuthentication, signed by this package's credential alone
//          (Predefined Credential Type alibabaCloudCccApi → the credential's `authenticate`);
//   floor: a Set node mapping the same five fields (n8n's own cost of an event, no CCC call).
// Each variant exists as a webhook workflow (one event per POST, answered with the last node's first item)
// and as a batch workflow for `n8n execute` (Manual Trigger → Set makes N jobs → Split Out → the variant).
// A fourth webhook workflow, wait, is the node with Wait for Result (Poll Interval 1 s) on the emulator's
// job-auth-pass call, whose IVR flow the bench sets to finish 1 s after the launch.
// Mappings (batches): all (the five fields as expressions), two (Job ID and Agent as expressions, the rest
// fixed values, as a CRM event usually carries only the call and the agent), fixed (no expression).
import { cccCredential, chain, CREDENTIAL_TYPE, FIXTURES, manualTrigger, NODE_TYPE, rl, setNode, webhookNode, workflow } from './build.mjs';

export const BENCH_VARIANTS = /** @type {const} */ (['node', 'http', 'floor']);
/** The webhook workflows: the three variants and the node with Wait for Result. */
export const BENCH_WEBHOOKS = /** @type {const} */ ([...BENCH_VARIANTS, 'wait']);
export const BENCH_MAPPINGS = /** @type {const} */ (['all', 'two', 'fixed']);
/** Wait for Result's Poll Interval in the wait workflow, s. */
export const BENCH_WAIT_POLL_INTERVAL_S = 1;
export const BENCH_CREDENTIAL_ID = 'cccBenchCredenti';

/** The fields of one call event, as the webhook receives them: the API page's example with a JobId of the emulator's load pattern (job-load-<n>). */
export function benchEventBody(jobId) {
	return { ...FIXTURES.documented.request, JobId: jobId };
}

const FIELDS = ['InstanceId', 'ContactFlowId', 'JobId', 'UserId', 'DeviceId'];
const credentials = cccCredential(BENCH_CREDENTIAL_ID);

const EXPRESSION_FIELDS = { all: FIELDS, two: ['JobId', 'UserId'], fixed: [] };

/**
 * The variant's node, reading the event's fields from `$json<prefix>.<Field>` (with mapping 'two' or 'fixed',
 * the other fields are the documented request's fixed values).
 */
function variantNode(variant, { endpoint, prefix, concurrency, mapping = 'all', wait = false }) {
	const field = (name) => (EXPRESSION_FIELDS[mapping].includes(name) ? `={{ $json${prefix}.${name} }}` : FIXTURES.documented.request[name]);
	const base = { id: `bench-${variant}`, position: [440, 0] };
	if (variant === 'node') {
		const id = (name) => rl('id', field(name));
		return {
			...base,
			name: FIXTURES.nodeName,
			type: NODE_TYPE,
			typeVersion: 2,
			parameters: {
				operation: 'launch',
				mappingMode: 'defineBelow',
				instanceId: id('InstanceId'),
				contactFlowId: id('ContactFlowId'),
				jobId: field('JobId'),
				userId: id('UserId'),
				deviceId: field('DeviceId'),
				options: {
					...(concurrency ? { concurrency } : {}),
					...(wait ? { waitForResult: true, pollIntervalSeconds: BENCH_WAIT_POLL_INTERVAL_S, resultTimeoutSeconds: 10 } : {}),
				},
			},
			credentials,
		};
	}
	if (variant === 'http') {
		return {
			...base,
			name: 'LaunchAuthentication via HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			parameters: {
				method: 'POST',
				url: `${endpoint}/?Action=LaunchAuthentication`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: CREDENTIAL_TYPE,
				sendQuery: true,
				specifyQuery: 'keypair',
				queryParameters: { parameters: FIELDS.map((name) => ({ name, value: field(name) })) },
				options: {},
			},
			credentials,
		};
	}
	return setNode(
		base.id,
		'Map fields',
		FIELDS.map((name, i) => ({ id: `f${i}`, name, value: field(name), type: 'string' })),
		base.position,
	);
}

/** 16-character workflow ids, as n8n's. */
export const benchWebhookWorkflowId = (variant) => `cccBenchHook${variant.padEnd(4, '0').slice(0, 4)}`;
export const benchBatchWorkflowId = (variant, concurrency, mapping = 'all') => `cccBenchBat${variant.slice(0, 1)}${mapping.slice(0, 1)}${String(concurrency ?? 0).padStart(3, '0')}`;
export const benchWebhookPath = (variant) => `ccc-bench-${variant}`;

/** Webhook (POST /webhook/ccc-bench-<variant>) → the variant → answer with its first item. */
export function benchWebhookWorkflow(variant, { endpoint }) {
	const wait = variant === 'wait';
	const hook = webhookNode({
		id: `hook-${variant}`,
		name: 'Call event',
		position: [0, 0],
		webhookId: `7d2b5c4e-0b1a-4c1e-9a6f-00000000000${BENCH_WEBHOOKS.indexOf(variant)}`,
		path: benchWebhookPath(variant),
		parameters: { responseMode: 'lastNode', responseData: 'firstEntryJson' },
	});
	const nodes = [hook, variantNode(wait ? 'node' : variant, { endpoint, prefix: '.body', wait })];
	return workflow(benchWebhookWorkflowId(variant), `Bench event: ${variant}`, nodes, chain(nodes.map((n) => n.name)));
}

/**
 * Manual Trigger → Set ("jobs": N call events, built by one expression) → Split Out (one item per event) →
 * the variant. No Code node: everything runs in n8n's main process (no task runner).
 */
export function benchBatchWorkflow(variant, { endpoint, items, concurrency, mapping = 'all' }) {
	const event = JSON.stringify(benchEventBody('job-load-'));
	const jobs = `={{ Array.from({ length: ${items} }, (_, i) => ({ ...${event}, JobId: 'job-load-' + i })) }}`;
	const nodes = [
		manualTrigger('start'),
		setNode('jobs', 'Jobs', [{ id: 'jobs', name: 'jobs', value: jobs, type: 'array' }], [150, 0]),
		{ id: 'split', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [300, 0], parameters: { fieldToSplitOut: 'jobs', options: {} } },
		variantNode(variant, { endpoint, prefix: '', concurrency, mapping }),
	];
	const name = `Bench batch: ${variant}${concurrency ? ` @${concurrency}` : ''}, ${mapping}`;
	return workflow(benchBatchWorkflowId(variant, concurrency, mapping), name, nodes, chain(nodes.map((n) => n.name)));
}
