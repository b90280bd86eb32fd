// Queue mode of the end-to-end test (run.mjs): a Redis of our own on loopback (Debian's redis-server, installed
// when missing if this process is root with apt-get; otherwise queue mode is skipped, and under CI=true that
// fails), `n8n start` (main) and `n8n worker` on the same SQLite database, both behind the network checks' proxy;
// a POST to the published webhook workflow is enqueued by main and run by the worker; the stored execution and
// the webhook answer get the same checks as regular mode, and the logs show the worker ran it. Then the network
// checks' (a) through the queue (network.runQueue).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { QUEUE_WORKFLOW_ID } from '../../workflows/index.mjs';
import * as sandbox from '../sandbox.mjs';
import { checkEmulatorRequests, checkRun, checkWebhookAnswer } from './expectations.mjs';
import { postWebhook } from './n8n-http.mjs';
import * as network from './network.mjs';

/**
 * @param {{ reporter: any, net: any, emulator: any, userFolder: string, runDir: string, logFile: (name: string) => string, answers: string[] }} ctx
 * @param {{ webhookPath: string, skipQueue: boolean }} options
 */
export async function runQueueMode(ctx, { webhookPath, skipQueue }) {
	const { reporter, net, emulator, userFolder, runDir, logFile, answers } = ctx;
	const { log, check, step, phase, skip } = reporter;
	phase('Queue mode: n8n start (main) + n8n worker + Redis');
	const notRun = 'queue mode (Redis, n8n start + n8n worker, webhook run by the worker, and its checks)';
	if (skipQueue) {
		skip(notRun, 'E2E_SKIP_QUEUE=1', { required: false });
		return;
	}
	const redisServer = await sandbox.ensureRedisServer({ logFile: logFile('apt-redis') });
	if (!redisServer.path) {
		skip(notRun, redisServer.reason, { command: redisServer.command });
		return;
	}
	if (redisServer.installed) log(`  installed Debian's redis-server: ${redisServer.path}`);
	const redisPort = await sandbox.freePort();
	await step(`redis-server on 127.0.0.1:${redisPort} (no persistence)`, () =>
		sandbox.startRedis({ redisServer: redisServer.path, port: redisPort, dir: join(runDir, 'redis'), logFile: logFile('redis') }),
	);

	const plainEnv = sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort() });
	await step(`n8n publish:workflow --id=${QUEUE_WORKFLOW_ID} (webhook becomes live on start)`, () =>
		sandbox.n8nCommand(['publish:workflow', `--id=${QUEUE_WORKFLOW_ID}`], { env: plainEnv, logFile: logFile('n8n-publish') }),
	);
	if (!net.published) {
		await step(`n8n publish:workflow --id=${network.NETWORK_WORKFLOW_ID}`, () =>
			sandbox.n8nCommand(['publish:workflow', `--id=${network.NETWORK_WORKFLOW_ID}`], { env: plainEnv, logFile: logFile('n8n-publish-network') }),
		);
		net.published = true;
	}

	// Main and worker behind the proxy (HTTP_PROXY/HTTPS_PROXY, NO_PROXY for loopback: Redis, REST, the task
	// runners and the run's 127.0.0.1 emulator credential stay direct).
	const queue = { ...sandbox.queueModeEnv({ redisPort }), ...network.queueProxyEnv(net) };
	log(`  main and worker: HTTP_PROXY=HTTPS_PROXY=${net.proxy.url}, NO_PROXY=${network.queueProxyEnv(net).NO_PROXY}`);
	const mainPort = await sandbox.freePort();
	const workerHealthPort = await sandbox.freePort();
	// Inherited proxy variables dropped first (npm_config_proxy, which proxy-from-env reads before HTTP_PROXY, too).
	const withQueueProxy = (options) => ({ ...network.withoutProxyVariables(sandbox.n8nEnv(options)), ...queue });
	const mainEnv = withQueueProxy({ userFolder, port: mainPort, brokerPort: await sandbox.freePort(), extra: queue });
	const workerEnv = withQueueProxy({
		userFolder,
		brokerPort: await sandbox.freePort(),
		extra: {
			...queue,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(workerHealthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
	});
	const main = sandbox.spawnN8n(['start'], { env: mainEnv, logFile: logFile('n8n-main'), name: 'n8n main (start)' });
	const worker = sandbox.spawnN8n(['worker', '--concurrency=5'], { env: workerEnv, logFile: logFile('n8n-worker'), name: 'n8n worker' });
	await step(`n8n worker ready (health check on port ${workerHealthPort})`, () =>
		sandbox.waitForHttp(`http://127.0.0.1:${workerHealthPort}/healthz/readiness`, { handle: worker, timeoutMs: 120_000, intervalMs: 500 }),
	);
	await step(`n8n main ready on port ${mainPort} (queue mode)`, () => sandbox.waitForN8nReady({ port: mainPort, handle: main }));
	check('main and worker run in queue mode and loaded the community package', () => {
		assert.match(worker.output(), /n8n worker is now ready/);
		const typesFile = join(userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
		const types = JSON.parse(readFileSync(typesFile, 'utf8')).map((t) => t.name);
		const { nodeType, credentialType } = sandbox.FIXTURES;
		assert.ok(types.includes(nodeType), `editor node list has ${nodeType}`);
		const creds = JSON.parse(readFileSync(join(userFolder, '.cache', 'n8n', 'public', 'types', 'credentials.json'), 'utf8'));
		assert.ok(creds.some((c) => c.name === credentialType), `editor credential list has ${credentialType}`);
	});

	const from = emulator.requests.length;
	const proxyFrom = net.proxy.requests.length;
	const url = `http://127.0.0.1:${mainPort}/webhook/${webhookPath}`;
	// The webhook is registered while main starts; allow a few seconds after readiness.
	const answer = await step(`POST ${url} → enqueued, run by the worker, answered`, () =>
		postWebhook({ url, body: { source: 'e2e' }, answers, requestTimeoutMs: 60_000, handle: main, what: 'the webhook to answer 200' }),
	);
	checkWebhookAnswer(check, 'queue', answer);

	const stored = await step('execution stored by the worker (SQLite, status final)', () =>
		sandbox.waitFor(
			'the queue execution to be stored',
			async () => {
				const executions = await sandbox.readExecutions(userFolder);
				const mine = executions.filter((e) => e.workflowId === QUEUE_WORKFLOW_ID);
				return mine.find((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status) && e.data) ?? null;
			},
			{ timeoutMs: 30_000, intervalMs: 500 },
		),
	);
	check(`execution ${stored.id}: mode "webhook", run by the worker (its log), enqueued by main (its log)`, () => {
		assert.equal(stored.mode, 'webhook');
		assert.match(worker.output(), new RegExp(`Worker started execution ${stored.id} \\(job`));
		assert.match(worker.output(), new RegExp(`Worker finished execution ${stored.id} \\(job`));
		assert.match(main.output(), new RegExp(`Enqueued execution ${stored.id} \\(job`));
		assert.doesNotMatch(main.output(), /Worker started execution/);
	});
	checkRun(check, 'queue', { status: stored.status, data: stored.data });
	checkEmulatorRequests(check, 'queue', emulator.requests.slice(from));
	check('queue: the run\'s credential on 127.0.0.1 (in NO_PROXY) went directly: the proxy saw none of its requests', () =>
		assert.deepEqual(net.proxy.requests.slice(proxyFrom).filter((r) => r.port === emulator.port), []),
	);

	await network.runQueue(ctx, { mainPort });
	check(`(a) queue mode: the worker ran the proxy execution (its log), main enqueued it`, () => {
		const started = [...worker.output().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
		assert.ok(started.length >= 2, `worker started ${JSON.stringify(started)}`);
		assert.doesNotMatch(main.output(), /Worker started execution/);
	});

	const others = network.notOurs(net.proxy.requests);
	if (others.length > 0) log(`    n8n's own requests through the proxy (not the package's; refused unless a test host): ${[...new Set(others.map((r) => `${r.method} ${r.host}:${r.port} → ${r.status}`))].join(', ')}`);

	await step('main, worker and Redis stop on SIGTERM', async () => {
		await Promise.all([main.stop(20_000), worker.stop(20_000)]);
		await sandbox.stopAll(5000);
	});
}
