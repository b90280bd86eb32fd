// Child processes of the tools: each in its own process group (detached), its output appended to a log file,
// stopped group-wide (n8n's task runners included); stopAll() also runs on exit and on SIGINT/SIGTERM.
// Everything is asynchronous: a caller that serves n8n's HTTP calls in the same Node process (the CCC emulator)
// keeps serving while a child runs.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { tailText } from './files.mjs';
import { REPO_DIR } from './repository.mjs';

/** @type {Set<Handle>} */
const live = new Set();

/**
 * @typedef {object} Handle
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} child
 * @property {number} pid
 * @property {string | undefined} logFile
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {{ code: number | null, signal: string | null } | null} exitStatus  null while running
 * @property {() => string} output  stdout + stderr so far (when captured)
 * @property {() => string} stdout
 * @property {(graceMs?: number) => Promise<void>} stop
 */

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		try {
			process.kill(pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

function groupAlive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

let hooksInstalled = false;
function installExitHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	// Last resort: whatever is still running when this process exits is killed with its whole group.
	process.on('exit', () => {
		for (const h of live) killGroup(h.pid, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => {
			console.error(`\n[n8n-sandbox] ${signal}: stopping ${live.size} child process(es)`);
			stopAll(3000).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
		});
	}
}

/**
 * Starts a process in its own process group, appending its stdout and stderr to logFile.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, name?: string, capture?: boolean }} [options]
 * @returns {Handle}
 */
export function spawnLogged(command, args, options = {}) {
	installExitHooks();
	const { cwd = REPO_DIR, env = process.env, logFile, name = `${command} ${args.join(' ')}`, capture = true } = options;
	if (logFile) {
		mkdirSync(dirname(logFile), { recursive: true });
		appendFileSync(logFile, `$ ${command} ${args.join(' ')}\n`);
	}
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let stdout = '';
	const sink = (isStdout) => (chunk) => {
		const text = chunk.toString('utf8');
		if (capture) {
			out += text;
			if (isStdout) stdout += text;
		}
		if (logFile) appendFileSync(logFile, text);
	};
	child.stdout.on('data', sink(true));
	child.stderr.on('data', sink(false));
	/** @type {Handle} */
	const handle = {
		name,
		child,
		pid: child.pid ?? -1,
		logFile,
		exitStatus: null,
		output: () => out,
		stdout: () => stdout,
		exited: new Promise((resolvePromise) => {
			child.once('error', (error) => {
				if (logFile) appendFileSync(logFile, `[n8n-sandbox] could not start ${command}: ${error.message}\n`);
				out += `could not start ${command}: ${error.message}\n`;
				handle.exitStatus = { code: 127, signal: null };
				live.delete(handle);
				resolvePromise(handle.exitStatus);
			});
			child.once('close', (code, signal) => {
				handle.exitStatus = { code, signal };
				live.delete(handle);
				if (logFile) appendFileSync(logFile, `[n8n-sandbox] exited with ${signal ?? code}\n`);
				resolvePromise(handle.exitStatus);
			});
		}),
		async stop(graceMs = 15000) {
			if (handle.pid > 0 && (handle.exitStatus === null || groupAlive(handle.pid))) {
				killGroup(handle.pid, 'SIGTERM');
				const deadline = Date.now() + graceMs;
				while (Date.now() < deadline && (handle.exitStatus === null || groupAlive(handle.pid))) await sleep(100);
				if (handle.exitStatus === null || groupAlive(handle.pid)) {
					killGroup(handle.pid, 'SIGKILL');
					await Promise.race([handle.exited, sleep(2000)]);
				}
			}
			live.delete(handle);
		},
	};
	if (handle.pid > 0) live.add(handle);
	return handle;
}

/**
 * Runs a command to completion (without blocking the event loop).
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, logFile?: string, name?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ code: number | null, signal: string | null, output: string, stdout: string, timedOut: boolean }>}
 */
export async function run(command, args, options = {}) {
	const { timeoutMs = 5 * 60_000 } = options;
	const handle = spawnLogged(command, args, options);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		handle.stop(3000);
	}, timeoutMs);
	const { code, signal } = await handle.exited;
	clearTimeout(timer);
	return { code, signal, output: handle.output(), stdout: handle.stdout(), timedOut };
}

/** Like run(), but throws (with the output's tail) unless the command exits 0. */
export async function runOk(command, args, options = {}) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const what = options.name ?? `${command} ${args.join(' ')}`;
		const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited with ${result.signal ?? result.code}`;
		throw new Error(`${what} ${why}\n${tailText(result.output, 30)}`);
	}
	return result;
}

/**
 * Stops every process started through this module that is still running (process groups), newest first,
 * so that n8n stops before the Redis it depends on.
 */
export async function stopAll(graceMs = 15000) {
	for (const handle of [...live].reverse()) await handle.stop(graceMs);
}

/** PATH with this Node (24) first: n8n's task runner and npm's children are started as `node` from PATH. */
export function nodeFirstPath() {
	return `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
}

/** Environment for npm/tsc children: this Node (24) first on PATH. */
export function toolEnv(extra = {}) {
	return { ...process.env, PATH: nodeFirstPath(), ...extra };
}
