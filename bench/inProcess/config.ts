/**
 * The in-process bench's settings (environment, all optional) and what it runs: the node's configurations
 * and the loops without the node. BENCH_ITEMS (1000), BENCH_RUNS (5, for concurrency 5 and 20),
 * BENCH_SLOW_RUNS (3, for concurrency 1 and the sequential loops: ~21 s each), BENCH_RSS_ITEMS (10000),
 * BENCH_RSS_RUNS (2), BENCH_REQUIRE_RUNS (11), BENCH_LATENCY_MS (20), BENCH_RATE (50), BENCH_RATE_ITEMS (300),
 * BENCH_DIST (paths.ts), BENCH_N8N=0 (skip the real-n8n part; its own settings are in bench/n8n/config.mjs).
 */
import { join } from 'node:path';

import { envNumber, formatter, logger } from '../shared/report';
import { runBareLoop, runTransportLoop } from './loops';
import { REPO_ROOT } from './paths';

export const N = envNumber('BENCH_ITEMS', 1000);
export const RUNS = envNumber('BENCH_RUNS', 5);
export const SLOW_RUNS = envNumber('BENCH_SLOW_RUNS', 3);
export const RSS_ITEMS = envNumber('BENCH_RSS_ITEMS', 10_000);
export const RSS_RUNS = envNumber('BENCH_RSS_RUNS', 2);
export const RSS_CONCURRENCY = 20;
export const REQUIRE_RUNS = envNumber('BENCH_REQUIRE_RUNS', 11);
export const LATENCY_MS = envNumber('BENCH_LATENCY_MS', 20);
export const RATE = envNumber('BENCH_RATE', 50);
export const RATE_ITEMS = envNumber('BENCH_RATE_ITEMS', 300);
export const RATE_CONCURRENCY = 20;

export const TARGETS = {
	wallVsIdealAt20: 1.15,
	cpuNodeVsBare: 1.3,
	addedRequireMs: 20,
	rssGrowthMb: 100,
};

export const RUN_N8N = process.env.BENCH_N8N !== '0';
export const N8N_RESULTS_FILE = join(REPO_ROOT, '.build/bench-n8n-results.json');

export const INFO_RATE = 250;
export type Config = 'node@1' | 'node@5' | 'node@20' | 'node@20 (expressions)' | 'node@20, 250/s';
export const CONFIGS: Config[] = ['node@1', 'node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s'];
export const CONCURRENCY: Record<Config, number> = { 'node@1': 1, 'node@5': 5, 'node@20': 20, 'node@20 (expressions)': 20, 'node@20, 250/s': 20 };
export const RATE_OF: Partial<Record<Config, number>> = { 'node@20, 250/s': INFO_RATE };

/** The loops without the node: Alibaba's SDK (external reference) and the node's own transport, 1 or 20 at a time. */
export type Loop = 'sdk' | 'sdk@20' | 'transport' | 'transport@20';
export const LOOPS: Record<Loop, { label: string; run: typeof runBareLoop; concurrency: number }> = {
	sdk: { label: 'bare SDK callApi loop (sequential)', run: runBareLoop, concurrency: 1 },
	'sdk@20': { label: 'bare SDK callApi, 20 workers', run: runBareLoop, concurrency: 20 },
	transport: { label: "node's transport alone (sequential)", run: runTransportLoop, concurrency: 1 },
	'transport@20': { label: "node's transport alone, 20 workers", run: runTransportLoop, concurrency: 20 },
};
export const LOOP_NAMES = Object.keys(LOOPS) as Loop[];
export const isLoop = (config: string): config is Loop => config in LOOPS;

/** The sequential runs (about 21 s each at the defaults: SLOW_RUNS of each) and the others (RUNS of each). */
export const SLOW: Array<Config | Loop> = ['node@1', 'sdk', 'transport'];
export const FAST: Array<Config | Loop> = ['node@5', 'node@20', 'node@20 (expressions)', 'node@20, 250/s', 'sdk@20', 'transport@20'];

/** Wall time of N requests at concurrency c (and at most perSecond a second) if only the latency counted. */
export const ideal = (c: number, perSecond = 0) => Math.max((N * LATENCY_MS) / c, perSecond > 0 ? (N * 1000) / perSecond : 0);

export const f = formatter(0);
export const log = logger('bench: ');
