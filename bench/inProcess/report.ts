/** The in-process bench's printed report (speed, start-up, memory, rate, targets) and its results file. */
import { relative } from 'node:path';

import { listLines, PROBLEMS_TITLE, table, verdictLines, writeJson, type Target } from '../shared/report';
import { median } from '../shared/stats';
import {
	f,
	ideal,
	INFO_RATE,
	LATENCY_MS,
	LOOP_NAMES,
	LOOPS,
	N,
	RATE,
	RATE_CONCURRENCY,
	RATE_ITEMS,
	REQUIRE_RUNS,
	RSS_CONCURRENCY,
	RSS_ITEMS,
	RSS_RUNS,
	RUNS,
	SLOW_RUNS,
	type Loop,
} from './config';
import type { Figures, Measured } from './figures';
import { problems } from './measure';
import { DIST, REPO_ROOT, RESULTS_FILE } from './paths';
import type { RssMeasure } from './rssChild';

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
				memoryRow("node's transport alone (V3 signing + n8n's request helpers), no output kept", rssTransport, '-'),
			],
		),
		`node growth (median of ${rssRuns.length}) ${f(rssGrowth, 1)} MB; the same requests through the node's transport alone ${f(rssTransport.growthMb, 1)} MB, through Alibaba's SDK ${f(rssSdk.growthMb, 1)} MB. The rest of the node's growth is n8n's run and the ${RSS_ITEMS} output items it keeps.`,
	];
}

/** 7. The printed report. */
export function report(measured: Measured, fig: Figures, targets: Target[]): string {
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
	out.push("node's transport alone: the same requests through the node's cccRequest (V3 signing, n8n's request helpers as n8n-core builds them), no engine, no scheduler, no output.");
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
	out.push(...verdictLines(targets));
	out.push(...listLines(PROBLEMS_TITLE, problems));
	out.push('');
	out.push(`results: ${relative(REPO_ROOT, RESULTS_FILE)} (bench took ${f((Date.now() - started) / 1000)} s)`);
	return `${out.join('\n')}\n`;
}

/** Everything measured, as JSON, in RESULTS_FILE. */
export function writeResults(measured: Measured, { wall, loops }: Figures, targets: Target[]): void {
	const { machine, requireCost, speed, rate, memory, loadBefore, loadAfter, started, realN8n } = measured;
	const rssGrowth = median(memory.rssRuns.map((m) => m.growthMb));
	writeJson(RESULTS_FILE, {
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
	});
}
