/**
 * `npm run bench` (issue "Performance"): the LaunchAuthentication node against the CCC emulator
 * (separate process, 20 ms latency per answer), run through n8n's real engine (n8n-core WorkflowExecute,
 * tools/engine/engine.ts) from the compiled dist/, next to the same requests without the node: through
 * Alibaba's SDK (`callApi`, the external reference: what a hand-written SDK integration costs) and through
 * the node's own transport alone (V3 signing + node:http). Then the real-n8n part (tools/n8n/bench/run.mjs:
 * per-event latency on a running `n8n start` vs the HTTP Request node, batches through `n8n execute`).
 * Prints tables and one PASS/FAIL line per target, and writes everything to .build/bench-results.json.
 * Always exits 0 unless the bench itself breaks: it is a report.
 *
 * Environment (optional): BENCH_ITEMS (1000), BENCH_RUNS (5, for concurrency 5 and 20),
 * BENCH_SLOW_RUNS (3, for concurrency 1 and the sequential loops: ~21 s each), BENCH_RSS_ITEMS (10000),
 * BENCH_RSS_RUNS (2), BENCH_REQUIRE_RUNS (11), BENCH_LATENCY_MS (20), BENCH_RATE (50), BENCH_RATE_ITEMS (300),
 * BENCH_DIST (default dist: the compiled package to measure, a folder inside the package),
 * BENCH_N8N=0 (skip the real-n8n part; its own settings are in tools/n8n/bench/run.mjs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import {
	EmulatorProcess,
	collectGarbage,
	loadItems,
	median,
	runBareLoop,
	runNode,
	runTransportLoop,
	type BareMeasure,
	type NodeRunMeasure,
} from './common';
import { CREDENTIAL_MODULE, DIST, NODE_MODULE, RESULTS_FILE, REPO_ROOT } from './paths';
import { LAZY_LIBRARIES, measureRequireCost, type RequireCost } from './requireCost';
import type { RssMeasure, RssMode } from './rssChild';

function env(name: string, fallback: number): number {
	const v = Number(process.env[name]);
	return Number.isFinite(v) && v > 0 ? v : fallback;
}

const N = env('BENCH_ITEMS', 1000);
const RUNS = env('BENCH_RUNS', 5);
const SLOW_RUNS = env('BENCH_SLOW_RUNS', 3);
const RSS_ITEMS = env('BENCH_RSS_ITEMS', 10_000);
const RSS_RUNS = env('BENCH_RSS_RUNS', 2);
const RSS_CONCURRENCY = 20;
const REQUIRE_RUNS = env('BENCH_REQUIRE_RUNS', 11);
const LATENCY_MS = env('BENCH_LATENCY_MS', 20);
const RATE = env('BENCH_RATE', 50);
const RATE_ITEMS = env('BENCH_RATE_ITEMS', 300);
const RATE_CONCURRENCY = 20;

const TARGETS = {
	wallVsIdealAt20: 1.15,
	cpuNodeVsBare: 1.3,
	addedRequireMs: 20,
	rssGrowthMb: 100,
};

const RUN_N8N = process.env.BENCH_N8N !== '0';
const N8N_RESULTS_FILE = join(REPO_ROOT, '.build/bench-n8n-results.json');

const INFO_RATE = 250;
type Config = 'node@1' | 'node@5' | 'node@20' | 'node@20 (expressions)' | 'node@20, 250/s';
const CONCURRENCY: Record<Config, number> = { 'node@1': 1, 'node@5': 5, 'node@20': 20, 'node@20 (expressions)': 20, 'node@20, 250/s': 20 };
const RATE_OF: Partial<Record<Config, number>> = { 'node@20, 250/s': INFO_RATE };

/** The loops without the node: Alibaba's SDK (external reference) and the node's own transport, 1 or 20 at a time. */
type Loop = 'sdk' | 'sdk@20' | 'transport' | 'transport@20';
const LOOPS: Record<Loop, { label: string; run: typeof runBareLoop; concurrency: number }> = {
	sdk: { label: 'bare SDK callApi loop (sequential)', run: runBareLoop, concurrency: 1 },
	'sdk@20': { label: 'bare SDK callApi, 20 workers', run: runBareLoop, concurrency: 20 },
	transport: { label: "node's transport alone (sequential)", run: runTransportLoop, concurrency: 1 },
	'transport@20': { label: "node's transport alone, 20 workers", run: runTransportLoop, concurrency: 20 },
};
const LOOP_NAMES = Object.keys(LOOPS) as Loop[];
const isLoop = (config: string): config is Loop => config in LOOPS;

