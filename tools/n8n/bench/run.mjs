#!/usr/bin/env node
// The real-n8n part of the bench (issue 15: per-event latency on a running n8n, at least as fast as the
// HTTP Request node). `npm run bench:n8n` runs it alone; `npm run bench` runs it after the in-process part.
//
// 1. The package is packed and installed as a community package into a throwaway user folder (as the e2e
//    test does); the CCC emulator runs in this process on loopback with BENCH_LATENCY_MS (20) per answer.
// 2. `n8n start` with three published webhook workflows (workflows.mjs): the node, the HTTP Request node
//    signed by this package's credential, and a Set node mapping the same fields (n8n's floor).
//    - cold: the very first event after start goes to the node variant; then the first HTTP Request and
//      floor events;
//    - warm: BENCH_N8N_WARMUP (20), then BENCH_N8N_EVENTS (80) events per variant, one at a time, interleaved
//      so that each variant follows each other one equally often, BENCH_N8N_GAP_MS (100) apart; latency is
//      measured here, from sending the POST to the whole answer. The n8n process's CPU per event (per thread)
//      is read from /proc.
//    - bursts (on the same n8n, then on one started with N8N_EXPRESSION_ENGINE_POOL_SIZE=4; BENCH_N8N_POOL_SIZES,
//      default "1,4"): bursts of 10 and of 50 events of one variant sent at once (BENCH_N8N_BURSTS, "10,50"),
//      the bursts in PERIOD order (each variant's burst follows each other variant's equally often),
//      BENCH_N8N_BURST_GAP_MS (1000) apart; then events back to back (one at a time, the next sent as soon
//      as the previous answer is read, BENCH_N8N_BACK_TO_BACK (40) per variant, in PERIOD order). Latency per
//      event: from sending its POST to its whole answer.
//    - Wait for Result: BENCH_N8N_WAIT_EVENTS (10) events to the node with Wait for Result (Poll Interval
//      1 s) on a call whose IVR flow finishes 1 s after the launch, one at a time, against the node's warm
//      median without waiting: the cost Wait for Result adds to the flow's own duration.
// 3. The warm events again on an n8n with N8N_EXPRESSION_ENGINE=legacy (information; BENCH_N8N_SKIP_LEGACY=1).
// 4. Batch: BENCH_N8N_BATCH_ITEMS (2000) items through `n8n execute` (a fresh n8n process per workflow):
//    the node at Concurrency 5 (default) and 20 with the five fields as expressions, and at 20 with only
//    Job ID and Agent as expressions and with fixed values; the HTTP Request node (its default: every item's
//    request at once); the Set floor mapping the five fields and the two; wall time of the process, the
//    variant node's executionTime, and the process's peak RSS (VmHWM from /proc/<pid>/status).
// 5. With BENCH_N8N_PROFILE=1: n8n restarted with --cpu-prof, BENCH_N8N_PROFILE_EVENTS (200) events per
//    variant in blocks; profile.mjs tells where the main thread's milliseconds go per event.
//
// Prints the tables and PASS/FAIL per target; writes BENCH_N8N_RESULTS (.build/bench-n8n-results.json).
// Other settings: BENCH_N8N_SKIP_BUILD=1 (pack the current dist/), BENCH_N8N_KEEP=1 (keep the run folder),
// BENCH_N8N_SKIP_BATCH=1. Exits 0 unless the bench itself breaks: it is a report.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { ensureN8n, n8nBin, N8N_VERSION } from '../ensure-n8n.mjs';
import * as sandbox from '../sandbox.mjs';
import { analyzeProfile, PROFILE_FUNCTIONS } from './profile.mjs';
import { batchWorkflow, batchWorkflowId, CREDENTIAL_ID, eventBody, VARIANTS, WAIT_POLL_INTERVAL_S, WEBHOOKS, webhookPath, webhookWorkflow } from './workflows.mjs';

const num = (name, fallback) => {
	const v = Number(process.env[name]);
	return Number.isFinite(v) && v > 0 ? v : fallback;
};
const CONFIG = {
	latencyMs: num('BENCH_LATENCY_MS', 20),
	warmupRounds: num('BENCH_N8N_WARMUP', 20),
	rounds: num('BENCH_N8N_EVENTS', 80),
	gapMs: num('BENCH_N8N_GAP_MS', 100),
	batchItems: num('BENCH_N8N_BATCH_ITEMS', 2000),
	profileEvents: num('BENCH_N8N_PROFILE_EVENTS', 200),
	profile: process.env.BENCH_N8N_PROFILE === '1',
	bursts: (process.env.BENCH_N8N_BURSTS || '10,50').split(',').map(Number).filter((n) => n > 0),
	burstGapMs: num('BENCH_N8N_BURST_GAP_MS', 1000),
	backToBack: num('BENCH_N8N_BACK_TO_BACK', 40),
	poolSizes: (process.env.BENCH_N8N_POOL_SIZES || '1,4').split(',').map(Number).filter((n) => n > 0),
	waitEvents: num('BENCH_N8N_WAIT_EVENTS', 10),
	skipBursts: process.env.BENCH_N8N_SKIP_BURSTS === '1',
	skipBatch: process.env.BENCH_N8N_SKIP_BATCH === '1',
	skipLegacy: process.env.BENCH_N8N_SKIP_LEGACY === '1',
	build: process.env.BENCH_N8N_SKIP_BUILD !== '1',
	keep: process.env.BENCH_N8N_KEEP === '1',
	resultsFile: process.env.BENCH_N8N_RESULTS || join(sandbox.REPO_DIR, '.build', 'bench-n8n-results.json'),
};
const TARGETS = { coldOverWarmMs: 150, waitAddedOverPollMs: 10 };
/** How long the wait workflow's IVR flow (job-auth-pass) takes from the launch to its last node's end. */
const WAIT_FLOW_MS = 1000;
const WAIT_JOB = 'job-auth-pass';
/**
 * The batch runs: variant, the node's Concurrency (undefined: the variant's default) and the mapping
 * (workflows.mjs: all five fields as expressions, two of them, or none).
 */
