#!/usr/bin/env node
// End-to-end test: this package, packed and installed as a community package, in a real n8n (2.41.1).
//
//   npm run test:e2e                 (Node 24 from the project's devDependency; n8n cached by ensure-n8n.mjs)
//
// 1. npm run build, npm pack into a throwaway folder, install the tarball into <user folder>/.n8n/nodes the
//    way n8n's community package installer does (n8n-workflow, a peer dependency, comes from n8n itself).
// 2. The CCC emulator runs in this process; n8n imports a credential pointing at it and the workflows of
//    tools/workflows/ (e2e.mjs, examples.mjs, network.mjs), then `n8n execute --id ... --rawOutput` runs Manual
//    Trigger → Code (5 calls) → Launch Authentication (expressions, Continue On Fail); the items n8n reports
//    are checked (expectations.mjs).
// 3. Version 2 of the node, same way: Launch with Wait for Result over the emulator's IVR trace scenarios
//    (job-auth-pass, -fail, -hangup, -other-flows, -throttled, -long, -never; the emulator's trace step is
//    TRACE_STEP_MS so every flow ends within seconds), Get Result after those launches (launches nothing), a
//    version 1 node next to a version 2 node with resource-locator values; then examples/: every file imported
//    as it is, its Launch Authentication parameters checked against the node's version, and the examples with
//    Wait for Result / a Wait node run with their webhook, Slack and e-mail nodes swapped for stand-ins.
// 4. Queue mode (queue.mjs): a Redis of our own on loopback (Debian's redis-server, installed when missing if this
//    process is root with apt-get; otherwise queue mode is skipped, and under CI=true that fails), `n8n start` (main) and `n8n worker` on the same SQLite
//    database; a POST to the published webhook workflow is enqueued by main and run by the worker; the
//    stored execution and the webhook answer get the same checks, and the logs show the worker ran it.
// 5. The AccessKey secret must appear nowhere in n8n's output, logs, database or answers (secrets.mjs).
// 6. n8n's network settings (network.mjs): an `n8n start` behind a forwarding proxy (../proxy.mjs) for which alone
//    ccc-emulator.internal resolves: Wait for Result, the three pickers (REST resource-locator endpoint), the
//    credential test, HTTPS through CONNECT with a test CA in NODE_EXTRA_CA_CERTS, NO_PROXY; `n8n execute` with
//    lowercase proxy variables winning; SSRF protection blocking, then allowing, the loopback endpoint; and the
//    queue-mode main and worker run behind the same proxy (Wait for Result through it, run by the worker).
//
// Environment: E2E_KEEP=1 keeps the run folder; E2E_SKIP_BUILD=1 packs the current dist/; E2E_SKIP_QUEUE=1
// skips queue mode; E2E_PHASES=network,queue (for instance) runs only those phases after the set-up; E2E_TIMEOUT_MS (default 600000) bounds the run after n8n is cached; N8N_CACHE_DIR as
// for ../ensure-n8n.mjs.
// Ends with "N passed, M failed" (", K skipped" when queue mode could not run) and exits non-zero on failure.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import {
	E2E_CREDENTIAL_ID,
	EXAMPLES_DIR,
	exampleEvents,
	GET_RESULT_WORKFLOW_ID,
	getResultWorkflow,
	MANUAL_WORKFLOW_ID,
	manualCallsWorkflow,
	queueCallsWorkflow,
	readExample,
	RUNNABLE_EXAMPLES,
	runnableExample,
	VERSIONS_WORKFLOW_ID,
	versionsWorkflow,
	WAIT_WORKFLOW_ID,
	waitWorkflow,
} from '../../workflows/index.mjs';
import { createReporter, StepFailed } from '../check-reporter.mjs';
import { ensureN8n, N8N_VERSION } from '../ensure-n8n.mjs';
import * as sandbox from '../sandbox.mjs';
import { checkEmulatorRequests, checkRun } from './expectations.mjs';
import * as network from './network.mjs';
import { runQueueMode } from './queue.mjs';
import { checkExampleRun, checkGetResultRun, checkVersionsRun, checkWaitRun, unknownCccParameters } from './result-expectations.mjs';
import { secretScan } from './secrets.mjs';

const KEEP = process.env.E2E_KEEP === '1';
const SKIP_BUILD = process.env.E2E_SKIP_BUILD === '1';
const SKIP_QUEUE = process.env.E2E_SKIP_QUEUE === '1';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 600_000);
const PHASES = process.env.E2E_PHASES ? new Set(process.env.E2E_PHASES.split(',').map((p) => p.trim())) : null;
/** The emulator's IVR trace step (ms a caller spends in each node): the longest scenario (128 rows) ends in ~3 s. */
const TRACE_STEP_MS = 25;