const problems: string[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

let emulatorCpuMark = 0;

/** Checks that the emulator answered every request of the run; returns its CPU ms per request for the run. */
async function checkEmulator(emu: EmulatorProcess, label: string, expected: number): Promise<number> {
	const s = await emu.stats();
	const cpu = s.cpuMs - emulatorCpuMark;
	emulatorCpuMark = s.cpuMs;
	const ok = s.statuses['200'] ?? 0;
	if (s.count !== expected || ok !== expected || s.launched !== expected) {
		problems.push(`${label}: emulator saw ${s.count} requests (${ok} HTTP 200, ${s.launched} launched), expected ${expected}: ${JSON.stringify(s.statuses)}`);
	}
	return cpu / Math.max(1, s.count);
}

function checkNode(m: NodeRunMeasure, label: string): void {
	if (m.status !== 'success' || m.errors > 0 || m.outputItems !== m.items) {
		problems.push(`${label}: status ${m.status}, ${m.outputItems} output items for ${m.items}, ${m.errors} errors`);
	}
}

function rssChild(endpoint: string, mode: RssMode): RssMeasure {
	const args = ['--expose-gc', join(__dirname, 'rssChild.js'), endpoint, String(RSS_ITEMS), String(RSS_CONCURRENCY), mode];
	const out = execFileSync(process.execPath, args, {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
		maxBuffer: 1024 * 1024,
	});
	return JSON.parse(out.trim().split('\n').pop()!) as RssMeasure;
}

const f = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
const lpad = (s: string, n: number) => ' '.repeat(Math.max(0, n - s.length)) + s;

function table(header: string[], rows: string[][]): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join(' | ')} |`;
	return [line(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Measurements, in the order main() runs them
// ---------------------------------------------------------------------------------------------

interface Machine {
	nproc: number;
	cpuModel: string;
	memoryGb: number;
	node: string;
	platform: string;
}

function machineInfo(): Machine {
	return {
		nproc: availableParallelism(),
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
	};
}

/** 1. Start-up cost (fresh processes, before anything else runs). */
function measureStartUp(): RequireCost {
	log(`bench: require cost (${REQUIRE_RUNS} fresh processes per variant)...`);
	return measureRequireCost(REQUIRE_RUNS);
}

/** 2. Warm-up (JIT, lazily loaded libraries, keep-alive sockets), not counted. */
async function warmUp(emu: EmulatorProcess, items: IDataObject[]): Promise<void> {
	log('bench: warm-up...');
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 200), options: { concurrency: 20 } });
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 100), options: { concurrency: 20 }, mapping: 'expressions' });
	await runBareLoop(emu.endpoint, items.slice(0, 100));
	await runTransportLoop(emu.endpoint, items.slice(0, 100));
}

interface SpeedRuns {
	nodeRuns: Record<Config, NodeRunMeasure[]>;
	loopRuns: Record<Loop, BareMeasure[]>;
	/** Emulator CPU ms per request, per configuration and run. */
	emulatorCpu: Record<string, number[]>;
}

/** One run of a loop without the node. */
async function loopRun(emu: EmulatorProcess, items: IDataObject[], loop: Loop, rep: number): Promise<BareMeasure> {
	const m = await LOOPS[loop].run(emu.endpoint, items, LOOPS[loop].concurrency);
	if (m.failures > 0) problems.push(`${loop}: ${m.failures} failed requests`);
	log(`bench: run ${rep + 1} ${loop}: ${f(m.wallMs)} ms, CPU ${f(m.cpuMs)} ms`);
	return m;
}

/** One run of the node through n8n's engine. */
async function nodeRun(emu: EmulatorProcess, items: IDataObject[], config: Config, rep: number): Promise<NodeRunMeasure> {
	const m = await runNode({
		endpoint: emu.endpoint,
		items,
		options: { concurrency: CONCURRENCY[config], ...(RATE_OF[config] ? { maxRequestsPerSecond: RATE_OF[config] } : {}) },
		mapping: config.includes('expressions') ? 'expressions' : 'auto',
	});
	checkNode(m, config);
	log(`bench: run ${rep + 1} ${config}: execute ${f(m.executeMs)} ms, CPU ${f(m.executeCpuMs)} ms (workflow ${f(m.workflowMs)} ms)`);
	return m;
}

/** 3. Wall time and CPU, interleaved so that drift spreads over every configuration. */
async function measureSpeed(emu: EmulatorProcess, items: IDataObject[]): Promise<SpeedRuns> {
	const runs: SpeedRuns = {
		nodeRuns: { 'node@1': [], 'node@5': [], 'node@20': [], 'node@20 (expressions)': [], 'node@20, 250/s': [] },
		loopRuns: { sdk: [], 'sdk@20': [], transport: [], 'transport@20': [] },
		emulatorCpu: {},
	};
	for (let rep = 0; rep < Math.max(RUNS, SLOW_RUNS); rep++) {
		const plan: Array<Config | Loop> = [];
		if (rep < SLOW_RUNS) plan.push('node@1', 'sdk', 'transport');
		if (rep < RUNS) plan.push('node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s', 'sdk@20', 'transport@20');
		for (const config of plan) {
			await emu.reset();
			emulatorCpuMark = (await emu.stats()).cpuMs;
			collectGarbage();
			if (isLoop(config)) runs.loopRuns[config].push(await loopRun(emu, items, config, rep));
			else runs.nodeRuns[config].push(await nodeRun(emu, items, config, rep));
			(runs.emulatorCpu[config] ??= []).push(await checkEmulator(emu, config, N));
		}
	}
	return runs;
}

interface RateMeasure {
	limit: number;
	items: number;
	concurrency: number;
	maxRequestsInAnyWindow1000ms: number;
	requests: number;
	spanMs: number;
	achievedPerSecond: number;
	executeMs: number;
}

/** 4. Rate limit: the most requests the emulator saw in any 1-second window. */
async function measureRate(emu: EmulatorProcess, items: IDataObject[]): Promise<RateMeasure> {
	log(`bench: rate check (${RATE_ITEMS} items, maxRequestsPerSecond ${RATE}, concurrency ${RATE_CONCURRENCY})...`);
	await emu.reset();
	const rateRun = await runNode({
		endpoint: emu.endpoint,
		items: items.slice(0, RATE_ITEMS),
		options: { concurrency: RATE_CONCURRENCY, maxRequestsPerSecond: RATE },
	});
	checkNode(rateRun, 'rate check');
	const rateStats = await emu.stats(1000);
	return {
		limit: RATE,
		items: RATE_ITEMS,
		concurrency: RATE_CONCURRENCY,
		maxRequestsInAnyWindow1000ms: rateStats.maxInWindow,
		requests: rateStats.count,
		spanMs: rateStats.lastAt - rateStats.firstAt,
		achievedPerSecond: rateStats.count > 1 ? ((rateStats.count - 1) * 1000) / (rateStats.lastAt - rateStats.firstAt) : NaN,
		executeMs: rateRun.executeMs,
	};
}

interface MemoryRuns {
	rssRuns: RssMeasure[];
	/** Alibaba's SDK alone (external reference), nothing kept. */
	rssSdk: RssMeasure;
	/** The node's own transport alone, nothing kept. */
	rssTransport: RssMeasure;
}

/** One fresh child process of RSS_ITEMS requests; every request must have been answered with Data. */
async function rssRun(emu: EmulatorProcess, mode: RssMode, label: string): Promise<RssMeasure> {
	log(`bench: RSS ${label}: ${RSS_ITEMS} items, ${RSS_CONCURRENCY} at a time, fresh process...`);
	await emu.reset();
	const m = rssChild(emu.endpoint, mode);
	if (m.errors > 0 || m.outputItems !== RSS_ITEMS) problems.push(`RSS ${label}: ${m.outputItems} answers or output items, ${m.errors} failed`);
	if (m.alicloudLoadedBeforeRun) problems.push(`RSS ${label}: @alicloud was loaded before the run`);
	log(`bench:   baseline ${f(m.baselineRssMb, 1)} MB, peak ${f(m.peakRssMb, 1)} MB, growth ${f(m.growthMb, 1)} MB, ${m.samples} samples`);
	return m;
}

/** 5. Memory: fresh child processes, RSS_ITEMS items each: the node, then the two loops without it. */
async function measureMemory(emu: EmulatorProcess): Promise<MemoryRuns> {
	const rssRuns: RssMeasure[] = [];
	for (let i = 0; i < RSS_RUNS; i++) rssRuns.push(await rssRun(emu, 'node', `node, run ${i + 1}/${RSS_RUNS}`));
	const rssSdk = await rssRun(emu, 'bare', 'bare SDK callApi');
	const rssTransport = await rssRun(emu, 'transport', "node's transport alone");
	return { rssRuns, rssSdk, rssTransport };
}

/** 6. The real-n8n part (tools/n8n/bench/run.mjs), in its own process; its results file, or undefined. */
function measureRealN8n(): unknown {
	if (!RUN_N8N) return undefined;
	log('bench: real n8n (tools/n8n/bench/run.mjs)...');
	const r = spawnSync(process.execPath, [join(REPO_ROOT, 'tools/n8n/bench/run.mjs')], {
		cwd: REPO_ROOT,
		env: { ...process.env, BENCH_N8N_SKIP_BUILD: '1', BENCH_N8N_RESULTS: N8N_RESULTS_FILE },
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (r.status !== 0) {
		problems.push(`real-n8n part: exited ${r.status ?? r.signal} (see its output above)`);
		return undefined;
	}
	return JSON.parse(readFileSync(N8N_RESULTS_FILE, 'utf8')) as unknown;
}

// ---------------------------------------------------------------------------------------------
// Figures, targets, report
// ---------------------------------------------------------------------------------------------

interface Measured {
	started: number;
	machine: Machine;
	loadBefore: number[];
	loadAfter: number[];
	requireCost: RequireCost;
	speed: SpeedRuns;
	rate: RateMeasure;
	memory: MemoryRuns;
	realN8n: unknown;
}

/** Wall time of N requests at concurrency c (and at most perSecond a second) if only the latency counted. */
const ideal = (c: number, perSecond = 0) => Math.max((N * LATENCY_MS) / c, perSecond > 0 ? (N * 1000) / perSecond : 0);

/** Medians of one loop's runs, per request. */
function loopFigures(runs: BareMeasure[]) {
	return {
		runs: runs.length,
		wallMs: median(runs.map((m) => m.wallMs)),
		cpuPerRequestMs: median(runs.map((m) => m.cpuMs)) / N,
		mainThreadCpuPerRequestMs: median(runs.map((m) => m.mainThreadCpuMs)) / N,
	};
}

const CONFIGS: Config[] = ['node@1', 'node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s'];

/** Medians per configuration, compared with the ideal wall time and the loops' CPU (sequential SDK and transport). */
function figures({ speed }: Measured) {
	const { nodeRuns, emulatorCpu } = speed;
	const loops = Object.fromEntries(LOOP_NAMES.map((l) => [l, loopFigures(speed.loopRuns[l])])) as Record<Loop, ReturnType<typeof loopFigures>>;
	const med = (config: Config, key: keyof NodeRunMeasure) => median(nodeRuns[config].map((m) => m[key] as number));
	const wall = CONFIGS.map((config) => {
		const c = CONCURRENCY[config];
		const perSecond = RATE_OF[config] ?? 0;
		const executeMs = med(config, 'executeMs');
		const cpuPerRequestMs = med(config, 'executeCpuMs') / N;
		return {
			config,
			concurrency: c,
			runs: nodeRuns[config].length,
			executeMs,
			n8nExecutionTimeMs: med(config, 'n8nExecutionTimeMs'),
			workflowMs: med(config, 'workflowMs'),
			idealMs: ideal(c, perSecond),
			vsIdeal: executeMs / ideal(c, perSecond),
			cpuPerRequestMs,
			mainThreadCpuPerRequestMs: med(config, 'executeMainThreadCpuMs') / N,
			workflowCpuPerRequestMs: med(config, 'workflowCpuMs') / N,
			cpuVsSdk: cpuPerRequestMs / loops.sdk.cpuPerRequestMs,
			cpuVsTransport: cpuPerRequestMs / loops.transport.cpuPerRequestMs,
			emulatorCpuPerRequestMs: median(emulatorCpu[config] ?? []),
		};
	});
	return { wall, loops };
}

type Figures = ReturnType<typeof figures>;

function targetsOf({ requireCost, rate, memory }: Measured, { wall, loops }: Figures) {
	const at = (config: Config) => wall.find((w) => w.config === config)!;
	const rssGrowth = median(memory.rssRuns.map((m) => m.growthMb));
	return [
		{
			name: `wall node@20 / ideal@20 <= ${TARGETS.wallVsIdealAt20}`,
			value: at('node@20').vsIdeal,
			pass: at('node@20').vsIdeal <= TARGETS.wallVsIdealAt20,
			shown: `${f(at('node@20').vsIdeal, 3)} (${f(at('node@20').executeMs)} ms vs ${f(ideal(20))} ms)`,
		},
		{
			name: `CPU/request node@1 / bare SDK callApi loop <= ${TARGETS.cpuNodeVsBare}`,
			value: at('node@1').cpuVsSdk,
			pass: at('node@1').cpuVsSdk <= TARGETS.cpuNodeVsBare,
			shown: `${f(at('node@1').cpuVsSdk, 3)} (${f(at('node@1').cpuPerRequestMs, 3)} vs ${f(loops.sdk.cpuPerRequestMs, 3)} ms; main thread only: ${f(at('node@1').mainThreadCpuPerRequestMs / loops.sdk.mainThreadCpuPerRequestMs, 3)}; vs the node's transport alone: ${f(at('node@1').cpuVsTransport, 3)})`,
		},
		{
			name: `added require ms (node module + credential, n8n-workflow already loaded) <= ${TARGETS.addedRequireMs}`,
			value: requireCost.inProcessMs.nodeAfterN8nWorkflow,
			pass: requireCost.inProcessMs.nodeAfterN8nWorkflow <= TARGETS.addedRequireMs,
			shown: `${f(requireCost.inProcessMs.nodeAfterN8nWorkflow, 1)} ms measured in-process (process medians differ by ${f(requireCost.addedMs, 1)} ms)`,
		},
		{
			name: `nothing of ${LAZY_LIBRARIES.map((l) => l.slice(0, -1)).join(', ')} in require.cache after requiring the node + credential`,
			value: Object.values(requireCost.lazyCheck.entries).reduce((a, b) => a + b, 0),
			pass: LAZY_LIBRARIES.every((l) => requireCost.lazyCheck.entries[l.slice(0, -1)] === 0),
			shown: `${Object.entries(requireCost.lazyCheck.entries).map(([k, v]) => `${v} ${k}`).join(', ')}; packages added beyond n8n-workflow's: ${requireCost.lazyCheck.packagesAdded.join(', ') || 'none'}`,
		},
		{
			name: `RSS growth, ${RSS_ITEMS} items <= ${TARGETS.rssGrowthMb} MB`,
			value: rssGrowth,
			pass: rssGrowth <= TARGETS.rssGrowthMb,
			shown: `${f(rssGrowth, 1)} MB`,
		},
		{
			name: `rate: max requests in any 1 s window <= ${RATE}`,
			value: rate.maxRequestsInAnyWindow1000ms,
			pass: rate.maxRequestsInAnyWindow1000ms <= RATE && rate.requests === RATE_ITEMS,
			shown: `${rate.maxRequestsInAnyWindow1000ms} (achieved ${f(rate.achievedPerSecond, 1)}/s over ${rate.requests} requests)`,
		},
	];
}

