/**
 * The CCC emulator in its own process, driven over IPC by bench/run.ts, so that its request handling
 * (signature checks, JSON) does not count in the CPU time measured for the client.
 * argv[2]: latency in ms added to every answer.
 */
import { EMULATOR_MODULE, repoRequire } from './paths';

interface RequestRecord {
	action: string;
	status: number;
	launched: boolean;
	at: number;
}
interface Emulator {
	endpoint: string;
	port: number;
	requests: RequestRecord[];
	maxRequestsInWindow(windowMs?: number, action?: string | null): number;
	reset(): void;
	close(): Promise<void>;
}

async function main(): Promise<void> {
	const { startEmulator } = repoRequire(EMULATOR_MODULE) as { startEmulator: (o: object) => Promise<Emulator> };
	const latencyMs = Number(process.argv[2] ?? 20);
	const emu = await startEmulator({ port: 0, latencyMs });
	process.on('message', async (m) => {
		const { id, cmd, arg } = m as { id: number; cmd: string; arg?: unknown };
		try {
			let result: unknown;
			if (cmd === 'reset') emu.reset();
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