const BATCH_RUNS = [
	{ variant: 'node', concurrency: undefined, mapping: 'all' },
	{ variant: 'node', concurrency: 20, mapping: 'all' },
	{ variant: 'node', concurrency: 20, mapping: 'two' },
	{ variant: 'node', concurrency: 20, mapping: 'fixed' },
	{ variant: 'http', concurrency: undefined, mapping: 'all' },
	{ variant: 'floor', concurrency: undefined, mapping: 'all' },
	{ variant: 'floor', concurrency: undefined, mapping: 'two' },
];
const MAPPING_LABEL = { all: 'five fields as expressions', two: 'Job ID and Agent as expressions', fixed: 'fixed values' };
const LABEL = { node: 'Launch Authentication node', http: 'HTTP Request node + credential', floor: 'Set node (floor)' };

const log = (line) => process.stderr.write(`bench:n8n: ${line}\n`);
const problems = [];
/** What happened that does not invalidate the figures (a crashed run done again). */
const notes = [];
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// ---------------------------------------------------------------------------------------------------------
// Statistics

function quantile(values, q) {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
const median = (values) => quantile(values, 0.5);

/** 95% bootstrap interval of the median (deterministic: a fixed-seed generator). */
function medianInterval(values, resamples = 2000) {
	let seed = 12345;
	const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
	const medians = [];
	for (let r = 0; r < resamples; r++) medians.push(median(values.map(() => values[Math.floor(random() * values.length)])));
	return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

const f = (v, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function table(header, rows) {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const cell = (c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]));
	const line = (cells) => `| ${cells.map(cell).join(' | ')} |`;
	return [line(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// The n8n process, seen from /proc

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of each thread of a process, ms (10 ms resolution), by thread id, with its name. */
function threadsCpuMs(pid) {
	const threads = new Map();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			const name = tid === String(pid) ? 'main thread' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '').trim();
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			threads.set(tid, { name, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND });
		} catch {
			// the thread ended meanwhile
		}
	}
	return threads;
}

/** CPU ms used by thread name (threads of one name summed) between two threadsCpuMs() readings. */
function cpuByThreadName(before, after) {
	const by = {};
	for (const [tid, { name, cpuMs }] of after) by[name] = (by[name] ?? 0) + cpuMs - (before.get(tid)?.cpuMs ?? 0);
	return by;
}

/** VmRSS and VmHWM (peak RSS) of a process, MB; undefined once it has exited. */
function processMemory(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
	} catch {
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------------------
// Set-up: the package as a community package, the emulator, credential and workflows imported

async function setUp() {
	const runDir = sandbox.makeRunDir('n8n-ccc-bench-');
	const userFolder = join(runDir, 'user');
	const logs = join(runDir, 'logs');
	mkdirSync(logs, { recursive: true });
	const logFile = (name) => join(logs, `${name}.log`);
	log(`run folder ${runDir}`);
	await ensureN8n();
	log(`${CONFIG.build ? 'npm run build, ' : ''}npm pack, install as a community package...`);
	await sandbox.prepareUserFolder({ userFolder, packDir: join(runDir, 'pack'), build: CONFIG.build, logFile: logFile('build-install') });

	const { startEmulator } = sandbox.loadEmulator();
	const { SCENARIOS } = createRequire(import.meta.url)(join(sandbox.REPO_DIR, 'emulator', 'ivrTrace.js'));
	const flowRows = SCENARIOS[WAIT_JOB].script.length;
	const emulator = await startEmulator({ port: 0, latencyMs: CONFIG.latencyMs, traceStepMs: WAIT_FLOW_MS / flowRows });
	const env = async (extra = {}) => sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort(), logLevel: 'warn', ...extra });

	const importDir = join(runDir, 'import');
	mkdirSync(join(importDir, 'workflows'), { recursive: true });
	const credentialsFile = join(importDir, 'credentials.json');
	writeFileSync(credentialsFile, JSON.stringify(sandbox.emulatorCredentialsFile({ id: CREDENTIAL_ID, endpoint: emulator.endpoint })));
	const workflows = [
		...WEBHOOKS.map((v) => webhookWorkflow(v, { endpoint: emulator.endpoint })),
		...BATCH_RUNS.map(({ variant, concurrency, mapping }) => batchWorkflow(variant, { endpoint: emulator.endpoint, items: CONFIG.batchItems, concurrency, mapping })),
	];
	for (const w of workflows) writeFileSync(join(importDir, 'workflows', `${w.id}.json`), JSON.stringify(w));
	try {
		await sandbox.n8nCommand(['import:credentials', `--input=${credentialsFile}`], { env: await env(), logFile: logFile('import') });
	} finally {
		rmSync(credentialsFile, { force: true });
	}
	await sandbox.n8nCommand(['import:workflow', '--separate', `--input=${join(importDir, 'workflows')}`], { env: await env(), logFile: logFile('import') });
	for (const v of WEBHOOKS) {
		await sandbox.n8nCommand(['publish:workflow', `--id=${webhookWorkflow(v, { endpoint: '' }).id}`], { env: await env(), logFile: logFile('import') });
	}
	return { runDir, userFolder, logFile, emulator, env };
}