type Target = ReturnType<typeof targetsOf>[number];

function speedTable({ speed }: Measured, { wall, loops }: Figures): string {
	const loopRow = (loop: Loop) => {
		const b = loops[loop];
		const c = LOOPS[loop].concurrency;
		return [
			LOOPS[loop].label,
			String(b.runs),
			f(b.wallMs),
			f(ideal(c)),
			f(b.wallMs / ideal(c), 3),
			f(b.cpuPerRequestMs, 3),
			f(b.cpuPerRequestMs / loops.sdk.cpuPerRequestMs, 3),
			f(b.cpuPerRequestMs / loops.transport.cpuPerRequestMs, 3),
			f(b.mainThreadCpuPerRequestMs, 3),
			'-',
			'-',
			f(median(speed.emulatorCpu[loop] ?? []), 3),
		];
	};
	return table(
		['configuration', 'runs', 'wall ms', 'ideal ms', 'wall/ideal', 'CPU ms/req', 'CPU vs SDK loop', 'CPU vs transport loop', 'main-thread CPU ms/req', 'workflow ms', 'workflow CPU ms/req', 'emulator CPU ms/req'],
		[
			...wall.map((w) => [
				w.config,
				String(w.runs),
				f(w.executeMs),
				f(w.idealMs),
				f(w.vsIdeal, 3),
				f(w.cpuPerRequestMs, 3),
				f(w.cpuVsSdk, 3),
				f(w.cpuVsTransport, 3),
				f(w.mainThreadCpuPerRequestMs, 3),
				f(w.workflowMs),
				f(w.workflowCpuPerRequestMs, 3),
				f(w.emulatorCpuPerRequestMs, 3),
			]),
			...LOOP_NAMES.map(loopRow),
		],
	);
}

