/**
 * One fresh process, one run of the node over many items: RSS just before the run vs the peak during it.
 * argv: endpoint, item count, concurrency, and the mode:
 *  - 'node' (default): the node through n8n's engine, output items kept;
 *  - 'bare': the same requests through Alibaba's SDK (`callApi`) from `concurrency` loops, no node, nothing
 *    kept (the external reference: what a hand-written SDK integration costs in memory);
 *  - 'transport': the same requests through the node's transport (`cccRequest`: V3 signing, n8n's request helpers)
 *    from `concurrency` loops, no node, nothing kept (what the requests themselves cost).
 * Prints one JSON line (RssMeasure) on stdout.
 *
 * Before the baseline: n8n-core / n8n-workflow and the node module are loaded (n8n has them loaded when
 * a workflow runs) and the input items exist (they come from the upstream node). Not loaded yet: what
 * the node loads lazily on its first execution (the signing library, p-map, p-retry, Bottleneck), so the
 * growth includes that one-time cost; it is a cold first run, the worst case.
 */
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

import { loadItems, loadNode, runNode } from './engineRun';
import { runBareLoop, runTransportLoop } from './loops';
import { collectGarbage } from './processClock';

const MODES = ['node', 'bare', 'transport'] as const;
export type RssMode = (typeof MODES)[number];

/** Where the process's memory is at one moment: V8's heap (resident pages, young generation) and the rest. */
export interface MemoryBreakdown {
	rssMb: number;
	/** V8 heap pages actually resident (total_physical_size). */
	heapPhysicalMb: number;
	heapUsedMb: number;
	/** The young generation's resident size (new_space + new_large_object_space, physical). */
	youngGenerationMb: number;
	/** Buffers and other memory V8 accounts for outside its heap. */
	externalMb: number;
}

export interface RssMeasure {
	mode: RssMode;
	items: number;
	concurrency: number;
	outputItems: number;
	errors: number;
	baselineRssMb: number;
	peakRssMb: number;
	growthMb: number;
	/** Peak from 20 ms sampling of process.memoryUsage().rss. */
	sampledPeakRssMb: number;
	/** Kernel's peak (process.resourceUsage().maxRSS) after the run, if it rose during the run. */
	maxRssAfterMb: number;
	maxRssBeforeMb: number;
	heapUsedBaselineMb: number;
	/** Heap in use right after the run, before any GC: live data plus garbage not yet collected. */
	heapUsedAfterMb: number;
	/** After a full GC with the output items still referenced, then after dropping them: what they keep. */
	heapWithOutputAfterGcMb: number;
	heapWithoutOutputAfterGcMb: number;
	outputKeptMb: number;
	samples: number;
	/** Just before the run, and at the sampled RSS peak. */
	breakdownBaseline: MemoryBreakdown;
	breakdownAtPeak: MemoryBreakdown;
	executeMs: number;
	/** Whether anything from @alicloud (the signing library) was loaded before the run: it must not be. */
	alicloudLoadedBeforeRun: boolean;
}

const MB = 1024 * 1024;

function breakdown(rss: number): MemoryBreakdown {
	const heap = getHeapStatistics();
	let young = 0;
	for (const space of getHeapSpaceStatistics()) {
		if (space.space_name === 'new_space' || space.space_name === 'new_large_object_space') young += space.physical_space_size;
	}
	return {
		rssMb: rss / MB,
		heapPhysicalMb: heap.total_physical_size / MB,
		heapUsedMb: heap.used_heap_size / MB,
		youngGenerationMb: young / MB,
		externalMb: heap.external_memory / MB,
	};
}

async function main(): Promise<void> {
	const [endpoint, countArg, concurrencyArg, modeArg] = process.argv.slice(2);
	const mode = MODES.find((m) => m === (modeArg ?? 'node'));
	if (!mode) throw new Error(`unknown mode "${modeArg}" (one of ${MODES.join(', ')})`);
	const count = Number(countArg);
	const concurrency = Number(concurrencyArg);
	loadNode();
	const items = loadItems(count);
	collectGarbage();
	await new Promise((r) => setTimeout(r, 100));
	const alicloudLoadedBeforeRun = Object.keys(require.cache).some((k) => k.includes('@alicloud'));
	const baseline = process.memoryUsage();
	const breakdownBaseline = breakdown(baseline.rss);
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let sampledPeak = baseline.rss;
	let breakdownAtPeak = breakdownBaseline;
	let samples = 0;
	const timer = setInterval(() => {
		samples++;
		const rss = process.memoryUsage.rss();
		if (rss > sampledPeak) {
			sampledPeak = rss;
			breakdownAtPeak = breakdown(rss);
		}
	}, 20);
	const loop = mode === 'transport' ? runTransportLoop : runBareLoop;
	const m: { outputItems: number; errors: number; executeMs: number; output?: unknown[] } =
		mode === 'node'
			? await runNode({ endpoint, items, options: { concurrency }, keepOutput: true })
			: await loop(endpoint, items, concurrency).then((b) => ({ outputItems: b.requests - b.failures, errors: b.failures, executeMs: b.wallMs }));
	clearInterval(timer);
	const endRss = process.memoryUsage.rss();
	if (endRss > sampledPeak) sampledPeak = endRss;
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	const peak = maxRssAfter > maxRssBefore ? Math.max(maxRssAfter, sampledPeak) : sampledPeak;
	const heapUsedAfter = process.memoryUsage().heapUsed;
	collectGarbage();
	const heapWithOutput = process.memoryUsage().heapUsed;
	m.output = undefined;
	collectGarbage();
	const heapWithoutOutput = process.memoryUsage().heapUsed;
	const result: RssMeasure = {
		mode,
		items: count,
		concurrency,
		outputItems: m.outputItems,
		errors: m.errors,
		baselineRssMb: baseline.rss / MB,
		peakRssMb: peak / MB,
		growthMb: (peak - baseline.rss) / MB,
		sampledPeakRssMb: sampledPeak / MB,
		maxRssAfterMb: maxRssAfter / MB,
		maxRssBeforeMb: maxRssBefore / MB,
		heapUsedBaselineMb: baseline.heapUsed / MB,
		heapUsedAfterMb: heapUsedAfter / MB,
		heapWithOutputAfterGcMb: heapWithOutput / MB,
		heapWithoutOutputAfterGcMb: heapWithoutOutput / MB,
		outputKeptMb: (heapWithOutput - heapWithoutOutput) / MB,
		samples,
		breakdownBaseline,
		breakdownAtPeak,
		executeMs: m.executeMs,
		alicloudLoadedBeforeRun,
	};
	process.stdout.write(`${JSON.stringify(result)}\n`);
	process.exit(0);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
