// The real-n8n bench's figures: per variant median, p90, spread and CPU of the warm events, the paired
// difference node vs HTTP Request, bursts per pool size, Wait for Result's added cost; and the targets.
import { BENCH_VARIANTS, BENCH_WAIT_POLL_INTERVAL_S } from '../../tools/workflows/index.mjs';
import { f, TARGETS, WAIT_FLOW_MS } from './config.mjs';
import { median, medianInterval, quantile } from './shared.mjs';

/** Median and p90 per event of each variant. */
function burstFigures(samples) {
	return Object.fromEntries(
		BENCH_VARIANTS.map((v) => {
			const ms = samples[v].map((s) => s.ms);
			return [v, { events: ms.length, medianMs: median(ms), p90Ms: quantile(ms, 0.9), maxMs: Math.max(...ms) }];
		}),
	);
}

/** CPU ms per event by thread name, over a variant's events. */
function perThread(samples) {
	const sum = {};
	for (const s of samples) for (const [name, ms] of Object.entries(s.cpuByThread)) sum[name] = (sum[name] ?? 0) + ms;
	return Object.fromEntries(Object.entries(sum).map(([name, ms]) => [name, ms / samples.length]));
}

export function eventFigures(events) {
	const per = {};
	for (const v of BENCH_VARIANTS) {
		const ms = events.samples[v].map((s) => s.ms);
		per[v] = {
			events: ms.length,
			medianMs: median(ms),
			p90Ms: quantile(ms, 0.9),
			minMs: Math.min(...ms),
			medianInterval95Ms: medianInterval(ms),
			cpuMsPerEvent: events.samples[v].reduce((a, s) => a + s.cpuMs, 0) / ms.length,
			cpuMsPerEventByThread: perThread(events.samples[v]),
			coldMs: events.cold?.nodeFirst.firstEventsMs[v],
			coldAfterFloorMs: events.cold?.floorFirst.firstEventsMs[v],
		};
	}
	for (const v of BENCH_VARIANTS) per[v].overFloorMs = per[v].medianMs - per.floor.medianMs;
	// Paired in sending order: the k-th node event with the k-th HTTP Request event (a few events apart).
	const diffs = events.samples.http.map((s, i) => s.ms - events.samples.node[i].ms);
	const httpMinusNode = { medianMs: median(diffs), interval95Ms: medianInterval(diffs), nodeFasterInRounds: diffs.filter((d) => d > 0).length, rounds: diffs.length };
	return { per, httpMinusNode };
}

/** Bursts and Wait for Result, figured: per pool size, per burst size and back to back, median and p90 per variant. */
export function burstResults(events, otherPools) {
	const pools = {};
	const figure = (b) => ({ bySize: Object.fromEntries(Object.entries(b.bySize).map(([size, samples]) => [size, burstFigures(samples)])), backToBack: burstFigures(b.backToBack) });
	if (events.bursts) pools[1] = figure(events.bursts);
	for (const [size, b] of Object.entries(otherPools ?? {})) pools[size] = figure(b);
	return pools;
}

/** Wait for Result's cost over the flow's own duration: its events' latency − the flow − the node's warm median without waiting. */
export function waitResults(events, per) {
	if (!events.wait) return undefined;
	const added = events.wait.map((ms) => ms - WAIT_FLOW_MS - per.node.medianMs);
	return { events: events.wait.length, flowMs: WAIT_FLOW_MS, pollIntervalMs: BENCH_WAIT_POLL_INTERVAL_S * 1000, medianMs: median(events.wait), maxMs: Math.max(...events.wait), addedMedianMs: median(added), addedMaxMs: Math.max(...added) };
}

export function targetsOf(ev, pools, wait) {
	const { per, httpMinusNode } = ev;
	const cold = per.node.coldMs - per.node.medianMs;
	const burstTargets = Object.entries(pools).flatMap(([pool, b]) => {
		const ten = b.bySize[10];
		if (!ten) return [];
		return [
			{
				name: `bursts of 10 (N8N_EXPRESSION_ENGINE_POOL_SIZE=${pool}): node p90 per event not above the HTTP Request node's`,
				value: ten.node.p90Ms - ten.http.p90Ms,
				pass: ten.node.p90Ms <= ten.http.p90Ms,
				shown: `node ${f(ten.node.p90Ms)} ms vs HTTP Request ${f(ten.http.p90Ms)} ms (medians ${f(ten.node.medianMs)} vs ${f(ten.http.medianMs)} ms)`,
			},
		];
	});
	const waitTargets = wait
		? [
				{
					name: `Wait for Result adds at most one Poll Interval + ${TARGETS.waitAddedOverPollMs} ms to a ${wait.flowMs} ms flow`,
					value: wait.addedMaxMs,
					pass: wait.addedMaxMs <= wait.pollIntervalMs + TARGETS.waitAddedOverPollMs,
					shown: `added ${f(wait.addedMedianMs)} ms median, ${f(wait.addedMaxMs)} ms at most over ${wait.events} events (event latency ${f(wait.medianMs)} ms median − flow ${wait.flowMs} ms − the node's warm median ${f(per.node.medianMs)} ms without waiting); limit ${wait.pollIntervalMs + TARGETS.waitAddedOverPollMs} ms`,
				},
			]
		: [];
	return [
		...burstTargets,
		...waitTargets,
		{
			name: 'warm event: node median − floor < HTTP Request median − floor, and the paired difference\'s 95% interval above 0',
			value: httpMinusNode.medianMs,
			pass: per.node.overFloorMs < per.http.overFloorMs && httpMinusNode.interval95Ms[0] > 0,
			shown: `${f(per.node.overFloorMs)} ms vs ${f(per.http.overFloorMs)} ms; HTTP − node, paired: median ${f(httpMinusNode.medianMs)} ms (95% ${f(httpMinusNode.interval95Ms[0])} to ${f(httpMinusNode.interval95Ms[1])}), node faster in ${httpMinusNode.nodeFasterInRounds}/${httpMinusNode.rounds} pairs`,
		},
		{
			name: `cold first event (node) within ${TARGETS.coldOverWarmMs} ms of the warm median`,
			value: cold,
			pass: cold <= TARGETS.coldOverWarmMs,
			shown: `${f(per.node.coldMs)} ms vs ${f(per.node.medianMs)} ms warm: +${f(cold)} ms`,
		},
	];
}