function startUpTable({ requireCost }: Measured): string[] {
	return [
		table(
			['start-up (fresh process, median)', 'ms'],
			[
				['node -e 0', f(requireCost.processMs.bare, 1)],
				["require('n8n-workflow')", f(requireCost.processMs.n8nWorkflow, 1)],
				['require n8n-workflow + node module + credential', f(requireCost.processMs.nodeModule, 1)],
				["require('@alicloud/openapi-client')", f(requireCost.processMs.sdk, 1)],
				['row 3 - row 2 (process medians; noisy)', f(requireCost.addedMs, 1)],
				["in-process: require('n8n-workflow')", f(requireCost.inProcessMs.n8nWorkflow, 1)],
				['in-process: node + credential after n8n-workflow (added cost)', f(requireCost.inProcessMs.nodeAfterN8nWorkflow, 1)],
				['in-process: @alicloud/openapi-client alone', f(requireCost.inProcessMs.sdk, 1)],
			],
		),
		`require.cache after the node module + credential: ${Object.entries(requireCost.lazyCheck.entries).map(([k, v]) => `${v} ${k}`).join(', ')} entries; ${requireCost.lazyCheck.modulesAdded} modules added (${requireCost.lazyCheck.totalModules} in all); packages added beyond n8n-workflow's: ${requireCost.lazyCheck.packagesAdded.join(', ') || 'none'}`,
	];
}

