// Batches: CONFIG.batchItems items through `n8n execute` (a fresh n8n process per workflow) for each of
// BATCH_RUNS: the process's wall time and peak RSS, the variant node's executionTime as n8n stored it, and
// the most requests the emulator had in flight.
import { n8nBin } from '../../tools/n8n/ensure-n8n.mjs';
import * as sandbox from '../../tools/n8n/sandbox.mjs';
import { benchBatchWorkflow, benchBatchWorkflowId } from '../../tools/workflows/index.mjs';
import { BATCH_RUNS, CONFIG, log, notes, problems } from './config.mjs';
import { processMemory } from './procfs.mjs';
import { nowMs } from './shared.mjs';

/** One batch workflow through `n8n execute` in a fresh process: wall time, the variant node's executionTime, peak RSS. */
async function measureBatch(ctx, { variant, concurrency, mapping }) {
	const id = benchBatchWorkflowId(variant, concurrency, mapping);
	const from = (await ctx.emulator.stats()).count;
	const t0 = nowMs();
	const handle = sandbox.spawnLogged(process.execPath, [n8nBin(), 'execute', `--id=${id}`], {
		cwd: ctx.userFolder,
		env: await ctx.env(),
		logFile: ctx.logFile(`n8n-execute-${id}`),
		name: `n8n execute ${id}`,
		capture: false,
	});
	let memory = { rssMb: 0, peakRssMb: 0 };
	const sampler = setInterval(() => {
		const m = processMemory(handle.pid);
		// A process that is exiting (zombie) has no Vm* lines: those reads are NaN and skipped.
		if (m && Number.isFinite(m.peakRssMb)) memory = { rssMb: Math.max(memory.rssMb, m.rssMb), peakRssMb: Math.max(memory.peakRssMb, m.peakRssMb) };
	}, 50);
	const { code } = await handle.exited;
	clearInterval(sampler);
	const wallMs = nowMs() - t0;
	if (code !== 0) throw new Error(`n8n execute --id=${id} exited ${code}:\n${sandbox.tailFile(ctx.logFile(`n8n-execute-${id}`), 30)}`);
	// The run as n8n stored it (the JSON `execute` prints can be cut short when n8n exits with MBs still in the pipe).
	const run = (await sandbox.readExecutions(ctx.userFolder)).filter((e) => e.workflowId === id).at(-1);
	if (!run?.data) throw new Error(`n8n execute --id=${id}: no stored execution`);
	const node = benchBatchWorkflow(variant, { endpoint: '', items: 1, concurrency, mapping }).nodes.at(-1).name;
	const task = run.data.resultData.runData[node]?.[0];
	const out = task?.data?.main?.[0] ?? [];
	const errors = out.filter((i) => i.json.error !== undefined).length + (task?.error ? 1 : 0);
	const requests = await ctx.emulator.requests(from);
	const expectedRequests = variant === 'floor' ? 0 : CONFIG.batchItems;
	if (run.status !== 'success' || errors > 0 || out.length < CONFIG.batchItems || requests.length !== expectedRequests || requests.some((r) => r.status !== 200)) {
		problems.push(`batch ${id}: status ${run.status}, ${out.length} items, ${errors} errors, emulator saw ${requests.length} requests (expected ${expectedRequests})`);
	}
	return {
		variant,
		concurrency: concurrency ?? null,
		mapping,
		items: CONFIG.batchItems,
		outputItems: out.length,
		wallMs,
		nodeExecutionMs: task?.executionTime ?? NaN,
		peakRssMb: memory.peakRssMb,
		maxSampledRssMb: memory.rssMb,
		maxRequestsInFlight: variant === 'floor' ? 0 : maxInFlight(requests),
	};
}

/** Most requests the emulator had received and not yet answered at once (its arrival times + the latency). */
function maxInFlight(requests) {
	const edges = requests.flatMap((r) => [
		[r.at, 1],
		[r.at + CONFIG.latencyMs, -1],
	]);
	edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let now = 0;
	let most = 0;
	for (const [, d] of edges) most = Math.max(most, (now += d));
	return most;
}

export async function measureBatches(ctx) {
	const results = [];
	for (const run of BATCH_RUNS) {
		log(`batch: ${CONFIG.batchItems} items, ${run.variant}${run.concurrency ? ` @${run.concurrency}` : ''}, ${run.mapping} (n8n execute, fresh process)...`);
		const id = benchBatchWorkflowId(run.variant, run.concurrency, run.mapping);
		try {
			results.push(await measureBatch(ctx, run));
		} catch (error) {
			// n8n execute has been seen to die at random (SIGSEGV, or exit code 1 with nothing logged): such a run
			// is run again once; a second failure is a problem of this batch only, not of the whole bench.
			notes.push(`batch ${id}: n8n execute failed (${/\[n8n-sandbox\] exited with (\w+)/.exec(error.message)?.[1] ?? error.message.split('\n')[0]}); ran it again`);
			log(notes.at(-1));
			try {
				results.push(await measureBatch(ctx, run));
			} catch (again) {
				problems.push(`batch ${id} failed twice: ${again.message.split('\n').slice(0, 3).join(' ')}`);
			}
		}
	}
	return results;
}