// ---------------------------------------------------------------------------------------------------------

const { log, fail, check, step, phase, skip, finishRun } = createReporter();

// ---------------------------------------------------------------------------------------------------------

const runDir = sandbox.makeRunDir('n8n-ccc-e2e-');
const logs = join(runDir, 'logs');
const userFolder = join(runDir, 'user');
mkdirSync(logs, { recursive: true });
const logFile = (name) => join(logs, `${name}.log`);
/** Texts that n8n produced outside log files (webhook answers), scanned for the secret too. */
const capturedAnswers = [];
let emulator;
/** The proxy, the HTTPS emulator and the test CA of the network checks (network.prepare). */
let net;

async function cleanup() {
	await sandbox.stopAll(15_000);
	if (emulator) await emulator.close().catch(() => {});
	if (net) await net.close();
}

let finished = false;
async function finish() {
	if (finished) return;
	finished = true;
	if (watchdog) clearTimeout(watchdog);
	await cleanup();
	finishRun({ title: 'E2E', runDir, keep: KEEP, keepVariable: 'E2E_KEEP' });
}

let watchdog;
/** Bounds the run once n8n is installed (a first-time n8n install by ensure-n8n is not counted). */
function armWatchdog() {
	watchdog = setTimeout(async () => {
		fail(`whole run within ${TIMEOUT_MS / 1000}s once n8n is cached (E2E_TIMEOUT_MS)`, new Error('timed out; stopping every process'));
		await finish();
		process.exit(1);
	}, TIMEOUT_MS);
}

// ---------------------------------------------------------------------------------------------------------