function memoryTable({ memory }: Measured): string[] {
	const { rssRuns, rssSdk, rssTransport } = memory;
	const rssGrowth = median(rssRuns.map((m) => m.growthMb));
	const growthOf = (m: RssMeasure, key: keyof RssMeasure['breakdownAtPeak']) => m.breakdownAtPeak[key] - m.breakdownBaseline[key];
	const memoryRow = (label: string, m: RssMeasure, kept: string) => [
		label,
		f(m.baselineRssMb, 1),
		f(m.peakRssMb, 1),
		f(m.growthMb, 1),
		f(growthOf(m, 'heapPhysicalMb'), 1),
		f(growthOf(m, 'youngGenerationMb'), 1),
		f(m.breakdownAtPeak.heapUsedMb, 1),
		kept,
		f(m.executeMs),
	];
	return [
		table(
			[
				`memory: ${RSS_ITEMS} items, concurrency ${RSS_CONCURRENCY}, fresh process`,
				'baseline MB',
				'peak MB',
				'growth MB',
				'V8 heap resident, growth MB',
				'of which young generation MB',
				'heap used at peak MB',
				'kept by output after GC MB',
				'wall ms',
			],
			[
				...rssRuns.map((m, i) => memoryRow(`node, run ${i + 1}`, m, `${f(m.outputKeptMb, 1)} (${f((m.outputKeptMb * 1024) / RSS_ITEMS, 1)} kB/item)`)),
				memoryRow('bare SDK callApi, no output kept (external reference)', rssSdk, '-'),
				memoryRow("node's transport alone (V3 signing + node:http), no output kept", rssTransport, '-'),
			],
		),
		`node growth (median of ${rssRuns.length}) ${f(rssGrowth, 1)} MB; the same requests through the node's transport alone ${f(rssTransport.growthMb, 1)} MB, through Alibaba's SDK ${f(rssSdk.growthMb, 1)} MB. The rest of the node's growth is n8n's run and the ${RSS_ITEMS} output items it keeps.`,
	];
}

