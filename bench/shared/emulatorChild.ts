/**
 * The CCC emulator in its own process, driven over IPC by EmulatorProcess (emulatorProcess.ts), so that its
 * request handling (signature checks, JSON, the latency timers) runs neither in the bench's measured CPU
 * time nor on the event loop that times the events. argv[2]: JSON of EmulatorOptions.
 */
import { join } from 'node:path';

import { REPO_ROOT, repoRequire } from '../../tools/repo';
import type { EmulatorOptions, EmulatorRequest } from './emulatorProcess';

interface Emulator {
	endpoint: string;
	port: number;
	requests: Array<EmulatorRequest & Record<string, unknown>>;
	maxRequestsInWindow(windowMs?: number, action?: string | null): number;
	reset(): void;
	close(): Promise<void>;
}

/** Each request's action, status, whether it launched, when it arrived (ms since epoch). */
const summary = ({ action, status, launched, at }: EmulatorRequest): EmulatorRequest => ({ action, status, launched, at });

async function main(): Promise<void> {
	const { startEmulator } = repoRequire(join(REPO_ROOT, 'emulator/server.js')) as { startEmulator: (o: object) => Promise<Emulator> };
	const { latencyMs, traceStepMs } = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
	const emu = await startEmulator({ port: 0, latencyMs, ...(traceStepMs === undefined ? {} : { traceStepMs }) });
	process.on('message', async (m) => {
		const { id, cmd, arg } = m as { id: number; cmd: string; arg?: unknown };
		try {
			let result: unknown;
			if (cmd === 'reset') emu.reset();
			else if (cmd === 'requests') result = emu.requests.slice(Number(arg ?? 0)).map(summary);
			else if (cmd === 'stats') {
				const statuses: Record<string, number> = {};
				let launched = 0;
				let firstAt = Infinity;
				let lastAt = -Infinity;
				for (const r of emu.requests) {
					statuses[r.status] = (statuses[r.status] ?? 0) + 1;
					if (r.launched) launched++;
					firstAt = Math.min(firstAt, r.at);
					lastAt = Math.max(lastAt, r.at);
				}
				const cpu = process.cpuUsage();
				result = {
					cpuMs: (cpu.user + cpu.system) / 1000,
					count: emu.requests.length,
					launched,
					maxInWindow: emu.maxRequestsInWindow(Number(arg ?? 1000)),
					firstAt,
					lastAt,
					statuses,
				};
			} else if (cmd === 'close') {
				await emu.close();
				process.send!({ id, result: true }, () => process.disconnect());
				return;
			} else throw new Error(`unknown command ${cmd}`);
			process.send!({ id, result });
		} catch (error) {
			process.send!({ id, error: (error as Error).message });
		}
	});
	process.on('disconnect', () => void emu.close().then(() => process.exit(0)));
	process.send!({ endpoint: emu.endpoint, port: emu.port });
}

void main();
