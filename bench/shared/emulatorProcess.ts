/**
 * The CCC emulator for both parts of the bench, started in a child process (emulatorChild.ts) and asked
 * over IPC what it saw.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface EmulatorOptions {
	/** Added to every answer, ms. */
	latencyMs: number;
	/** IVR traces: time the caller spends in each node of a scenario (the emulator's default when omitted). */
	traceStepMs?: number;
}

/** One request the emulator received. */
export interface EmulatorRequest {
	action: string;
	status: number;
	launched: boolean;
	/** Arrival, ms since epoch (the emulator's clock). */
	at: number;
}

export interface EmulatorStats {
	/** CPU time the emulator process has used since it started (user + system), ms. */
	cpuMs: number;
	count: number;
	launched: number;
	maxInWindow: number;
	firstAt: number;
	lastAt: number;
	statuses: Record<string, number>;
}

export class EmulatorProcess {
	private nextId = 0;
	private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	private readonly child: ChildProcess;
	readonly endpoint: string;
	readonly port: number;

	private constructor(child: ChildProcess, endpoint: string, port: number) {
		this.child = child;
		this.endpoint = endpoint;
		this.port = port;
	}

	static async start(options: EmulatorOptions): Promise<EmulatorProcess> {
		const child = fork(join(__dirname, 'emulatorChild.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const ready = await new Promise<{ endpoint: string; port: number }>((resolve, reject) => {
			child.once('message', (m) => resolve(m as { endpoint: string; port: number }));
			child.once('exit', (code) => reject(new Error(`emulator process exited (${code}) before it was ready`)));
		});
		const emu = new EmulatorProcess(child, ready.endpoint, ready.port);
		child.on('message', (m) => {
			const msg = m as { id: number; result?: unknown; error?: string };
			const w = emu.waiting.get(msg.id);
			if (!w) return;
			emu.waiting.delete(msg.id);
			if (msg.error) w.reject(new Error(msg.error));
			else w.resolve(msg.result);
		});
		return emu;
	}

	private ask<T>(cmd: string, arg?: unknown): Promise<T> {
		const id = ++this.nextId;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ id, cmd, arg });
		});
	}

	/** Clears the emulator's log and state (see emulator/server.js reset()). */
	reset(): Promise<void> {
		return this.ask('reset');
	}

	/** Counts over every request since the last reset; maxInWindow: most LaunchAuthentication in any `windowMs`. */
	stats(windowMs = 1000): Promise<EmulatorStats> {
		return this.ask('stats', windowMs);
	}

	/** The requests received since the `from`-th one (0: all since the last reset). */
	requests(from = 0): Promise<EmulatorRequest[]> {
		return this.ask('requests', from);
	}

	async close(): Promise<void> {
		await this.ask('close').catch(() => undefined);
		if (this.child.exitCode === null) {
			await new Promise((resolve) => {
				this.child.once('exit', resolve);
				this.child.disconnect();
			});
		}
	}
}
