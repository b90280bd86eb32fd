// A throwaway Redis on loopback for queue mode (Debian's redis-server).
import { mkdirSync } from 'node:fs';
import net from 'node:net';

import { ensureDebianPackage } from './debian.mjs';
import { spawnLogged } from './processes.mjs';
import { waitFor } from './waiting.mjs';

/** Finds redis-server (Debian's), installing it when it is missing and this process can (ensureDebianPackage). */
export function ensureRedisServer({ logFile } = {}) {
	return ensureDebianPackage({ pkg: 'redis-server', programs: ['redis-server', '/usr/bin/redis-server', '/usr/sbin/redis-server'], logFile });
}

/** Sends PING to a Redis server; resolves true on +PONG. */
export async function redisPing(port, host = '127.0.0.1') {
	return new Promise((resolvePromise) => {
		const socket = net.connect({ port, host });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolvePromise(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** Starts a throwaway Redis on loopback (no persistence) and waits until it answers PING. */
export async function startRedis({ redisServer = 'redis-server', port, dir, logFile }) {
	mkdirSync(dir, { recursive: true });
	const handle = spawnLogged(
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes'],
		{ cwd: dir, logFile, name: 'redis-server' },
	);
	await waitFor(`redis-server on port ${port}`, () => redisPing(port), { handle, timeoutMs: 20_000, intervalMs: 100 });
	return handle;
}

