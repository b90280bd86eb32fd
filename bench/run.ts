/**
 * `npm run bench` (issue "Performance"): the LaunchAuthentication node against the CCC emulator
 * (separate process, 20 ms latency per answer), run through n8n's real engine (n8n-core WorkflowExecute,
 * tools/engine/engine.ts) from the compiled dist/. Prints a table and one PASS/FAIL line per target, and
 * writes everything to .build/bench-results.json. Always exits 0 unless the bench itself breaks: it is a report.
 *
 * Environment (optional): BENCH_ITEMS (1000), BENCH_RUNS (5, for concurrency 5 and 20),
 * BENCH_SLOW_RUNS (3, for concurrency 1 and the bare loop: ~21 s each), BENCH_RSS_ITEMS (10000),
 * BENCH_RSS_RUNS (2), BENCH_REQUIRE_RUNS (11), BENCH_LATENCY_MS (20), BENCH_RATE (50), BENCH_RATE_ITEMS (300),
 * BENCH_DIST (default dist: the compiled package to measure, a folder inside the package).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
	type BareMeasure,
	type NodeRunMeasure,
} from './common';
import { CREDENTIAL_MODULE, DIST, NODE_MODULE, RESULTS_FILE, REPO_ROOT } from './paths';
import { measureRequireCost, type RequireCost } from './requireCost';
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

const INFO_RATE = 250;
type Config = 'node@1' | 'node@5' | 'node@20' | 'node@20 (expressions)' | 'node@20, 250/s';
const CONCURRENCY: Record<Config, number> = { 'node@1': 1, 'node@5': 5, 'node@20': 20, 'node@20 (expressions)': 20, 'node@20, 250/s': 20 };
const RATE_OF: Partial<Record<Config, number>> = { 'node@20, 250/s': INFO_RATE };

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

/** 2. Warm-up (JIT, lazy SDK load, keep-alive sockets), not counted. */
async function warmUp(emu: EmulatorProcess, items: IDataObject[]): Promise<void> {
	log('bench: warm-up...');
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 200), options: { concurrency: 20 } });
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 100), options: { concurrency: 20 }, mapping: 'expressions' });
	await runBareLoop(emu.endpoint, items.slice(0, 100));
}

interface SpeedRuns {
	nodeRuns: Record<Config, NodeRunMeasure[]>;
	bareRuns: BareMeasure[];
	bare20Runs: BareMeasure[];
	/** Emulator CPU ms per request, per configuration and run. */
	emulatorCpu: Record<string, number[]>;
}

