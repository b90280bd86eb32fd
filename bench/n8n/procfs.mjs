// The n8n process as Linux's /proc shows it: CPU time per thread, and memory (VmRSS, VmHWM).
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) of each thread of a process, ms (10 ms resolution), by thread id, with its name. */
export function threadsCpuMs(pid) {
	const threads = new Map();
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
			const name = tid === String(pid) ? 'main thread' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '').trim();
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			threads.set(tid, { name, cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND });
		} catch {
			// the thread ended meanwhile
		}
	}
	return threads;
}

/** CPU ms used by thread name (threads of one name summed) between two threadsCpuMs() readings. */
export function cpuByThreadName(before, after) {
	const by = {};
	for (const [tid, { name, cpuMs }] of after) by[name] = (by[name] ?? 0) + cpuMs - (before.get(tid)?.cpuMs ?? 0);
	return by;
}

/** VmRSS and VmHWM (peak RSS) of a process, MB; undefined once it has exited. */
export function processMemory(pid) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
	} catch {
		return undefined;
	}
}