/** 7. The printed report. */
function report(measured: Measured, fig: Figures, targets: Target[]): string {
	const { machine, loadBefore, loadAfter, rate, started } = measured;
	const out: string[] = [];
	out.push('');
	out.push(`LaunchAuthentication benchmark: ${N} items, emulator latency ${LATENCY_MS} ms, medians`);
	out.push(`machine: ${machine.nproc} CPUs, ${machine.cpuModel}, ${machine.memoryGb} GB, node ${machine.node}; package: ${relative(REPO_ROOT, DIST)}/`);
	out.push(`load average (1 min) before ${f(loadBefore[0], 2)}, after ${f(loadAfter[0], 2)} (other processes on the machine add noise)`);
	out.push('');
	out.push(speedTable(measured, fig));
	out.push('');
	out.push('wall ms = the node\'s execute() as n8n-core WorkflowExecute ran it; workflow ms = the whole runWorkflow() (engine set-up, trigger, pinned items).');
	out.push('CPU = process.cpuUsage() (all threads, user + system) during execute() / the loop; main-thread CPU = process.threadCpuUsage() (without V8 GC helper threads).');
	out.push("bare SDK callApi: the same requests through Alibaba's SDK, no node (the external reference: a hand-written SDK integration).");
	out.push("node's transport alone: the same requests through the node's cccRequest (V3 signing, node:http keep-alive), no n8n, no scheduler, no output.");
	out.push(`"${INFO_RATE}/s": the same node with maxRequestsPerSecond ${INFO_RATE} (ideal = N / rate); the rate path has its own limiter.`);
	out.push('"expressions": the same node mapping each field with {{ $json.X }} (n8n resolves 4 expressions per item) instead of "Map Automatically".');
	out.push('');
	out.push(...startUpTable(measured));
	out.push('');
	out.push(...memoryTable(measured));
	out.push('');
	out.push(
		`rate: maxRequestsPerSecond ${RATE}, ${RATE_ITEMS} items, concurrency ${RATE_CONCURRENCY}: max ${rate.maxRequestsInAnyWindow1000ms} requests in any 1000 ms window; ${f(rate.achievedPerSecond, 1)} requests/s achieved (${f(rate.executeMs)} ms)`,
	);
	out.push('');
	for (const t of targets) out.push(`${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.shown}`);
	if (problems.length) {
		out.push('');
		out.push('PROBLEMS (the figures above may not be valid):');
		for (const p of problems) out.push(`  - ${p}`);
	}
	out.push('');
	out.push(`results: ${relative(REPO_ROOT, RESULTS_FILE)} (bench took ${f((Date.now() - started) / 1000)} s)`);
	return `${out.join('\n')}\n`;
}