/** 3. Wall time and CPU, interleaved so that drift spreads over every configuration. */
async function measureSpeed(emu: EmulatorProcess, items: IDataObject[]): Promise<SpeedRuns> {
	const runs: SpeedRuns = {
		nodeRuns: { 'node@1': [], 'node@5': [], 'node@20': [], 'node@20 (expressions)': [], 'node@20, 250/s': [] },
		bareRuns: [],
		bare20Runs: [],
		emulatorCpu: {},
	};
	for (let rep = 0; rep < Math.max(RUNS, SLOW_RUNS); rep++) {
		const plan: Array<Config | 'bare' | 'bare@20'> = [];
		if (rep < SLOW_RUNS) plan.push('node@1', 'bare');
		if (rep < RUNS) plan.push('node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s', 'bare@20');
		for (const config of plan) {
			await emu.reset();
			emulatorCpuMark = (await emu.stats()).cpuMs;
			collectGarbage();
			if (config === 'bare@20') {
				const m = await runBareLoop(emu.endpoint, items, 20);
				if (m.failures > 0) problems.push(`bare pool@20: ${m.failures} failed requests`);
				runs.bare20Runs.push(m);
				log(`bench: run ${rep + 1} bare pool@20: ${f(m.wallMs)} ms, CPU ${f(m.cpuMs)} ms`);
			} else if (config === 'bare') {
				const m = await runBareLoop(emu.endpoint, items);
				if (m.failures > 0) problems.push(`bare loop: ${m.failures} failed requests`);
				runs.bareRuns.push(m);
				log(`bench: run ${rep + 1} bare loop: ${f(m.wallMs)} ms, CPU ${f(m.cpuMs)} ms`);
			} else {
				const m = await runNode({
					endpoint: emu.endpoint,
					items,
					options: { concurrency: CONCURRENCY[config], ...(RATE_OF[config] ? { maxRequestsPerSecond: RATE_OF[config] } : {}) },
					mapping: config.includes('expressions') ? 'expressions' : 'auto',
				});
				checkNode(m, config);
				runs.nodeRuns[config].push(m);
				log(`bench: run ${rep + 1} ${config}: execute ${f(m.executeMs)} ms, CPU ${f(m.executeCpuMs)} ms (workflow ${f(m.workflowMs)} ms)`);
			}
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
	rssBare: RssMeasure;
	rssNodeNativeTea: RssMeasure;
	rssBareNativeTea: RssMeasure;
	rssHttp: RssMeasure;
}

/** 5. Memory: fresh child processes, RSS_ITEMS items each: the node, then the references and diagnostics. */
async function measureMemory(emu: EmulatorProcess): Promise<MemoryRuns> {
	const rssRuns: RssMeasure[] = [];
	for (let i = 0; i < RSS_RUNS; i++) {
		log(`bench: RSS run ${i + 1}/${RSS_RUNS} (${RSS_ITEMS} items, concurrency ${RSS_CONCURRENCY}, fresh process)...`);
		await emu.reset();
		const m = rssChild(emu.endpoint, 'node');
		if (m.errors > 0 || m.outputItems !== RSS_ITEMS) problems.push(`RSS run ${i + 1}: ${m.outputItems} output items, ${m.errors} errors`);
		if (m.alicloudLoadedBeforeRun) problems.push(`RSS run ${i + 1}: @alicloud was loaded before the node ran`);
		rssRuns.push(m);
		log(`bench:   baseline ${f(m.baselineRssMb, 1)} MB, peak ${f(m.peakRssMb, 1)} MB, growth ${f(m.growthMb, 1)} MB, ${m.samples} samples`);
	}

	/** One reference or diagnostic process: every request must have been answered with Data. */
	const rssReference = async (mode: RssMode, what: string): Promise<RssMeasure> => {
		log(`bench: RSS ${mode}: ${what}, ${RSS_ITEMS} requests, ${RSS_CONCURRENCY} at a time, fresh process...`);
		await emu.reset();
		const m = rssChild(emu.endpoint, mode);
		if (m.errors > 0 || m.outputItems !== RSS_ITEMS) problems.push(`RSS ${mode}: ${m.outputItems} answers, ${m.errors} failed`);
		log(`bench:   baseline ${f(m.baselineRssMb, 1)} MB, peak ${f(m.peakRssMb, 1)} MB, growth ${f(m.growthMb, 1)} MB`);
		return m;
	};
	const rssBare = await rssReference('bare', 'the bare SDK');
	const rssNodeNativeTea = await rssReference('node-native-tea', "the node, Tea's doAction as a native async function");
	const rssBareNativeTea = await rssReference('bare-native-tea', "the bare SDK, Tea's doAction as a native async function");
	const rssHttp = await rssReference('http', 'no callApi (openapi-util signing, node:http)');
	return { rssRuns, rssBare, rssNodeNativeTea, rssBareNativeTea, rssHttp };
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
}

/** Wall time of N requests at concurrency c (and at most perSecond a second) if only the latency counted. */
const ideal = (c: number, perSecond = 0) => Math.max((N * LATENCY_MS) / c, perSecond > 0 ? (N * 1000) / perSecond : 0);

/** Medians of one bare loop's runs, per request. */
function bareFigures(runs: BareMeasure[]) {
	return {
		runs: runs.length,
		wallMs: median(runs.map((m) => m.wallMs)),
		cpuPerRequestMs: median(runs.map((m) => m.cpuMs)) / N,
		mainThreadCpuPerRequestMs: median(runs.map((m) => m.mainThreadCpuMs)) / N,
	};
}

const CONFIGS: Config[] = ['node@1', 'node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s'];

/** Medians per configuration, compared with the ideal wall time and the bare loop's CPU. */
function figures({ speed }: Measured) {
	const { nodeRuns, emulatorCpu } = speed;
	const bare = bareFigures(speed.bareRuns);
	const bare20 = bareFigures(speed.bare20Runs);
	const med = (config: Config, key: keyof NodeRunMeasure) => median(nodeRuns[config].map((m) => m[key] as number));
	const wall = CONFIGS.map((config) => {
		const c = CONCURRENCY[config];
		const perSecond = RATE_OF[config] ?? 0;
		const executeMs = med(config, 'executeMs');
		return {
			config,
			concurrency: c,
			runs: nodeRuns[config].length,
			executeMs,
			n8nExecutionTimeMs: med(config, 'n8nExecutionTimeMs'),
			workflowMs: med(config, 'workflowMs'),
			idealMs: ideal(c, perSecond),
			vsIdeal: executeMs / ideal(c, perSecond),
			cpuPerRequestMs: med(config, 'executeCpuMs') / N,
			mainThreadCpuPerRequestMs: med(config, 'executeMainThreadCpuMs') / N,
			workflowCpuPerRequestMs: med(config, 'workflowCpuMs') / N,
			cpuVsBare: med(config, 'executeCpuMs') / N / bare.cpuPerRequestMs,
			emulatorCpuPerRequestMs: median(emulatorCpu[config] ?? []),
		};
	});
	return { wall, bare, bare20 };
}

type Figures = ReturnType<typeof figures>;

function targetsOf({ requireCost, rate, memory }: Measured, { wall, bare }: Figures) {
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
			name: `CPU/request node@1 / bare <= ${TARGETS.cpuNodeVsBare}`,
			value: at('node@1').cpuVsBare,
			pass: at('node@1').cpuVsBare <= TARGETS.cpuNodeVsBare,
			shown: `${f(at('node@1').cpuVsBare, 3)} (${f(at('node@1').cpuPerRequestMs, 3)} vs ${f(bare.cpuPerRequestMs, 3)} ms; main thread only: ${f(at('node@1').mainThreadCpuPerRequestMs / bare.mainThreadCpuPerRequestMs, 3)})`,
		},
		{
			name: `added require ms (node module + credential, n8n-workflow already loaded) <= ${TARGETS.addedRequireMs}`,
			value: requireCost.inProcessMs.nodeAfterN8nWorkflow,
			pass: requireCost.inProcessMs.nodeAfterN8nWorkflow <= TARGETS.addedRequireMs,
			shown: `${f(requireCost.inProcessMs.nodeAfterN8nWorkflow, 1)} ms measured in-process (process medians differ by ${f(requireCost.addedMs, 1)} ms)`,
		},
		{
			name: 'SDK not loaded at require time (no @alicloud in require.cache)',
			value: requireCost.lazyCheck.alicloudEntries,
			pass: requireCost.lazyCheck.alicloudEntries === 0,
			shown: `${requireCost.lazyCheck.alicloudEntries} @alicloud entries`,
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

function speedTable({ speed }: Measured, { wall, bare, bare20 }: Figures): string {
	const bareRow = (label: string, b: ReturnType<typeof bareFigures>, c: number, emulatorKey: string) => [
		label,
		String(b.runs),
		f(b.wallMs),
		f(ideal(c)),
		f(b.wallMs / ideal(c), 3),
		f(b.cpuPerRequestMs, 3),
		f(b.cpuPerRequestMs / bare.cpuPerRequestMs, 3),
		f(b.mainThreadCpuPerRequestMs, 3),
		'-',
		'-',
		f(median(speed.emulatorCpu[emulatorKey] ?? []), 3),
	];
	return table(
		['configuration', 'runs', 'wall ms', 'ideal ms', 'wall/ideal', 'CPU ms/req', 'CPU vs bare', 'main-thread CPU ms/req', 'workflow ms', 'workflow CPU ms/req', 'emulator CPU ms/req'],
		[
			...wall.map((w) => [
				w.config,
				String(w.runs),
				f(w.executeMs),
				f(w.idealMs),
				f(w.vsIdeal, 3),
				f(w.cpuPerRequestMs, 3),
				f(w.cpuVsBare, 3),
				f(w.mainThreadCpuPerRequestMs, 3),
				f(w.workflowMs),
				f(w.workflowCpuPerRequestMs, 3),
				f(w.emulatorCpuPerRequestMs, 3),
			]),
			bareRow('bare SDK loop (sequential)', bare, 1, 'bare'),
			bareRow('bare SDK, 20 workers (info)', bare20, 20, 'bare@20'),
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
		`require.cache after the node module: ${requireCost.lazyCheck.alicloudEntries} @alicloud, ${requireCost.lazyCheck.bottleneckEntries} bottleneck, ${requireCost.lazyCheck.pRetryEntries} p-retry, ${requireCost.lazyCheck.pMapEntries} p-map entries (${requireCost.lazyCheck.totalModules} modules)`,
	];
}

function memoryTable({ memory }: Measured): string[] {
	const { rssRuns, rssBare, rssNodeNativeTea, rssBareNativeTea, rssHttp } = memory;
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
				memoryRow('bare SDK callApi, no output kept (reference)', rssBare, '-'),
				memoryRow("node, Tea's doAction as native async (diagnostic)", rssNodeNativeTea, `${f(rssNodeNativeTea.outputKeptMb, 1)}`),
				memoryRow("bare SDK, Tea's doAction as native async (diagnostic)", rssBareNativeTea, '-'),
				memoryRow('no callApi: openapi-util signing + node:http, no output kept (reference)', rssHttp, '-'),
			],
		),
		`node growth − bare SDK growth: ${f(rssGrowth - rssBare.growthMb, 1)} MB. The bare callApi loop alone grows ${f(rssBare.growthMb, 1)} MB, ${f(rssBareNativeTea.growthMb, 1)} MB once Tea's ES5-compiled doAction (TypeScript's __awaiter/__generator helpers) is a native async function: through that state machine V8 keeps every request's objects past young-generation collections. With that diagnostic the node grows ${f(rssNodeNativeTea.growthMb, 1)} MB (its output items and the rest of n8n's run). Without callApi: ${f(rssHttp.growthMb, 1)} MB.`,
	];
}

/** 6. The printed report. */
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
	out.push('bare SDK, 20 workers: the same requests through callApi from 20 concurrent loops, no node: what the SDK + emulator allow at concurrency 20.');
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
function writeResults(measured: Measured, { wall, bare, bare20 }: Figures, targets: Target[]): void {
	const { machine, requireCost, speed, rate, memory, loadBefore, loadAfter, started } = measured;
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
				bare: { runs: bare.runs, wallMs: bare.wallMs, idealMs: ideal(1), cpuPerRequestMs: bare.cpuPerRequestMs, mainThreadCpuPerRequestMs: bare.mainThreadCpuPerRequestMs },
				bare20: {
					runs: bare20.runs,
					wallMs: bare20.wallMs,
					idealMs: ideal(20),
					cpuPerRequestMs: bare20.cpuPerRequestMs,
					mainThreadCpuPerRequestMs: bare20.mainThreadCpuPerRequestMs,
				},
				emulatorCpuPerRequestMs: Object.fromEntries(Object.entries(speed.emulatorCpu).map(([k, v]) => [k, median(v)])),
				requireCost,
				rss: {
					medianGrowthMb: rssGrowth,
					overBareSdkMb: rssGrowth - memory.rssBare.growthMb,
					runs: memory.rssRuns,
					bareReference: memory.rssBare,
					nodeWithNativeTeaDoAction: memory.rssNodeNativeTea,
					bareWithNativeTeaDoAction: memory.rssBareNativeTea,
					withoutCallApiReference: memory.rssHttp,
				},
				loadAverage: { before: loadBefore, after: loadAfter },
				rate,
				targets: targets.map(({ name, value, pass }) => ({ name, value, pass })),
				problems,
				raw: { node: speed.nodeRuns, bare: speed.bareRuns, bare20: speed.bare20Runs },
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
	try {
		await warmUp(emu, items);
		const speed = await measureSpeed(emu, items);
		const rate = await measureRate(emu, items);
		const memory = await measureMemory(emu);
		const measured: Measured = { started, machine, loadBefore, loadAfter: loadavg(), requireCost, speed, rate, memory };
		const fig = figures(measured);
		const targets = targetsOf(measured, fig);
		process.stdout.write(report(measured, fig, targets));
		writeResults(measured, fig, targets);
	} finally {
		await emu.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
