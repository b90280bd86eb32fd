// The bench's n8n: the package packed and installed as a community package into a throwaway user folder
// (as the e2e test does), the emulator in its own process, the credential and the bench's workflows imported
// and the webhook ones published; then `n8n start` until every bench webhook is registered.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { ensureN8n } from '../../tools/n8n/ensure-n8n.mjs';
import * as sandbox from '../../tools/n8n/sandbox.mjs';
import { BENCH_CREDENTIAL_ID, BENCH_WEBHOOKS, benchBatchWorkflow, benchWebhookPath, benchWebhookWorkflow } from '../../tools/workflows/index.mjs';
import { BATCH_RUNS, CONFIG, log, WAIT_FLOW_MS, WAIT_JOB } from './config.mjs';
import { EmulatorProcess, nowMs } from './shared.mjs';

/** The run folder, the user folder with the package installed, the emulator and the imported workflows: the context (ctx) every step gets. */
export async function setUp() {
	const runDir = sandbox.makeRunDir('n8n-ccc-bench-');
	const userFolder = join(runDir, 'user');
	const logs = join(runDir, 'logs');
	mkdirSync(logs, { recursive: true });
	const logFile = (name) => join(logs, `${name}.log`);
	log(`run folder ${runDir}`);
	await ensureN8n();
	log(`${CONFIG.build ? 'npm run build, ' : ''}npm pack, install as a community package...`);
	await sandbox.prepareUserFolder({ userFolder, packDir: join(runDir, 'pack'), build: CONFIG.build, logFile: logFile('build-install') });

	const { SCENARIOS } = createRequire(import.meta.url)(join(sandbox.REPO_DIR, 'emulator', 'ivrScenarios.js'));
	const flowRows = SCENARIOS[WAIT_JOB].script.length;
	const emulator = await EmulatorProcess.start({ latencyMs: CONFIG.latencyMs, traceStepMs: WAIT_FLOW_MS / flowRows });
	const env = async (extra = {}) => sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort(), logLevel: 'warn', ...extra });

	const importDir = join(runDir, 'import');
	mkdirSync(join(importDir, 'workflows'), { recursive: true });
	const credentialsFile = join(importDir, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(sandbox.emulatorCredentialsFile({ id: BENCH_CREDENTIAL_ID, endpoint: emulator.endpoint })));
	const workflows = [
		...BENCH_WEBHOOKS.map((v) => benchWebhookWorkflow(v, { endpoint: emulator.endpoint })),
		...BATCH_RUNS.map(({ variant, concurrency, mapping }) => benchBatchWorkflow(variant, { endpoint: emulator.endpoint, items: CONFIG.batchItems, concurrency, mapping })),
	];
	for (const w of workflows) writeFileSync(join(importDir, 'workflows', `${w.id}.json`), JSON.stringify(w));
	try {
		await sandbox.n8nCommand(['import:credentials', `--input=${credentialsFile}`], { env: await env(), logFile: logFile('import') });
	} finally {
		rmSync(credentialsFile, { force: true });
	}
	await sandbox.n8nCommand(['import:workflow', '--separate', `--input=${join(importDir, 'workflows')}`], { env: await env(), logFile: logFile('import') });
	for (const v of BENCH_WEBHOOKS) {
		await sandbox.n8nCommand(['publish:workflow', `--id=${benchWebhookWorkflow(v, { endpoint: '' }).id}`], { env: await env(), logFile: logFile('import') });
	}
	return { runDir, userFolder, logFile, emulator, env };
}

/** `n8n start`; resolves once it is ready and every bench webhook is registered (checked without running one). */
export async function startN8n(ctx, { name, nodeArgs = [], extra }) {
	const port = await sandbox.freePort();
	const t0 = nowMs();
	const handle = sandbox.spawnN8n(['start'], { env: await ctx.env({ port, extra }), logFile: ctx.logFile(name), name, nodeArgs });
	await sandbox.waitForN8nReady({ port, handle });
	const readyMs = nowMs() - t0;
	// A GET to a POST webhook answers "not registered for GET" once the workflow is active, without running it.
	for (const variant of BENCH_WEBHOOKS) {
		await sandbox.waitFor(
			`webhook ${benchWebhookPath(variant)}`,
			async () => /not registered for GET/.test(await (await fetch(`http://127.0.0.1:${port}/webhook/${benchWebhookPath(variant)}`)).text()),
			{ handle, timeoutMs: 30_000, intervalMs: 200 },
		);
	}
	return { handle, port, readyMs };
}
