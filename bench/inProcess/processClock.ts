/** CPU time of the bench process, and full garbage collections (with --expose-gc), for the in-process bench. */

/** CPU time (user + system) of this process in ms. */
export function cpuMs(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

/** CPU time (user + system) of this process's main thread only, in ms (no GC helper or libuv threads). */
export function mainThreadCpuMs(): number {
	if (typeof process.threadCpuUsage !== 'function') return NaN; // Node < 23.9
	const u = process.threadCpuUsage();
	return (u.user + u.system) / 1000;
}

export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc) {
		gc();
		gc();
	}
}