async function setUp() {
	phase(`Package → community package in n8n ${N8N_VERSION}`);
	log(`  run folder: ${runDir}`);
	await step(`Node ${process.versions.node} is >= 24 (n8n 2.x requirement; run through npm run test:e2e)`, () => {
		assert.ok(Number(process.versions.node.split('.')[0]) >= 24, `this is Node ${process.version}`);
	});
	const n8nDir = await step(`n8n ${N8N_VERSION} installed (ensure-n8n cache)`, () => ensureN8n());
	log(`    ${n8nDir}`);
	armWatchdog();

	const packed = await step(SKIP_BUILD ? 'npm pack (E2E_SKIP_BUILD=1: current dist/)' : 'npm run build && npm pack', () =>
		sandbox.buildAndPack({ destDir: join(runDir, 'pack'), logFile: logFile('build-pack'), build: !SKIP_BUILD }),
	);
	check('tarball holds package.json and the built node and credential named in package.json "n8n", no sources or tests', () => {
		const declared = [...sandbox.PACKAGE_JSON.n8n.nodes, ...sandbox.PACKAGE_JSON.n8n.credentials];
		for (const file of ['package.json', ...declared]) assert.ok(packed.files.includes(file), `${file} packed`);
		const unwanted = (f) => /^(test|tools|emulator|scripts|bench)\//.test(f) || /^nodes\/.*\.ts$/.test(f);
		assert.ok(!packed.files.some(unwanted), 'no tests, tools, emulator or TS sources packed');
	});

	const installed = await step('tarball installed as a community package (as n8n\'s installer does, npm registry only)', () =>
		sandbox.installCommunityPackage({ tarball: packed.tarball, userFolder, logFile: logFile('install') }),
	);
	check('runtime dependencies resolve from the installed package; n8n-workflow (peer) does not: n8n supplies its own', () => {
		const req = createRequire(join(installed.packageDir, 'package.json'));
		for (const dep of Object.keys(installed.packageJson.dependencies ?? {})) {
			assert.ok(req.resolve(`${dep}/package.json`, { paths: [installed.packageDir] }), dep);
		}
		assert.equal(installed.packageJson.peerDependencies, undefined, 'peerDependencies dropped as n8n does');
		assert.throws(() => req.resolve('n8n-workflow'), /Cannot find module/, 'n8n-workflow must come from n8n (NODE_PATH), not be installed');
		const n8nWorkflow = sandbox.n8nRequire('n8n-workflow/package.json');
		log(`    n8n's own n8n-workflow: ${n8nWorkflow.version}`);
	});
	check('the signing library resolves the pinned @alicloud/tea-util, not a later 1.x that pulls @darabonba/typescript (xml2js, moment-timezone, ws, proxy agents: about 90 ms more on the node\'s first event)', () => {
		const fromSigner = createRequire(createRequire(join(installed.packageDir, 'package.json')).resolve('@alicloud/openapi-util/package.json'));
		assert.equal(fromSigner('@alicloud/tea-util/package.json').version, installed.packageJson.dependencies['@alicloud/tea-util']);
		assert.throws(() => fromSigner('@darabonba/typescript/package.json'), /Cannot find module/);
	});

	const { startEmulator } = sandbox.loadEmulator();
	emulator = await step(`CCC emulator started in this process (IVR trace step ${TRACE_STEP_MS} ms)`, () => startEmulator({ port: 0, traceStepMs: TRACE_STEP_MS }));
	const key = sandbox.emulatorAccessKey();
	log(`    ${emulator.endpoint}`);
	net = await step(`test CA (openssl), the emulator over HTTPS for ${network.PROXY_HOST}, the forwarding proxy`, () =>
		network.prepare({ runDir, emulator, traceStepMs: TRACE_STEP_MS, logFile }),
	);
	log(`    proxy ${net.proxy.url}; ${net.tlsEmulator.endpoint}`);

	const importDir = join(runDir, 'import');
	const workflowsDir = join(importDir, 'workflows');
	mkdirSync(workflowsDir, { recursive: true });
	const credentialsPath = join(importDir, 'credentials.json');
	const credentials = [...sandbox.emulatorCredentialsFile({ id: E2E_CREDENTIAL_ID, endpoint: emulator.endpoint }), ...net.credentials];
	writeFileSync(credentialsPath, JSON.stringify(credentials, null, 2));
	const webhookPath = `ccc-e2e-${process.pid}`;
	writeFileSync(join(workflowsDir, 'manual.json'), JSON.stringify(manualCallsWorkflow({ endpoint: emulator.endpoint }), null, 2));
	writeFileSync(join(workflowsDir, 'queue.json'), JSON.stringify(queueCallsWorkflow({ endpoint: emulator.endpoint, path: webhookPath }), null, 2));
	writeFileSync(join(workflowsDir, 'wait.json'), JSON.stringify(waitWorkflow(), null, 2));
	// Launched At of the Get Result workflow: any time before the Wait for Result workflow launches.
	writeFileSync(join(workflowsDir, 'get-result.json'), JSON.stringify(getResultWorkflow({ launchedBefore: new Date().toISOString() }), null, 2));
	writeFileSync(join(workflowsDir, 'versions.json'), JSON.stringify(versionsWorkflow(), null, 2));
	for (const [file, workflow] of Object.entries(net.workflows)) writeFileSync(join(workflowsDir, file), JSON.stringify(workflow, null, 2));
	for (const example of RUNNABLE_EXAMPLES) {
		writeFileSync(join(workflowsDir, `example-${example.id}.json`), JSON.stringify(runnableExample(example), null, 2));
	}
	// examples/ as they are (no ids, blank credentials), imported on their own.
	const examplesDir = join(importDir, 'examples');
	mkdirSync(examplesDir, { recursive: true });
	const exampleFiles = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
	for (const file of exampleFiles) writeFileSync(join(examplesDir, file), readFileSync(join(EXAMPLES_DIR, file)));

	const env = sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort() });
	try {
		await step(`n8n import:credentials (${sandbox.FIXTURES.credentialType} → emulator, default key)`, () =>
			sandbox.n8nCommand(['import:credentials', `--input=${credentialsPath}`], { env, logFile: logFile('n8n-import-credentials') }),
		);
	} finally {
		rmSync(credentialsPath, { force: true }); // the only plain copy of the secret; n8n keeps it encrypted
	}
	await step('n8n import:workflow --separate (manual, webhook, version 2 and runnable example workflows)', () =>
		sandbox.n8nCommand(['import:workflow', '--separate', `--input=${workflowsDir}`], { env, logFile: logFile('n8n-import-workflows') }),
	);
	await step(`n8n import:workflow --separate accepts the ${exampleFiles.length} files of examples/ as they are`, () =>
		sandbox.n8nCommand(['import:workflow', '--separate', `--input=${examplesDir}`], { env, logFile: logFile('n8n-import-examples') }),
	);
	return { key, webhookPath, exampleFiles };
}

async function regularMode() {
	phase('Regular mode: n8n execute --id --rawOutput');
	const from = emulator.requests.length;
	const env = sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort() });
	const result = await step(`n8n execute --id=${MANUAL_WORKFLOW_ID} --rawOutput exits 0`, () =>
		sandbox.n8nCommand(['execute', `--id=${MANUAL_WORKFLOW_ID}`, '--rawOutput'], { env, logFile: logFile('n8n-execute') }),
	);
	const run = await step('execute printed the run (IRun JSON)', () => sandbox.parseExecuteOutput(result.stdout));
	check('execution mode is "cli"', () => assert.equal(run.mode, 'cli'));
	checkRun(check, 'regular', run, { expectSigning: true });
	checkEmulatorRequests(check, 'regular', emulator.requests.slice(from), { expectSigning: true });
}