/** Everything measured, as JSON, in RESULTS_FILE. */
function writeResults(measured: Measured, { wall, loops }: Figures, targets: Target[]): void {
	const { machine, requireCost, speed, rate, memory, loadBefore, loadAfter, started, realN8n } = measured;
	const rssGrowth = median(memory.rssRuns.map((m) => m.growthMb));
	mkdirSync(dirname(RESULTS_FILE), { recursive: true });
	writeFileSync(
		RESULTS_FILE,
		`${JSON.stringify(
			{
				date: new Date().toISOString(),
				machine,
				config: { dist: relative(REPO_ROOT, DIST), items: N, latencyMs: LATENCY_MS, runs: RUNS, slowRuns: SLOW_RUNS, rssItems: RSS_ITEMS, rssRuns: RSS_RUNS, rssConcurrency: RSS_CONCURRENCY, requireRuns: REQUIRE_RUNS },
				wall,
				loops: Object.fromEntries(LOOP_NAMES.map((l) => [l, { ...loops[l], concurrency: LOOPS[l].concurrency, idealMs: ideal(LOOPS[l].concurrency) }])),
				emulatorCpuPerRequestMs: Object.fromEntries(Object.entries(speed.emulatorCpu).map(([k, v]) => [k, median(v)])),
				requireCost,
				rss: {
					medianGrowthMb: rssGrowth,
					runs: memory.rssRuns,
					sdkReference: memory.rssSdk,
					transportAlone: memory.rssTransport,
				},
				loadAverage: { before: loadBefore, after: loadAfter },
				rate,
				targets: targets.map(({ name, value, pass }) => ({ name, value, pass })),
				problems,
				raw: { node: speed.nodeRuns, loops: speed.loopRuns },
				realN8n,
				durationS: (Date.now() - started) / 1000,
			},
			null,
			2,
		)}\n`,
	);
}

