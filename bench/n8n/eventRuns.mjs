// The event measurements on a running n8n: the cold first events after a fresh start, the warm events one
// at a time, bursts and events back to back (at each expression-isolate pool size), Wait for Result, and the
// warm events again with n8n's legacy expression engine.
import { BENCH_VARIANTS, BENCH_WAIT_POLL_INTERVAL_S } from '../../tools/workflows/index.mjs';
import { burstPeriods, CONFIG, f, log, problems, WAIT_FLOW_MS } from './config.mjs';
import { interleaved, PERIOD, postEvent } from './events.mjs';
import { processMemory } from './procfs.mjs';
import { startN8n } from './server.mjs';
import { balancedOrder } from './shared.mjs';

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
export async function measureEvents(ctx) {
	const from = (await ctx.emulator.stats()).count;
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
	const seen = (await ctx.emulator.requests(from)).filter((r) => r.action === 'LaunchAuthentication');
	const burstLaunches = warm.bursts ? (2 / 3) * (CONFIG.bursts.reduce((n, size) => n + size * burstPeriods(size) * PERIOD.length, 0) + CONFIG.backToBack * BENCH_VARIANTS.length) : 0;
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
export async function measureLegacyEngine(ctx) {
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
		const periods = burstPeriods(size);
		log(`bursts of ${size}: ${periods * PERIOD.length} bursts, ${(periods * PERIOD.length) / BENCH_VARIANTS.length} per variant...`);
		const samples = { node: [], http: [], floor: [] };
		for (const variant of balancedOrder(BENCH_VARIANTS, (periods * PERIOD.length) / BENCH_VARIANTS.length)) {
			await new Promise((resolve) => setTimeout(resolve, CONFIG.burstGapMs));
			samples[variant].push(...(await Promise.all(Array.from({ length: size }, () => postEvent(n8n, variant)))));
		}
		bySize[size] = samples;
	}
	log(`back to back: ${CONFIG.backToBack} events per variant, in PERIOD order, no pause...`);
	const backToBack = { node: [], http: [], floor: [] };
	await new Promise((resolve) => setTimeout(resolve, CONFIG.burstGapMs));
	for (const variant of balancedOrder(BENCH_VARIANTS, CONFIG.backToBack)) backToBack[variant].push(await postEvent(n8n, variant));
	return { bySize, backToBack };
}

/** Wait for Result on a flow that finishes WAIT_FLOW_MS after the launch: events one at a time. */
async function waitEvents(n8n) {
	log(`Wait for Result: ${CONFIG.waitEvents} events (flow of ${WAIT_FLOW_MS} ms, Poll Interval ${BENCH_WAIT_POLL_INTERVAL_S} s)...`);
	const ms = [];
	for (let i = 0; i < CONFIG.waitEvents; i++) {
		await new Promise((resolve) => setTimeout(resolve, CONFIG.gapMs));
		ms.push((await postEvent(n8n, 'wait')).ms);
	}
	return ms;
}

/** The bursts on n8n started with each other pool size (the default, 1, is measured on the events' n8n). */
export async function measureOtherPools(ctx) {
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
