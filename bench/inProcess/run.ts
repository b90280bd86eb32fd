/**
 * `npm run bench` (issue "Performance"): the LaunchAuthentication node against the CCC emulator
 * (separate process, 20 ms latency per answer), run through n8n's real engine (n8n-core WorkflowExecute,
 * tools/engine/engine.ts) from the compiled dist/, next to the same requests without the node: through
 * Alibaba's SDK (`callApi`, the external reference: what a hand-written SDK integration costs) and through
 * the node's transport alone (V3 signing, n8n's request helpers). Then the real-n8n part (bench/n8n/run.mjs:
 * per-event latency on a running `n8n start` vs the HTTP Request node, batches through `n8n execute`).
 * Prints tables and one PASS/FAIL line per target, and writes everything to .build/bench-results.json.
 * Always exits 0 unless the bench itself breaks: it is a report.
 *
 * Settings (environment, optional): config.ts. The pieces: measure.ts (what is run), figures.ts (medians,
 * ratios, targets), report.ts (tables, results file); engineRun.ts and loops.ts run the requests, with the
 * node and without it; bench/shared/ holds what the real-n8n part uses too.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { relative } from 'node:path';

import { EmulatorProcess } from '../shared/emulatorProcess';
import { machineInfo } from '../shared/report';
import { LATENCY_MS, log, N, RUN_N8N } from './config';
import { loadItems } from './engineRun';
import { figures, targetsOf, type Measured } from './figures';
import { measureMemory, measureRate, measureRealN8n, measureSpeed, measureStartUp, problems, warmUp } from './measure';
import { CREDENTIAL_MODULE, NODE_MODULE, REPO_ROOT } from './paths';
import { report, writeResults } from './report';

async function main(): Promise<void> {
	for (const file of [NODE_MODULE, CREDENTIAL_MODULE]) {
		if (!existsSync(file)) throw new Error(`${relative(REPO_ROOT, file)} is missing: run \`npm run build\` first`);
	}
	const started = Date.now();
	const machine = machineInfo();
	const loadBefore = loadavg();
	log(`${N} items, latency ${LATENCY_MS} ms, node ${machine.node}, ${machine.nproc} CPUs (${machine.cpuModel})`);

	const requireCost = measureStartUp();
	const emu = await EmulatorProcess.start({ latencyMs: LATENCY_MS });
	const items = loadItems(N);
	let measured: Measured;
	try {
		await warmUp(emu, items);
		const speed = await measureSpeed(emu, items);
		const rate = await measureRate(emu, items);
		const memory = await measureMemory(emu);
		measured = { started, machine, loadBefore, loadAfter: loadavg(), requireCost, speed, rate, memory, realN8n: undefined };
	} finally {
		await emu.close();
	}
	const fig = figures(measured);
	const targets = targetsOf(measured, fig);
	process.stdout.write(report(measured, fig, targets));
	writeResults(measured, fig, targets);
	// The real-n8n part prints its own tables and targets; its results go into the same file.
	measured.realN8n = measureRealN8n();
	if (measured.realN8n) writeResults(measured, fig, targets);
	else if (RUN_N8N) process.stdout.write(`\nPROBLEMS:\n  - ${problems.at(-1)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);