/** `n8n execute --id=<id> --rawOutput` (regular mode) and the run it printed. */
async function execute(id, logName) {
	const env = sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort() });
	const result = await step(`n8n execute --id=${id} --rawOutput exits 0`, () =>
		sandbox.n8nCommand(['execute', `--id=${id}`, '--rawOutput'], { env, logFile: logFile(logName) }),
	);
	return step('execute printed the run (IRun JSON)', () => sandbox.parseExecuteOutput(result.stdout));
}

/** Runs a workflow and hands its run and the emulator requests it caused to `checker`. */
async function executeAndCheck(id, logName, checker) {
	const from = emulator.requests.length;
	const run = await execute(id, logName);
	checker(run, emulator.requests.slice(from));
}

async function version2Workflows() {
	phase('Version 2 in n8n: Wait for Result, Get Result, version 1 next to version 2 (n8n execute)');
	await executeAndCheck(WAIT_WORKFLOW_ID, 'n8n-execute-wait', (run, requests) => checkWaitRun(check, 'wait for result', run, requests));
	await executeAndCheck(GET_RESULT_WORKFLOW_ID, 'n8n-execute-get-result', (run, requests) => checkGetResultRun(check, 'get result', run, requests));
	await executeAndCheck(VERSIONS_WORKFLOW_ID, 'n8n-execute-versions', (run, requests) => checkVersionsRun(check, 'versions 1 and 2', run, requests));
}

async function examples({ exampleFiles }) {
	phase('examples/ in n8n');
	await check(`the ${exampleFiles.length} example workflows are stored under their names`, async () => {
		const stored = await sandbox.workflowNames(userFolder);
		for (const file of exampleFiles) {
			const { name } = readExample(file);
			assert.ok(stored.includes(name), `"${name}" (${file}) not among ${JSON.stringify(stored)}`);
		}
	});
	const toolWorkflows = readdirSync(join(sandbox.REPO_DIR, 'tools', 'workflows')).filter((f) => f.endsWith('.json'));
	check(`every Launch Authentication parameter and option in examples/, tools/workflows/ (${toolWorkflows.length}) and this test's workflows is one its node version shows`, () => {
		const workflows = [
			...exampleFiles.map((file) => [`examples/${file}`, readExample(file)]),
			...toolWorkflows.map((file) => [`tools/workflows/${file}`, JSON.parse(readFileSync(join(sandbox.REPO_DIR, 'tools', 'workflows', file), 'utf8'))]),
			...[waitWorkflow(), getResultWorkflow({ launchedBefore: new Date().toISOString() }), versionsWorkflow(), ...Object.values(net.workflows)].map((w) => [w.name, w]),
		];
		const problems = workflows.flatMap(([where, workflow]) => unknownCccParameters(workflow, sandbox.FIXTURES.nodeType).map((p) => `${where}: ${p}`));
		assert.deepEqual(problems, []);
	});
	for (const example of RUNNABLE_EXAMPLES) {
		const label = `example ${example.file}`;
		await executeAndCheck(example.id, `n8n-execute-${example.id}`, (run, requests) =>
			checkExampleRun(check, label, run, requests, { tickets: example.tickets, events: exampleEvents(example.tickets) }),
		);
	}
}

async function queueMode({ webhookPath }) {
	await runQueueMode(context(), { webhookPath, skipQueue: SKIP_QUEUE });
}

/** What the phases in other files (network.mjs, queue.mjs, secrets.mjs) share with this driver. */
function context() {
	return { reporter: { check, step, phase, log, skip }, net, emulator, userFolder, runDir, logFile, answers: capturedAnswers };
}

async function networkRegular() {
	await network.runRegular(context());
	net.published = true;
}

async function networkSsrf() {
	await network.runSsrf(context());
}

async function main() {
	let setup;
	try {
		setup = await setUp();
	} catch (error) {
		if (!(error instanceof StepFailed)) fail('set-up', error);
	}
	if (setup) {
		const phases = [regularMode, version2Workflows, examples, networkRegular, networkSsrf, queueMode];
		const selected = (p) => !PHASES || PHASES.has(p.name) || (PHASES.has('network') && p.name.startsWith('network')) || (PHASES.has('queue') && p.name === 'queueMode');
		for (const runPhase of phases.filter(selected)) {
			try {
				await runPhase(setup);
			} catch (error) {
				if (!(error instanceof StepFailed)) fail(runPhase.name, error);
				await sandbox.stopAll(10_000); // a failed phase leaves nothing running for the next one
			}
		}
		secretScan(context(), { key: setup.key, executeScanned: !PHASES || PHASES.has('regularMode') });
	}
	await finish();
}

main().catch(async (error) => {
	fail('e2e driver', error);
	await finish();
});