// ---------------------------------------------------------------------------------------------------------
// n8n start and one event

/** `n8n start`; resolves once it is ready and every bench webhook is registered (checked without running one). */
async function startN8n(ctx, { name, nodeArgs = [], extra }) {
	const port = await sandbox.freePort();
	const t0 = nowMs();
	const handle = sandbox.spawnN8n(['start'], { env: await ctx.env({ port, extra }), logFile: ctx.logFile(name), name, nodeArgs });
	await sandbox.waitForN8nReady({ port, handle });
	const readyMs = nowMs() - t0;
	// A GET to a POST webhook answers "not registered for GET" once the workflow is active, without running it.
	for (const variant of WEBHOOKS) {
		await sandbox.waitFor(
			`webhook ${webhookPath(variant)}`,
			async () => /not registered for GET/.test(await (await fetch(`http://127.0.0.1:${port}/webhook/${webhookPath(variant)}`)).text()),
			{ handle, timeoutMs: 30_000, intervalMs: 200 },
		);
	}
	return { handle, port, readyMs };
}

/** What a variant's answer must hold. */
const ANSWER_OK = {
	node: (body, jobId) => body.UserContext?.JobId !== undefined && typeof body.RequestId === 'string' && body.error === undefined && jobId !== undefined,
	http: (body) => body.Code === 'OK' && body.Data?.UserContext !== undefined,
	floor: (body, jobId) => body.JobId === jobId,
	wait: (body) => body.Authentication?.Status === 'Passed' && body.error === undefined,
};

let eventCounter = 0;

