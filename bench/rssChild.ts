/**
 * One fresh process, one run of the node over many items: RSS just before the run vs the peak during it.
 * argv: endpoint, item count, concurrency, and 'node' (default) or 'bare' (the same requests through the
 * SDK's callApi from `concurrency` loops, no node, nothing kept: what the SDK alone costs in memory).
 * Prints one JSON line (RssMeasure) on stdout.
 *
 * Before the baseline: n8n-core / n8n-workflow and the node module are loaded (n8n has them loaded when
 * a workflow runs) and the input items exist (they come from the upstream node). Not loaded yet: what
 * the node loads lazily on its first execution (the Alibaba SDK, Bottleneck, p-retry), so the growth
 * includes that one-time cost; it is a cold first run, the worst case.
 */
import { collectGarbage, loadItems, loadNode, runBareLoop, runNode } from './common';

export interface RssMeasure {
	mode: 'node' | 'bare';
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
	executeMs: number;
	alicloudLoadedBeforeRun: boolean;
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
	const [endpoint, countArg, concurrencyArg, modeArg] = process.argv.slice(2);
	const mode = modeArg === 'bare' ? 'bare' : 'node';
	const count = Number(countArg);
	const concurrency = Number(concurrencyArg);
	loadNode();
	const items = loadItems(count);
	collectGarbage();
	await new Promise((r) => setTimeout(r, 100));
	const alicloudLoadedBeforeRun = Object.keys(require.cache).some((k) => k.includes('@alicloud'));
	const baseline = process.memoryUsage();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	let sampledPeak = baseline.rss;
	let samples = 0;
	const timer = setInterval(() => {
		samples++;
		const rss = process.memoryUsage.rss();
		if (rss > sampledPeak) sampledPeak = rss;
	}, 20);
	const m: { outputItems: number; errors: number; executeMs: number; output?: unknown[] } =
		mode === 'node'
			? await runNode({ endpoint, items, options: { concurrency }, keepOutput: true })
			: await runBareLoop(endpoint, items, concurrency).then((b) => ({ outputItems: b.requests - b.failures, errors: b.failures, executeMs: b.wallMs }));
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