async function main(): Promise<void> {
	for (const file of [NODE_MODULE, CREDENTIAL_MODULE]) {
		if (!existsSync(file)) throw new Error(`${relative(REPO_ROOT, file)} is missing: run \`npm run build\` first`);
	}
	const started = Date.now();
	const machine = machineInfo();
	const loadBefore = loadavg();
	log(`bench: ${N} items, latency ${LATENCY_MS} ms, node ${machine.node}, ${machine.nproc} CPUs (${machine.cpuModel})`);

	const requireCost = measureStartUp();
	const emu = await EmulatorProcess.start(LATENCY_MS);
	const items = loadItems(N);
	let measured: Measured;
	try {
		await warmUp(emu, items);
		const speed = await measureSpeed(emu, items);
		const rate = await measureRate(emu, items);
		const memory = await measureMemory(emu);
		measured = { started, machine, loadBefore, loadAfter: loadavg(), requireCost, speed, rate, memory, realN8n: undefined };
	} finally {
		await emu.close();
	}
	const fig = figures(measured);
	const targets = targetsOf(measured, fig);
	process.stdout.write(report(measured, fig, targets));
	writeResults(measured, fig, targets);
	// The real-n8n part prints its own tables and targets; its results go into the same file.
	measured.realN8n = measureRealN8n();
	if (measured.realN8n) writeResults(measured, fig, targets);
	else if (RUN_N8N) process.stdout.write(`\nPROBLEMS:\n  - ${problems.at(-1)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