/** One call event: POST to the variant's webhook, the whole answer read. Latency (ms) and the n8n process's CPU. */
async function postEvent(n8n, variant) {
	const jobId = variant === 'wait' ? WAIT_JOB : `job-load-${1_000_000 + ++eventCounter}`;
	const cpu0 = threadsCpuMs(n8n.handle.pid);
	const t0 = nowMs();
	const res = await fetch(`http://127.0.0.1:${n8n.port}/webhook/${webhookPath(variant)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(eventBody(jobId)),
	});
	const text = await res.text();
	const ms = nowMs() - t0;
	const cpuByThread = cpuByThreadName(cpu0, threadsCpuMs(n8n.handle.pid));
	const cpuMs = Object.values(cpuByThread).reduce((a, b) => a + b, 0);
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	if (res.status !== 200 || !body || !ANSWER_OK[variant](body, jobId)) {
		problems.push(`${variant} event ${jobId}: HTTP ${res.status}: ${text.slice(0, 300)}`);
	}
	return { ms, cpuMs, cpuByThread };
}

/**
 * The order of the events: one period holds each variant twice, and every variant follows every other one
 * exactly once (node→http→floor→node→floor→http, then node again), so that whatever an event leaves
 * behind in n8n (an isolate to re-create, a database write) weighs on each variant alike. A plain rotation
 * does not: with it, the node would follow the floor in 2 rounds of 3.
 */
const PERIOD = ['node', 'http', 'floor', 'node', 'floor', 'http'];

/**
 * `rounds` events per variant, one at a time, in PERIOD order, with CONFIG.gapMs of quiet before each
 * (call events arrive apart; n8n's own work after an answer is not counted against the next event).
 */
async function interleaved(n8n, rounds) {
	const samples = { node: [], http: [], floor: [] };
	for (let k = 0; k < rounds * VARIANTS.length; k++) {
		await new Promise((resolve) => setTimeout(resolve, CONFIG.gapMs));
		const variant = PERIOD[k % PERIOD.length];
		samples[variant].push(await postEvent(n8n, variant));
	}
	return samples;
}

// ---------------------------------------------------------------------------------------------------------
// Measurements

/** A fresh `n8n start`; the first event of each variant, in this order; n8n is stopped again unless `keep`. */
async function coldStart(ctx, order, { name, keep = false }) {
	const n8n = await startN8n(ctx, { name });
	const firstEvents = {};
	try {
		for (const variant of order) firstEvents[variant] = (await postEvent(n8n, variant)).ms;
	} finally {
		if (!keep) await n8n.handle.stop(20_000);
	}
	return { n8n, order, firstEvents };
}

/** Warm-up rounds, then the measured rounds, on a running n8n. */
async function warmEvents(n8n) {
	log(`warm-up: ${CONFIG.warmupRounds} rounds...`);
	await interleaved(n8n, CONFIG.warmupRounds);
	log(`measured: ${CONFIG.rounds} rounds, the 3 variants interleaved...`);
	const memoryBefore = processMemory(n8n.handle.pid);
	const samples = await interleaved(n8n, CONFIG.rounds);
	return { samples, memoryBefore, memoryAfter: processMemory(n8n.handle.pid) };
}

/**
 * Cold first events after two fresh starts (node first; then floor first, which shows n8n's own first-event
 * cost), then, on the first start, the interleaved warm events.
 */
async function measureEvents(ctx) {
	const from = ctx.emulator.requests.length;
	log('n8n start; cold first events (node, http, floor)...');
	const coldNodeFirst = await coldStart(ctx, ['node', 'http', 'floor'], { name: 'n8n-start', keep: true });
	const { n8n } = coldNodeFirst;
	let warm;
	try {
		log(`n8n was ready in ${f(n8n.readyMs / 1000)} s`);
		warm = await warmEvents(n8n);
		if (!CONFIG.skipBursts) {
			warm.bursts = CONFIG.poolSizes.includes(1) ? await burstEvents(n8n) : undefined;
			warm.wait = await waitEvents(n8n);
		}
	} finally {
		await n8n.handle.stop(20_000);
	}
	log('n8n start again; cold first events (floor, node, http)...');
	const coldFloorFirst = await coldStart(ctx, ['floor', 'node', 'http'], { name: 'n8n-start-2' });
	const seen = ctx.emulator.requests.slice(from).filter((r) => r.action === 'LaunchAuthentication');
	const burstLaunches = warm.bursts ? (2 / 3) * (CONFIG.bursts.reduce((n, size) => n + size * (size <= 10 ? 2 : 1) * PERIOD.length, 0) + CONFIG.backToBack * VARIANTS.length) : 0;
	const launches = 2 * (2 + CONFIG.warmupRounds + CONFIG.rounds) + burstLaunches + (warm.wait?.length ?? 0);
	if (seen.length !== launches || seen.some((r) => r.status !== 200 || !r.launched)) {
		problems.push(`events: the emulator saw ${seen.length} requests (${seen.filter((r) => r.status === 200).length} HTTP 200), expected ${launches} launches`);
	}
	const cold = (c) => ({ order: c.order, firstEventsMs: c.firstEvents, readyMs: c.n8n.readyMs });
	return { readyMs: n8n.readyMs, cold: { nodeFirst: cold(coldNodeFirst), floorFirst: cold(coldFloorFirst) }, ...warm };
}

/**
 * The same warm events with n8n's legacy expression engine (N8N_EXPRESSION_ENGINE=legacy) instead of 2.x's
 * default isolated-vm engine, whose isolate pool re-creates an isolate after every execution: information
 * for comparing the variants without that per-execution cost.
 */
async function measureLegacyEngine(ctx) {
	log('n8n start with N8N_EXPRESSION_ENGINE=legacy...');
	const n8n = await startN8n(ctx, { name: 'n8n-start-legacy', extra: { N8N_EXPRESSION_ENGINE: 'legacy' } });
	try {
		return await warmEvents(n8n);
	} finally {
		await n8n.handle.stop(20_000);
	}
}

/**
 * Bursts on a running, warmed-up n8n: for each burst size, PERIOD (twice for bursts of 10 or fewer) of bursts,
 * each `size` events of one variant sent at once; then events back to back. Per event: the time from
 * sending its POST to its whole answer.
 */
async function burstEvents(n8n) {
	const bySize = {};
	for (const size of CONFIG.bursts) {
		const periods = size <= 10 ? 2 : 1;
		log(`bursts of ${size}: ${periods * PERIOD.length} bursts, ${(periods * PERIOD.length) / VARIANTS.length} per variant...`);
		const samples = { node: [], http: [], floor: [] };
		for (let k = 0; k < periods * PERIOD.length; k++) {
			await new Promise((resolve) => setTimeout(resolve, CONFIG.burstGapMs));
			const variant = PERIOD[k % PERIOD.length];
			samples[variant].push(...(await Promise.all(Array.from({ length: size }, () => postEvent(n8n, variant)))));
		}
		bySize[size] = samples;
	}
	log(`back to back: ${CONFIG.backToBack} events per variant, in PERIOD order, no pause...`);
	const backToBack = { node: [], http: [], floor: [] };
	await new Promise((resolve) => setTimeout(resolve, CONFIG.burstGapMs));
	for (let k = 0; k < CONFIG.backToBack * VARIANTS.length; k++) {
		const variant = PERIOD[k % PERIOD.length];
		backToBack[variant].push(await postEvent(n8n, variant));
	}
	return { bySize, backToBack };
}

/** Median and p90 per event of each variant. */
function burstFigures(samples) {
	return Object.fromEntries(
		VARIANTS.map((v) => {
			const ms = samples[v].map((s) => s.ms);
			return [v, { events: ms.length, medianMs: median(ms), p90Ms: quantile(ms, 0.9), maxMs: Math.max(...ms) }];
		}),
	);
}

/** Wait for Result on a flow that finishes WAIT_FLOW_MS after the launch: events one at a time. */
async function waitEvents(n8n) {
	log(`Wait for Result: ${CONFIG.waitEvents} events (flow of ${WAIT_FLOW_MS} ms, Poll Interval ${WAIT_POLL_INTERVAL_S} s)...`);
	const ms = [];
	for (let i = 0; i < CONFIG.waitEvents; i++) {
		await new Promise((resolve) => setTimeout(resolve, CONFIG.gapMs));
		ms.push((await postEvent(n8n, 'wait')).ms);
	}
	return ms;
}

/** The bursts on n8n started with each other pool size (the default, 1, is measured on the events' n8n). */
async function measureOtherPools(ctx) {
	const pools = {};
	for (const size of CONFIG.poolSizes.filter((p) => p !== 1)) {
		log(`n8n start with N8N_EXPRESSION_ENGINE_POOL_SIZE=${size}...`);
		const n8n = await startN8n(ctx, { name: `n8n-start-pool-${size}`, extra: { N8N_EXPRESSION_ENGINE_POOL_SIZE: String(size) } });
		try {
			await interleaved(n8n, CONFIG.warmupRounds);
			pools[size] = await burstEvents(n8n);
		} finally {
			await n8n.handle.stop(20_000);
		}
	}
	return pools;
}

/** One batch workflow through `n8n execute` in a fresh process: wall time, the variant node's executionTime, peak RSS. */
async function measureBatch(ctx, { variant, concurrency, mapping }) {
	const id = batchWorkflowId(variant, concurrency, mapping);
	const from = ctx.emulator.requests.length;
	const t0 = nowMs();
	const handle = sandbox.spawnLogged(process.execPath, [n8nBin(), 'execute', `--id=${id}`], {
		cwd: ctx.userFolder,
		env: await ctx.env(),
		logFile: ctx.logFile(`n8n-execute-${id}`),
		name: `n8n execute ${id}`,
		capture: false,
	});
	let memory = { rssMb: 0, peakRssMb: 0 };
	const sampler = setInterval(() => {
		const m = processMemory(handle.pid);
		// A process that is exiting (zombie) has no Vm* lines: those reads are NaN and skipped.
		if (m && Number.isFinite(m.peakRssMb)) memory = { rssMb: Math.max(memory.rssMb, m.rssMb), peakRssMb: Math.max(memory.peakRssMb, m.peakRssMb) };
	}, 50);
	const { code } = await handle.exited;
	clearInterval(sampler);
	const wallMs = nowMs() - t0;
	if (code !== 0) throw new Error(`n8n execute --id=${id} exited ${code}:\n${sandbox.tailFile(ctx.logFile(`n8n-execute-${id}`), 30)}`);
	// The run as n8n stored it (the JSON `execute` prints can be cut short when n8n exits with MBs still in the pipe).
	const run = (await sandbox.readExecutions(ctx.userFolder)).filter((e) => e.workflowId === id).at(-1);
	if (!run?.data) throw new Error(`n8n execute --id=${id}: no stored execution`);
	const node = batchWorkflow(variant, { endpoint: '', items: 1, concurrency, mapping }).nodes.at(-1).name;
	const task = run.data.resultData.runData[node]?.[0];
	const out = task?.data?.main?.[0] ?? [];
	const errors = out.filter((i) => i.json.error !== undefined).length + (task?.error ? 1 : 0);
	const requests = ctx.emulator.requests.slice(from);
	const expectedRequests = variant === 'floor' ? 0 : CONFIG.batchItems;
	if (run.status !== 'success' || errors > 0 || out.length < CONFIG.batchItems || requests.length !== expectedRequests || requests.some((r) => r.status !== 200)) {
		problems.push(`batch ${id}: status ${run.status}, ${out.length} items, ${errors} errors, emulator saw ${requests.length} requests (expected ${expectedRequests})`);
	}
	return {
		variant,
		concurrency: concurrency ?? null,
		mapping,
		items: CONFIG.batchItems,
		outputItems: out.length,
		wallMs,
		nodeExecutionMs: task?.executionTime ?? NaN,
		peakRssMb: memory.peakRssMb,
		maxSampledRssMb: memory.rssMb,
		maxRequestsInFlight: variant === 'floor' ? 0 : maxInFlight(requests),
	};
}

/** Most requests the emulator had received and not yet answered at once (its arrival times + the latency). */
function maxInFlight(requests) {
	const edges = requests.flatMap((r) => [
		[r.at, 1],
		[r.at + CONFIG.latencyMs, -1],
	]);
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let most = 0;
	for (const [, d] of edges) most = Math.max(most, (now += d));
	return most;
}

async function measureBatches(ctx) {
	const results = [];
	for (const run of BATCH_RUNS) {
		log(`batch: ${CONFIG.batchItems} items, ${run.variant}${run.concurrency ? ` @${run.concurrency}` : ''}, ${run.mapping} (n8n execute, fresh process)...`);
		const id = batchWorkflowId(run.variant, run.concurrency, run.mapping);
		try {
			results.push(await measureBatch(ctx, run));
		} catch (error) {
			// n8n execute has been seen to die at random (SIGSEGV, or exit code 1 with nothing logged): such a run
			// is run again once; a second failure is a problem of this batch only, not of the whole bench.
			notes.push(`batch ${id}: n8n execute failed (${/\[n8n-sandbox\] exited with (\w+)/.exec(error.message)?.[1] ?? error.message.split('\n')[0]}); ran it again`);
			log(notes.at(-1));
			try {
				results.push(await measureBatch(ctx, run));
			} catch (again) {
				problems.push(`batch ${id} failed twice: ${again.message.split('\n').slice(0, 3).join(' ')}`);
			}
		}
	}
	return results;
}

/** n8n under --cpu-prof: blocks of events per variant; the profile split by the blocks' time windows. */
async function measureProfile(ctx) {
	const dir = join(ctx.runDir, 'cpu-profile');
	log(`profile: n8n start --cpu-prof, ${CONFIG.profileEvents} events per variant...`);
	const n8n = await startN8n(ctx, { name: 'n8n-start-profile', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] });
	const windows = {};
	try {
		await interleaved(n8n, CONFIG.warmupRounds);
		for (const variant of VARIANTS) {
			const start = nowMs();
			for (let i = 0; i < CONFIG.profileEvents; i++) await postEvent(n8n, variant);
			windows[variant] = { startMs: start, endMs: nowMs(), events: CONFIG.profileEvents };
		}
	} finally {
		await n8n.handle.stop(30_000);
	}
	const file = readdirSync(dir)
		.filter((name) => name.includes(`.${n8n.handle.pid}.`) && name.endsWith('.cpuprofile'))
		.map((name) => join(dir, name))[0];
	if (!file) throw new Error(`no CPU profile of process ${n8n.handle.pid} in ${dir}`);
	const profile = analyzeProfile(JSON.parse(readFileSync(file, 'utf8')), windows);
	const kept = join(sandbox.REPO_DIR, '.build', 'bench-n8n.cpuprofile');
	writeFileSync(kept, readFileSync(file));
	return { file: relative(sandbox.REPO_DIR, kept), ...profile };
}

// ---------------------------------------------------------------------------------------------------------
// Figures, targets, report

/** CPU ms per event by thread name, over a variant's events. */
function perThread(samples) {
	const sum = {};
	for (const s of samples) for (const [name, ms] of Object.entries(s.cpuByThread)) sum[name] = (sum[name] ?? 0) + ms;
	return Object.fromEntries(Object.entries(sum).map(([name, ms]) => [name, ms / samples.length]));
}

function eventFigures(events) {
	const per = {};
	for (const v of VARIANTS) {
		const ms = events.samples[v].map((s) => s.ms);
		per[v] = {
			events: ms.length,
			medianMs: median(ms),
			p90Ms: quantile(ms, 0.9),
			minMs: Math.min(...ms),
			medianInterval95Ms: medianInterval(ms),
			cpuMsPerEvent: events.samples[v].reduce((a, s) => a + s.cpuMs, 0) / ms.length,
			cpuMsPerEventByThread: perThread(events.samples[v]),
			coldMs: events.cold?.nodeFirst.firstEventsMs[v],
			coldAfterFloorMs: events.cold?.floorFirst.firstEventsMs[v],
		};
	}
	for (const v of VARIANTS) per[v].overFloorMs = per[v].medianMs - per.floor.medianMs;
	// Paired in sending order: the k-th node event with the k-th HTTP Request event (a few events apart).
	const diffs = events.samples.http.map((s, i) => s.ms - events.samples.node[i].ms);
	const httpMinusNode = { medianMs: median(diffs), interval95Ms: medianInterval(diffs), nodeFasterInRounds: diffs.filter((d) => d > 0).length, rounds: diffs.length };
	return { per, httpMinusNode };
}

/** Bursts and Wait for Result, figured: per pool size, per burst size and back to back, median and p90 per variant. */
function burstResults(events, otherPools) {
	const pools = {};
	const figure = (b) => ({ bySize: Object.fromEntries(Object.entries(b.bySize).map(([size, samples]) => [size, burstFigures(samples)])), backToBack: burstFigures(b.backToBack) });
	if (events.bursts) pools[1] = figure(events.bursts);
	for (const [size, b] of Object.entries(otherPools ?? {})) pools[size] = figure(b);
	return pools;
}

/** Wait for Result's cost over the flow's own duration: its events' latency − the flow − the node's warm median without waiting. */
function waitResults(events, per) {
	if (!events.wait) return undefined;
	const added = events.wait.map((ms) => ms - WAIT_FLOW_MS - per.node.medianMs);
	return { events: events.wait.length, flowMs: WAIT_FLOW_MS, pollIntervalMs: WAIT_POLL_INTERVAL_S * 1000, medianMs: median(events.wait), maxMs: Math.max(...events.wait), addedMedianMs: median(added), addedMaxMs: Math.max(...added) };
}

function targetsOf(ev, pools, wait) {
	const { per, httpMinusNode } = ev;
	const cold = per.node.coldMs - per.node.medianMs;
	const burstTargets = Object.entries(pools).flatMap(([pool, b]) => {
		const ten = b.bySize[10];
		if (!ten) return [];
		return [
			{
				name: `bursts of 10 (N8N_EXPRESSION_ENGINE_POOL_SIZE=${pool}): node p90 per event not above the HTTP Request node's`,
				value: ten.node.p90Ms - ten.http.p90Ms,
				pass: ten.node.p90Ms <= ten.http.p90Ms,
				shown: `node ${f(ten.node.p90Ms)} ms vs HTTP Request ${f(ten.http.p90Ms)} ms (medians ${f(ten.node.medianMs)} vs ${f(ten.http.medianMs)} ms)`,
			},
		];
	});
	const waitTargets = wait
		? [
				{
					name: `Wait for Result adds at most one Poll Interval + ${TARGETS.waitAddedOverPollMs} ms to a ${wait.flowMs} ms flow`,
					value: wait.addedMaxMs,
					pass: wait.addedMaxMs <= wait.pollIntervalMs + TARGETS.waitAddedOverPollMs,
					shown: `added ${f(wait.addedMedianMs)} ms median, ${f(wait.addedMaxMs)} ms at most over ${wait.events} events (event latency ${f(wait.medianMs)} ms median − flow ${wait.flowMs} ms − the node's warm median ${f(per.node.medianMs)} ms without waiting); limit ${wait.pollIntervalMs + TARGETS.waitAddedOverPollMs} ms`,
				},
			]
		: [];
	return [
		...burstTargets,
		...waitTargets,
		{
			name: 'warm event: node median − floor < HTTP Request median − floor, and the paired difference\'s 95% interval above 0',
			value: httpMinusNode.medianMs,
			pass: per.node.overFloorMs < per.http.overFloorMs && httpMinusNode.interval95Ms[0] > 0,
			shown: `${f(per.node.overFloorMs)} ms vs ${f(per.http.overFloorMs)} ms; HTTP − node, paired: median ${f(httpMinusNode.medianMs)} ms (95% ${f(httpMinusNode.interval95Ms[0])} to ${f(httpMinusNode.interval95Ms[1])}), node faster in ${httpMinusNode.nodeFasterInRounds}/${httpMinusNode.rounds} pairs`,
		},
		{
			name: `cold first event (node) within ${TARGETS.coldOverWarmMs} ms of the warm median`,
			value: cold,
			pass: cold <= TARGETS.coldOverWarmMs,
			shown: `${f(per.node.coldMs)} ms vs ${f(per.node.medianMs)} ms warm: +${f(cold)} ms`,
		},
	];
}

