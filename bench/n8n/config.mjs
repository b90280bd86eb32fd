// The real-n8n bench's settings (environment, all optional; run.mjs says what each step does with them):
// BENCH_LATENCY_MS (20), BENCH_N8N_WARMUP (20), BENCH_N8N_EVENTS (80), BENCH_N8N_GAP_MS (100),
// BENCH_N8N_BURSTS ("10,50"), BENCH_N8N_BURST_GAP_MS (1000), BENCH_N8N_BURST_PERIODS (2: bursts of up to 10 run
// that many balanced periods, larger bursts one), BENCH_N8N_BACK_TO_BACK (40),
// BENCH_N8N_POOL_SIZES ("1,4"), BENCH_N8N_WAIT_EVENTS (10), BENCH_N8N_BATCH_ITEMS (2000),
// BENCH_N8N_PROFILE=1 with BENCH_N8N_PROFILE_EVENTS (200), BENCH_N8N_SKIP_BURSTS=1, BENCH_N8N_SKIP_BATCH=1,
// BENCH_N8N_SKIP_LEGACY=1, BENCH_N8N_SKIP_BUILD=1 (pack the current dist/), BENCH_N8N_KEEP=1 (keep the run
// folder), BENCH_N8N_RESULTS (.build/bench-n8n-results.json). Also the labels, the targets, and the lists of
// problems and notes every step adds to.
import { join } from 'node:path';

import { REPO_DIR } from '../../tools/n8n/sandbox.mjs';
import { envNumber, formatter, logger } from './shared.mjs';

export const CONFIG = {
	latencyMs: envNumber('BENCH_LATENCY_MS', 20),
	warmupRounds: envNumber('BENCH_N8N_WARMUP', 20),
	rounds: envNumber('BENCH_N8N_EVENTS', 80),
	gapMs: envNumber('BENCH_N8N_GAP_MS', 100),
	batchItems: envNumber('BENCH_N8N_BATCH_ITEMS', 2000),
	profileEvents: envNumber('BENCH_N8N_PROFILE_EVENTS', 200),
	profile: process.env.BENCH_N8N_PROFILE === '1',
	bursts: (process.env.BENCH_N8N_BURSTS || '10,50').split(',').map(Number).filter((n) => n > 0),
	burstGapMs: envNumber('BENCH_N8N_BURST_GAP_MS', 1000),
	smallBurstPeriods: envNumber('BENCH_N8N_BURST_PERIODS', 2),
	backToBack: envNumber('BENCH_N8N_BACK_TO_BACK', 40),
	poolSizes: (process.env.BENCH_N8N_POOL_SIZES || '1,4').split(',').map(Number).filter((n) => n > 0),
	waitEvents: envNumber('BENCH_N8N_WAIT_EVENTS', 10),
	skipBursts: process.env.BENCH_N8N_SKIP_BURSTS === '1',
	skipBatch: process.env.BENCH_N8N_SKIP_BATCH === '1',
	skipLegacy: process.env.BENCH_N8N_SKIP_LEGACY === '1',
	build: process.env.BENCH_N8N_SKIP_BUILD !== '1',
	keep: process.env.BENCH_N8N_KEEP === '1',
	resultsFile: process.env.BENCH_N8N_RESULTS || join(REPO_DIR, '.build', 'bench-n8n-results.json'),
};
/** The profile's first events on a fresh n8n: the floor first (n8n's own first-event cost), then each node's first use. */
export const FIRST_EVENT_ORDER = ['floor', 'node', 'http'];
export const firstEventWindow = (variant) => `first ${variant}`;
/** How many balanced periods of bursts of this size run (each period: every variant's burst after every other's). */
export const burstPeriods = (size) => (size <= 10 ? CONFIG.smallBurstPeriods : 1);
export const TARGETS = { coldOverWarmMs: 150, waitAddedOverPollMs: 10 };
/** How long the wait workflow's IVR flow (job-auth-pass) takes from the launch to its last node's end. */
export const WAIT_FLOW_MS = 1000;
export const WAIT_JOB = 'job-auth-pass';
/**
 * The batch runs: variant, the node's Concurrency (undefined: the variant's default) and the mapping
 * (tools/workflows/bench.mjs: all five fields as expressions, two of them, or none).
 */
export const BATCH_RUNS = [
	{ variant: 'node', concurrency: undefined, mapping: 'all' },
	{ variant: 'node', concurrency: 20, mapping: 'all' },
	{ variant: 'node', concurrency: 20, mapping: 'two' },
	{ variant: 'node', concurrency: 20, mapping: 'fixed' },
	{ variant: 'http', concurrency: undefined, mapping: 'all' },
	{ variant: 'floor', concurrency: undefined, mapping: 'all' },
	{ variant: 'floor', concurrency: undefined, mapping: 'two' },
];
export const MAPPING_LABEL = { all: 'five fields as expressions', two: 'Job ID and Agent as expressions', fixed: 'fixed values' };
export const LABEL = { node: 'Launch Authentication node', http: 'HTTP Request node + credential', floor: 'Set node (floor)' };

export const log = logger('bench:n8n: ');
export const problems = [];
/** What happened that does not invalidate the figures (a crashed run done again). */
export const notes = [];
export const f = formatter(1);
