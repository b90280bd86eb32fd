import { DEFAULT_ACCESS_KEYS, startEmulator } from '../../emulator/server';

export { DEFAULT_ACCESS_KEYS, startEmulator };

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * One emulator for the test file: started before its tests, closed after them, and reset (log, nonces,
 * faults, latency) before each test. The returned object always points at the running emulator.
 */
export function useEmulator(options: Parameters<typeof startEmulator>[0] = { port: 0 }): Emulator {
	let current: Emulator | undefined;
	beforeAll(async () => {
		current = await startEmulator(options);
	});
	afterAll(async () => {
		await current?.close();
	});
	beforeEach(() => {
		current!.reset();
		current!.setFaults([]);
		current!.setLatency(0);
	});
	return new Proxy({} as Emulator, {
		get(_target, key) {
			const value = (current as unknown as Record<string | symbol, unknown>)[key];
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}