function report(results) {
	const { per } = results.events.figures;
	const out = [''];
	out.push(`Real n8n ${N8N_VERSION} (n8n start, SQLite, regular mode), emulator latency ${CONFIG.latencyMs} ms; n8n ready ${f(results.events.readyMs / 1000)} s after start`);
	out.push('');
	out.push(
		table(
			[`warm events (${CONFIG.rounds} per variant, interleaved, one at a time, ${CONFIG.gapMs} ms apart)`, 'median ms', 'p90 ms', 'min ms', 'median − floor ms', 'median 95% interval ms', 'n8n CPU ms/event', 'cold first event ms'],
			VARIANTS.map((v) => [
				LABEL[v],
				f(per[v].medianMs),
				f(per[v].p90Ms),
				f(per[v].minMs),
				v === 'floor' ? '–' : f(per[v].overFloorMs),
				`${f(per[v].medianInterval95Ms[0])}–${f(per[v].medianInterval95Ms[1])}`,
				f(per[v].cpuMsPerEvent),
				f(per[v].coldMs),
			]),
		),
	);
	out.push('Latency: this process sends the POST and reads the whole answer. CPU: the n8n process, all threads (/proc, 10 ms ticks, summed over the events).');
	const threadNames = [...new Set(VARIANTS.flatMap((v) => Object.keys(per[v].cpuMsPerEventByThread)))].filter((name) => VARIANTS.some((v) => per[v].cpuMsPerEventByThread[name] >= 0.5));
	out.push(`n8n CPU ms/event by thread: ${VARIANTS.map((v) => `${v}: ${threadNames.map((name) => `${name} ${f(per[v].cpuMsPerEventByThread[name] ?? 0)}`).join(', ')}`).join('; ')}`);
	out.push('Cold: the first event after `n8n start` went to the node; the HTTP Request and floor columns are the next two events.');
	const after = results.events.cold.floorFirst.firstEventsMs;
	out.push(
		`Second fresh start, floor first: floor ${f(after.floor)} ms (n8n's own first event), then node ${f(after.node)} ms, then HTTP Request ${f(after.http)} ms (first use of each after n8n has run one event).`,
	);
	for (const [pool, b] of Object.entries(results.bursts ?? {})) {
		out.push('');
		const rows = [];
		for (const [size, fig] of Object.entries(b.bySize)) for (const v of VARIANTS) rows.push([`burst of ${size}: ${LABEL[v]}`, String(fig[v].events), f(fig[v].medianMs), f(fig[v].p90Ms), f(fig[v].maxMs)]);
		for (const v of VARIANTS) rows.push([`back to back: ${LABEL[v]}`, String(b.backToBack[v].events), f(b.backToBack[v].medianMs), f(b.backToBack[v].p90Ms), f(b.backToBack[v].maxMs)]);
		out.push(table([`bursts, N8N_EXPRESSION_ENGINE_POOL_SIZE=${pool}${pool === '1' ? ' (default)' : ''}: ms per event, from its POST to its answer`, 'events', 'median ms', 'p90 ms', 'max ms'], rows));
	}
	if (results.bursts && Object.keys(results.bursts).length) out.push(`Bursts: the events of one burst are sent at once, bursts ${CONFIG.burstGapMs} ms apart, in the warm events' balanced order of variants; back to back: one at a time, the next sent when the previous answer is read.`);
	if (results.wait) {
		const w = results.wait;
		out.push('');
		out.push(
			`Wait for Result (Poll Interval ${w.pollIntervalMs / 1000} s, a flow that finishes ${w.flowMs} ms after the launch, ${w.events} events): event latency median ${f(w.medianMs)} ms, max ${f(w.maxMs)} ms; added over the flow and the node's warm event: median ${f(w.addedMedianMs)} ms, max ${f(w.addedMaxMs)} ms.`,
		);
	}
	if (results.legacyEngine) {
		const legacy = results.legacyEngine.figures;
		out.push('');
		out.push(
			table(
				[`the same with N8N_EXPRESSION_ENGINE=legacy (${CONFIG.rounds} per variant, interleaved)`, 'median ms', 'p90 ms', 'median − floor ms', 'n8n CPU ms/event'],
				VARIANTS.map((v) => [LABEL[v], f(legacy.per[v].medianMs), f(legacy.per[v].p90Ms), v === 'floor' ? '–' : f(legacy.per[v].overFloorMs), f(legacy.per[v].cpuMsPerEvent)]),
			),
		);
		out.push(
			`legacy engine, HTTP − node, paired: median ${f(legacy.httpMinusNode.medianMs)} ms (95% ${f(legacy.httpMinusNode.interval95Ms[0])} to ${f(legacy.httpMinusNode.interval95Ms[1])}), node faster in ${legacy.httpMinusNode.nodeFasterInRounds}/${legacy.httpMinusNode.rounds} pairs`,
		);
	}
	if (results.batch) {
		out.push('');
		out.push(
			table(
				[`batch: ${CONFIG.batchItems} items, n8n execute (fresh process each)`, 'node executionTime ms', 'process wall ms', 'peak RSS MB (VmHWM)', 'peak RSS − floor MB', 'max requests in flight'],
				results.batch.map((b) => [
					`${LABEL[b.variant]}${b.concurrency ? `, Concurrency ${b.concurrency}` : b.variant === 'node' ? ', Concurrency 5 (default)' : ''}, ${MAPPING_LABEL[b.mapping]}`,
					f(b.nodeExecutionMs, 0),
					f(b.wallMs, 0),
					f(b.peakRssMb),
					b.variant === 'floor' ? '–' : f(b.peakRssMb - (results.batch.find((x) => x.variant === 'floor' && x.mapping === 'all')?.peakRssMb ?? NaN)),
					String(b.maxRequestsInFlight),
				]),
			),
		);
		out.push('The HTTP Request node sends every item\'s request at once (no Batching option set): its wall time is one latency, not N × latency / concurrency.');
	}
	if (results.profile) {
		out.push('');
		out.push(`CPU profile of n8n's main thread (${CONFIG.profileEvents} events per variant in blocks, ${results.profile.file}): ms per event`);
		out.push(
			table(
				['where', ...VARIANTS.map((v) => LABEL[v])],
				results.profile.rows.map((r) => [r.label, ...VARIANTS.map((v) => f(r.msPerEvent[v], 2))]),
			),
		);
	}
	out.push('');
	for (const t of results.targets) out.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.shown}`);
	if (notes.length) out.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
	if (problems.length) {
		out.push('', 'PROBLEMS (the figures above may not be valid):', ...problems.map((p) => `  - ${p}`));
	}
	return `${out.join('\n')}\n`;
}

async function main() {
	const started = Date.now();
	const loadBefore = loadavg();
	let ctx;
	try {
		ctx = await setUp();
		const events = await measureEvents(ctx);
		const figures = eventFigures(events);
		const otherPools = CONFIG.skipBursts ? undefined : await measureOtherPools(ctx);
		const bursts = burstResults(events, otherPools);
		const wait = waitResults(events, figures.per);
		const legacy = CONFIG.skipLegacy ? undefined : await measureLegacyEngine(ctx);
		const batch = CONFIG.skipBatch ? undefined : await measureBatches(ctx);
		const profile = CONFIG.profile ? await measureProfile(ctx) : undefined;
		const results = {
			date: new Date().toISOString(),
			machine: { nproc: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, n8n: N8N_VERSION },
			config: { ...CONFIG, resultsFile: relative(sandbox.REPO_DIR, CONFIG.resultsFile), profileFunctions: PROFILE_FUNCTIONS.map((p) => p.label) },
			events: { readyMs: events.readyMs, cold: events.cold, figures, memoryBefore: events.memoryBefore, memoryAfter: events.memoryAfter, raw: events.samples },
			bursts,
			wait,
			legacyEngine: legacy && { figures: eventFigures(legacy), memoryBefore: legacy.memoryBefore, memoryAfter: legacy.memoryAfter, raw: legacy.samples },
			batch,
			profile,
			loadAverage: { before: loadBefore, after: loadavg() },
			problems,
			notes,
			durationS: (Date.now() - started) / 1000,
		};
		results.targets = targetsOf(figures, bursts, wait);
		process.stdout.write(report(results));
		mkdirSync(dirname(CONFIG.resultsFile), { recursive: true });
		writeFileSync(CONFIG.resultsFile, `${JSON.stringify(results, null, 2)}\n`);
		process.stdout.write(`\nresults: ${relative(sandbox.REPO_DIR, CONFIG.resultsFile)} (real-n8n part took ${f((Date.now() - started) / 1000, 0)} s)\n`);
	} finally {
		await sandbox.stopAll(10_000);
		await ctx?.emulator.close().catch(() => undefined);
		if (ctx && !CONFIG.keep) rmSync(ctx.runDir, { recursive: true, force: true });
		else if (ctx) log(`kept ${ctx.runDir}`);
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench:n8n failed: ${error.stack ?? error}\n`);
		process.exit(1);
	},
);
