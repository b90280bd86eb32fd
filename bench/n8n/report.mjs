// The real-n8n bench's printed report: the warm events, the cold first events, bursts, Wait for Result, the
// legacy engine, the batches and the CPU profile side by side per variant, then the targets.
import { N8N_VERSION } from '../../tools/n8n/ensure-n8n.mjs';
import { BENCH_VARIANTS } from '../../tools/workflows/index.mjs';
import { CONFIG, f, FIRST_EVENT_ORDER, firstEventWindow, LABEL, MAPPING_LABEL, notes, problems } from './config.mjs';
import { listLines, PROBLEMS_TITLE, table, verdictLines } from './shared.mjs';

export function report(results) {
	const { per } = results.events.figures;
	const out = [''];
	out.push(`Real n8n ${N8N_VERSION} (n8n start, SQLite, regular mode), emulator latency ${CONFIG.latencyMs} ms; n8n ready ${f(results.events.readyMs / 1000)} s after start`);
	out.push('');
	out.push(
		table(
			[`warm events (${CONFIG.rounds} per variant, interleaved, one at a time, ${CONFIG.gapMs} ms apart)`, 'median ms', 'p90 ms', 'min ms', 'median − floor ms', 'median 95% interval ms', 'n8n CPU ms/event', 'cold first event ms'],
			BENCH_VARIANTS.map((v) => [
				LABEL[v],
				f(per[v].medianMs),
				f(per[v].p90Ms),
				f(per[v].minMs),
				v === 'floor' ? '–' : f(per[v].overFloorMs),
				`${f(per[v].medianInterval95Ms[0])}–${f(per[v].medianInterval95Ms[1])}`,
				f(per[v].cpuMsPerEvent),
				f(per[v].coldMs),
			]),
		),
	);
	out.push('Latency: this process sends the POST and reads the whole answer. CPU: the n8n process, all threads (/proc, 10 ms ticks, summed over the events).');
	const threadNames = [...new Set(BENCH_VARIANTS.flatMap((v) => Object.keys(per[v].cpuMsPerEventByThread)))].filter((name) => BENCH_VARIANTS.some((v) => per[v].cpuMsPerEventByThread[name] >= 0.5));
	out.push(`n8n CPU ms/event by thread: ${BENCH_VARIANTS.map((v) => `${v}: ${threadNames.map((name) => `${name} ${f(per[v].cpuMsPerEventByThread[name] ?? 0)}`).join(', ')}`).join('; ')}`);
	out.push('Cold: the first event after `n8n start` went to the node; the HTTP Request and floor columns are the next two events.');
	const after = results.events.cold.floorFirst.firstEventsMs;
	out.push(
		`Second fresh start, floor first: floor ${f(after.floor)} ms (n8n's own first event), then node ${f(after.node)} ms, then HTTP Request ${f(after.http)} ms (first use of each after n8n has run one event).`,
	);
	for (const [pool, b] of Object.entries(results.bursts ?? {})) {
		out.push('');
		const rows = [];
		for (const [size, fig] of Object.entries(b.bySize)) for (const v of BENCH_VARIANTS) rows.push([`burst of ${size}: ${LABEL[v]}`, String(fig[v].events), f(fig[v].medianMs), f(fig[v].p90Ms), f(fig[v].maxMs)]);
		for (const v of BENCH_VARIANTS) rows.push([`back to back: ${LABEL[v]}`, String(b.backToBack[v].events), f(b.backToBack[v].medianMs), f(b.backToBack[v].p90Ms), f(b.backToBack[v].maxMs)]);
		out.push(table([`bursts, N8N_EXPRESSION_ENGINE_POOL_SIZE=${pool}${pool === '1' ? ' (default)' : ''}: ms per event, from its POST to its answer`, 'events', 'median ms', 'p90 ms', 'max ms'], rows));
	}
	if (results.bursts && Object.keys(results.bursts).length) out.push(`Bursts: the events of one burst are sent at once, bursts ${CONFIG.burstGapMs} ms apart, in the warm events' balanced order of variants; back to back: one at a time, the next sent when the previous answer is read.`);
	if (results.wait) {
		const w = results.wait;
		out.push('');
		out.push(
			`Wait for Result (Poll Interval ${w.pollIntervalMs / 1000} s, a flow that finishes ${w.flowMs} ms after the launch, ${w.events} events): event latency median ${f(w.medianMs)} ms, max ${f(w.maxMs)} ms; added over the flow and the node's warm event: median ${f(w.addedMedianMs)} ms, max ${f(w.addedMaxMs)} ms.`,
		);
	}
	if (results.legacyEngine) {
		const legacy = results.legacyEngine.figures;
		out.push('');
		out.push(
			table(
				[`the same with N8N_EXPRESSION_ENGINE=legacy (${CONFIG.rounds} per variant, interleaved)`, 'median ms', 'p90 ms', 'median − floor ms', 'n8n CPU ms/event'],
				BENCH_VARIANTS.map((v) => [LABEL[v], f(legacy.per[v].medianMs), f(legacy.per[v].p90Ms), v === 'floor' ? '–' : f(legacy.per[v].overFloorMs), f(legacy.per[v].cpuMsPerEvent)]),
			),
		);
		out.push(
			`legacy engine, HTTP − node, paired: median ${f(legacy.httpMinusNode.medianMs)} ms (95% ${f(legacy.httpMinusNode.interval95Ms[0])} to ${f(legacy.httpMinusNode.interval95Ms[1])}), node faster in ${legacy.httpMinusNode.nodeFasterInRounds}/${legacy.httpMinusNode.rounds} pairs`,
		);
	}
	if (results.batch) {
		out.push('');
		out.push(
			table(
				[`batch: ${CONFIG.batchItems} items, n8n execute (fresh process each)`, 'node executionTime ms', 'process wall ms', 'peak RSS MB (VmHWM)', 'peak RSS − floor MB', 'max requests in flight'],
				results.batch.map((b) => [
					`${LABEL[b.variant]}${b.concurrency ? `, Concurrency ${b.concurrency}` : b.variant === 'node' ? ', Concurrency 5 (default)' : ''}, ${MAPPING_LABEL[b.mapping]}`,
					f(b.nodeExecutionMs, 0),
					f(b.wallMs, 0),
					f(b.peakRssMb),
					b.variant === 'floor' ? '–' : f(b.peakRssMb - (results.batch.find((x) => x.variant === 'floor' && x.mapping === 'all')?.peakRssMb ?? NaN)),
					String(b.maxRequestsInFlight),
				]),
			),
		);
		out.push('The HTTP Request node sends every item\'s request at once (no Batching option set): its wall time is one latency, not N × latency / concurrency.');
	}
	if (results.profile) {
		out.push('');
		out.push(`CPU profile of n8n's main thread (${CONFIG.profileEvents} events per variant in blocks, ${results.profile.file}): ms per event; "first": the first event of each on a fresh n8n, in the order ${FIRST_EVENT_ORDER.join(', ')}`);
		const columns = [...BENCH_VARIANTS, ...FIRST_EVENT_ORDER.map(firstEventWindow)];
		out.push(
			table(
				['where', ...BENCH_VARIANTS.map((v) => LABEL[v]), ...FIRST_EVENT_ORDER.map(firstEventWindow)],
				results.profile.rows.map((r) => [r.label, ...columns.map((v) => f(r.msPerEvent[v] ?? 0, 2))]),
			),
		);
	}
	out.push('', ...verdictLines(results.targets));
	out.push(...listLines('Notes:', notes), ...listLines(PROBLEMS_TITLE, problems));
	return `${out.join('\n')}\n`;
}
