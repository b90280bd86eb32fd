/** The in-process bench's figures (medians per configuration, ratios to the ideal and to the loops) and its targets. */
import type { Machine, Target } from '../shared/report';
import { median } from '../shared/stats';
import { CONCURRENCY, CONFIGS, f, ideal, LOOP_NAMES, N, RATE, RATE_ITEMS, RATE_OF, RSS_ITEMS, TARGETS, type Config, type Loop } from './config';
import type { NodeRunMeasure } from './engineRun';
import type { BareMeasure } from './loops';
import type { MemoryRuns, RateMeasure, SpeedRuns } from './measure';
import { LAZY_LIBRARIES, type RequireCost } from './requireCost';

export interface Measured {
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

/** Medians of one loop's runs, per request. */
function loopFigures(runs: BareMeasure[]) {
	return {
		runs: runs.length,
		wallMs: median(runs.map((m) => m.wallMs)),
		cpuPerRequestMs: median(runs.map((m) => m.cpuMs)) / N,
		mainThreadCpuPerRequestMs: median(runs.map((m) => m.mainThreadCpuMs)) / N,
	};
}

/** Medians per configuration, compared with the ideal wall time and the loops' CPU (sequential SDK and transport). */
export function figures({ speed }: Measured) {
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

export type Figures = ReturnType<typeof figures>;

export function targetsOf({ requireCost, rate, memory }: Measured, { wall, loops }: Figures): Target[] {
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
