/**
 * The in-process bench's measurements, in the order run.ts runs them: start-up cost, warm-up, speed (the
 * node's configurations and the loops without it), the rate limit, memory in fresh processes, and the
 * real-n8n part (bench/n8n/run.mjs) in its own process. What went wrong is collected in `problems`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import type { EmulatorProcess } from '../shared/emulatorProcess';
import { balancedOrder } from '../shared/order';
import {
	FAST,
	isLoop,
	LOOPS,
	log,
	N,
	N8N_RESULTS_FILE,
	CONCURRENCY,
	RATE,
	RATE_CONCURRENCY,
	RATE_ITEMS,
	RATE_OF,
	REQUIRE_RUNS,
	RSS_CONCURRENCY,
	RSS_ITEMS,
	RSS_RUNS,
	RUN_N8N,
	RUNS,
	SLOW,
	SLOW_RUNS,
	f,
	type Config,
	type Loop,
} from './config';
import { runNode, type NodeRunMeasure } from './engineRun';
import { runBareLoop, runTransportLoop, type BareMeasure } from './loops';
import { REPO_ROOT } from './paths';
import { collectGarbage } from './processClock';
import { measureRequireCost, type RequireCost } from './requireCost';
import type { RssMeasure, RssMode } from './rssChild';

/** What went wrong in the runs (the figures may not be valid); printed and written with the results. */
export const problems: string[] = [];

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


/** 1. Start-up cost (fresh processes, before anything else runs). */
export function measureStartUp(): RequireCost {
	log(`require cost (${REQUIRE_RUNS} fresh processes per variant)...`);
	return measureRequireCost(REQUIRE_RUNS);
}

/** 2. Warm-up (JIT, lazily loaded libraries, keep-alive sockets), not counted. */
export async function warmUp(emu: EmulatorProcess, items: IDataObject[]): Promise<void> {
	log('warm-up...');
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 200), options: { concurrency: 20 } });
	await runNode({ endpoint: emu.endpoint, items: items.slice(0, 100), options: { concurrency: 20 }, mapping: 'expressions' });
	await runBareLoop(emu.endpoint, items.slice(0, 100));
	await runTransportLoop(emu.endpoint, items.slice(0, 100));
}

export interface SpeedRuns {
	nodeRuns: Record<Config, NodeRunMeasure[]>;
	loopRuns: Record<Loop, BareMeasure[]>;
	/** Emulator CPU ms per request, per configuration and run. */
	emulatorCpu: Record<string, number[]>;
}

/** One run of a loop without the node. */
async function loopRun(emu: EmulatorProcess, items: IDataObject[], loop: Loop, rep: number): Promise<BareMeasure> {
	const m = await LOOPS[loop].run(emu.endpoint, items, LOOPS[loop].concurrency);
	if (m.failures > 0) problems.push(`${loop}: ${m.failures} failed requests`);
	log(`run ${rep + 1} ${loop}: ${f(m.wallMs)} ms, CPU ${f(m.cpuMs)} ms`);
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
	log(`run ${rep + 1} ${config}: execute ${f(m.executeMs)} ms, CPU ${f(m.executeCpuMs)} ms (workflow ${f(m.workflowMs)} ms)`);
	return m;
}

/**
 * 3. Wall time and CPU. Each round runs the sequential configurations (while SLOW_RUNS last), then the
 * others (while RUNS last), each group in its balanced order (bench/shared/order.ts), so that drift and
 * what a run leaves behind spread over every configuration.
 */
export async function measureSpeed(emu: EmulatorProcess, items: IDataObject[]): Promise<SpeedRuns> {
	const runs: SpeedRuns = {
		nodeRuns: { 'node@1': [], 'node@5': [], 'node@20': [], 'node@20 (expressions)': [], 'node@20, 250/s': [] },
		loopRuns: { sdk: [], 'sdk@20': [], transport: [], 'transport@20': [] },
		emulatorCpu: {},
	};
	const slow = balancedOrder(SLOW, SLOW_RUNS);
	const fast = balancedOrder(FAST, RUNS);
	for (let rep = 0; rep < Math.max(RUNS, SLOW_RUNS); rep++) {
		const plan = [...slow.slice(rep * SLOW.length, (rep + 1) * SLOW.length), ...fast.slice(rep * FAST.length, (rep + 1) * FAST.length)];
		for (const config of plan) {
			await emu.reset();
			emulatorCpuMark = (await emu.stats()).cpuMs;
			collectGarbage();
			if (isLoop(config)) runs.loopRuns[config].push(await loopRun(emu, items, config, runs.loopRuns[config].length));
			else runs.nodeRuns[config].push(await nodeRun(emu, items, config, runs.nodeRuns[config].length));
			(runs.emulatorCpu[config] ??= []).push(await checkEmulator(emu, config, N));
		}
	}
	return runs;
}

export interface RateMeasure {
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
export async function measureRate(emu: EmulatorProcess, items: IDataObject[]): Promise<RateMeasure> {
	log(`rate check (${RATE_ITEMS} items, maxRequestsPerSecond ${RATE}, concurrency ${RATE_CONCURRENCY})...`);
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

export interface MemoryRuns {
	rssRuns: RssMeasure[];
	/** Alibaba's SDK alone (external reference), nothing kept. */
	rssSdk: RssMeasure;
	/** The node's own transport alone, nothing kept. */
	rssTransport: RssMeasure;
}

/** One fresh child process of RSS_ITEMS requests; every request must have been answered with Data. */
async function rssRun(emu: EmulatorProcess, mode: RssMode, label: string): Promise<RssMeasure> {
	log(`RSS ${label}: ${RSS_ITEMS} items, ${RSS_CONCURRENCY} at a time, fresh process...`);
	await emu.reset();
	const m = rssChild(emu.endpoint, mode);
	if (m.errors > 0 || m.outputItems !== RSS_ITEMS) problems.push(`RSS ${label}: ${m.outputItems} answers or output items, ${m.errors} failed`);
	if (m.alicloudLoadedBeforeRun) problems.push(`RSS ${label}: @alicloud was loaded before the run`);
	log(`  baseline ${f(m.baselineRssMb, 1)} MB, peak ${f(m.peakRssMb, 1)} MB, growth ${f(m.growthMb, 1)} MB, ${m.samples} samples`);
	return m;
}

/** 5. Memory: fresh child processes, RSS_ITEMS items each: the node, then the two loops without it. */
export async function measureMemory(emu: EmulatorProcess): Promise<MemoryRuns> {
	const rssRuns: RssMeasure[] = [];
	for (let i = 0; i < RSS_RUNS; i++) rssRuns.push(await rssRun(emu, 'node', `node, run ${i + 1}/${RSS_RUNS}`));
	const rssSdk = await rssRun(emu, 'bare', 'bare SDK callApi');
	const rssTransport = await rssRun(emu, 'transport', "node's transport alone");
	return { rssRuns, rssSdk, rssTransport };
}

/** 6. The real-n8n part (bench/n8n/run.mjs), in its own process; its results file, or undefined. */
export function measureRealN8n(): unknown {
	if (!RUN_N8N) return undefined;
	log('real n8n (bench/n8n/run.mjs)...');
	const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bench/n8n/run.mjs')], {
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