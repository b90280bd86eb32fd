// Free ports, and waiting for a condition, a URL or a process's output (failing early when the process exits).
import { once } from 'node:events';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(host = '127.0.0.1') {
	const server = net.createServer();
	server.listen(0, host);
	await once(server, 'listening');
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	server.close();
	await once(server, 'close');
	return port;
}

/**
 * Polls check() until it returns a truthy value; fails early when `handle` exits.
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number, handle?: import('./processes.mjs').Handle }} [options]
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250, handle } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (handle && handle.exitStatus) {
			throw new Error(`${handle.name} exited (${handle.exitStatus.signal ?? handle.exitStatus.code}) while waiting for ${what}`);
		}
		await sleep(intervalMs);
	}
	throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/** Waits until a URL answers with HTTP 200. */
export async function waitForHttp(url, options = {}) {
	return waitFor(
		`${url} to answer 200`,
		async () => {
			const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
			await res.arrayBuffer();
			return res.status === 200;
		},
		options,
	);
}

/** Waits until a handle's output (stdout + stderr) matches a pattern; returns the match. */
export async function waitForOutput(handle, pattern, options = {}) {
	return waitFor(`${handle.name} to print ${pattern}`, () => handle.output().match(pattern), { ...options, handle });
}
