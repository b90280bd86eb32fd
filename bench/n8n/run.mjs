#!/usr/bin/env node
// The real-n8n part of the bench (issue 15: per-event latency on a running n8n, at least as fast as the
// HTTP Request node). `npm run bench:n8n` runs it alone; `npm run bench` runs it after the in-process part.
//
// 1. The package is packed and installed as a community package into a throwaway user folder (as the e2e
//    test does); the CCC emulator runs in its own process (bench/shared) on loopback with BENCH_LATENCY_MS (20)
//    per answer.
// 2. `n8n start` with three published webhook workflows: the node, the HTTP Request node
//    signed by this package's credential, and a Set node mapping the same fields (n8n's floor)
//    (tools/workflows/bench.mjs).
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
// Other settings (config.mjs): BENCH_N8N_SKIP_BUILD=1 (pack the current dist/), BENCH_N8N_KEEP=1 (keep the
// run folder), BENCH_N8N_SKIP_BATCH=1. Exits 0 unless the bench itself breaks: it is a report.
//
// The pieces: config.mjs (settings, labels, targets), server.mjs (set-up, n8n start), events.mjs (one event,
// the balanced order), eventRuns.mjs (cold, warm, bursts, Wait for Result, legacy engine), batch.mjs,
// cpuProfile.mjs + profile.mjs, figures.mjs, report.mjs, procfs.mjs; shared.mjs loads bench/shared (compiled).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { relative } from 'node:path';

import { N8N_VERSION } from '../../tools/n8n/ensure-n8n.mjs';
import * as sandbox from '../../tools/n8n/sandbox.mjs';
import { measureBatches } from './batch.mjs';
import { CONFIG, f, log, notes, problems } from './config.mjs';
import { measureProfile } from './cpuProfile.mjs';
import { measureEvents, measureLegacyEngine, measureOtherPools } from './eventRuns.mjs';
import { burstResults, eventFigures, targetsOf, waitResults } from './figures.mjs';
import { PROFILE_FUNCTIONS } from './profile.mjs';
import { report } from './report.mjs';
import { setUp } from './server.mjs';
import { machineInfo, writeJson } from './shared.mjs';

async function main() {
	const started = Date.now();
	const loadBefore = loadavg();
	const machine = machineInfo();
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
			machine: { nproc: machine.nproc, cpuModel: machine.cpuModel, node: machine.node, n8n: N8N_VERSION },
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
		writeJson(CONFIG.resultsFile, results);
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
