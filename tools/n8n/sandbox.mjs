// Helpers to run this package inside a real n8n (the release installed by ensure-n8n.mjs), shared by the
// end-to-end test (e2e/run.mjs), the browser check (browser/check.mjs) and `npm run dev` (dev.mjs):
//
//   import * as sandbox from './sandbox.mjs';
//   const runDir = sandbox.makeRunDir();                                  // throwaway folder under os.tmpdir()
//   const userFolder = join(runDir, 'user');
//   await sandbox.prepareUserFolder({ userFolder });   // npm run build, npm pack into runDir/pack, then install
//                                                      // it as n8n's community package installer does
//   const port = await sandbox.freePort();
//   const env = sandbox.n8nEnv({ userFolder, port, brokerPort: await sandbox.freePort() });
//   const main = sandbox.spawnN8n(['start'], { env, logFile: join(runDir, 'n8n-main.log'), name: 'n8n main' });
//   await sandbox.waitForN8nReady({ port, handle: main });
//   ...
//   await sandbox.stopAll();                                             // every process started through this module
//
// Everything here is asynchronous: a caller that serves n8n's HTTP calls in the same Node process (the CCC
// emulator) keeps serving while n8n runs. Child processes get their own process group (detached) and are
// stopped group-wide (n8n's task runners included); stopAll() also runs on exit and on SIGINT/SIGTERM.
//
// n8n 2.x facts this relies on (checked against 2.41.1's source):
// - Community packages are found by scanning <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-* (and
//   @scope/n8n-nodes-*) at start-up; node types are "<package name>.<node name>".
// - The installer extracts the package tarball there, drops devDependencies, peerDependencies and
//   optionalDependencies from its package.json, runs `npm install --audit=false --fund=false
//   --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false` inside the
//   package folder and records the version in <nodes>/package.json. n8n-workflow (our peer dependency) is
//   then resolved through NODE_PATH, which n8n points at its own node_modules: n8n's own copy is used.
// - The internal JS task runner (Code node) is spawned as `node` from PATH, so PATH must start with Node 24.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import {
	appendFileSync,
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readSync,
	fstatSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import FIXTURES from '../fixtures.json' with { type: 'json' };
import { n8nBin, n8nCacheDir } from './ensure-n8n.mjs';

export { FIXTURES };
export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PACKAGE_JSON = JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8'));
export const PACKAGE_NAME = PACKAGE_JSON.name;
/** Encryption key of throwaway user folders (never a real instance's). */
export const TEST_ENCRYPTION_KEY = 'n8n-nodes-alibaba-ccc-sandbox-key-0001';

// ---------------------------------------------------------------------------------------------------------
// Processes

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

// ---------------------------------------------------------------------------------------------------------
// Files, ports, waiting

/** A new throwaway folder under os.tmpdir() (outside the repository, see installCommunityPackage). */
export function makeRunDir(prefix = 'n8n-ccc-') {
	return mkdtempSync(join(tmpdir(), prefix));
}

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

export function tailText(text, lines = 40) {
	const all = String(text).replace(/\s+$/, '').split('\n');
	return all.slice(-lines).join('\n');
}

/** The last `lines` lines of a file (reads at most its last 256 KB). */
export function tailFile(file, lines = 40) {
	if (!file || !existsSync(file)) return '';
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const length = Math.min(size, 256 * 1024);
		const buf = Buffer.alloc(length);
		readSync(fd, buf, 0, length, size - length);
		return tailText(buf.toString('utf8'), lines);
	} finally {
		closeSync(fd);
	}
}

/**
 * Polls check() until it returns a truthy value; fails early when `handle` exits.
 * @template T
 * @param {string} what
 * @param {() => Promise<T> | T} check
 * @param {{ timeoutMs?: number, intervalMs?: number, handle?: Handle }} [options]
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

/** Waits until n8n's main process (`n8n start`) on 127.0.0.1:port reports ready (/healthz/readiness). */
export async function waitForN8nReady({ port, handle, timeoutMs = 120_000 }) {
	return waitForHttp(`http://127.0.0.1:${port}/healthz/readiness`, { handle, timeoutMs, intervalMs: 500 });
}

/** Waits until a handle's output (stdout + stderr) matches a pattern; returns the match. */
export async function waitForOutput(handle, pattern, options = {}) {
	return waitFor(`${handle.name} to print ${pattern}`, () => handle.output().match(pattern), { ...options, handle });
}

// ---------------------------------------------------------------------------------------------------------
// The package: build, pack, install as a community package

function nodeBinDir() {
	return dirname(process.execPath);
}

/** Environment for npm/tsc children: this Node (24) first on PATH. */
export function toolEnv(extra = {}) {
	return { ...process.env, PATH: `${nodeBinDir()}:${process.env.PATH ?? ''}`, ...extra };
}

/** `npm run build` of the repository (tsc + gulp → dist/). */
export async function buildPackage({ logFile } = {}) {
	await runOk('npm', ['run', 'build'], { cwd: REPO_DIR, env: toolEnv(), logFile, name: 'npm run build', timeoutMs: 5 * 60_000 });
}

/**
 * `npm pack` of the repository into destDir. Returns the tarball's path and the packed file list.
 * @returns {Promise<{ tarball: string, files: string[], name: string, version: string }>}
 */
export async function packPackage({ destDir, logFile }) {
	mkdirSync(destDir, { recursive: true });
	const { stdout } = await runOk('npm', ['pack', '--json', '--pack-destination', destDir, '--loglevel=error'], {
		cwd: REPO_DIR,
		env: toolEnv({ npm_config_ignore_scripts: 'true' }),
		logFile,
		name: 'npm pack',
		timeoutMs: 2 * 60_000,
	});
	const start = stdout.indexOf('[');
	const [info] = JSON.parse(stdout.slice(start));
	return {
		tarball: join(destDir, info.filename),
		files: info.files.map((f) => f.path),
		name: info.name,
		version: info.version,
	};
}

/** Build, then pack into destDir. */
export async function buildAndPack({ destDir, logFile, build = true }) {
	if (build) await buildPackage({ logFile });
	return packPackage({ destDir, logFile });
}

/** <userFolder>/.n8n/nodes: where n8n keeps community packages. */
export function nodesDir(userFolder) {
	return join(userFolder, '.n8n', 'nodes');
}

/**
 * Installs a package tarball into <userFolder>/.n8n/nodes the way n8n 2.x's community package installer
 * (CommunityPackagesService.downloadPackage) does, with npm's cache preferred so that only the npm
 * registry is ever contacted. The user folder should be outside this repository: otherwise Node would
 * resolve n8n-workflow from the repository's node_modules instead of n8n's own copy.
 * @returns {Promise<{ packageDir: string, nodesDir: string, packageJson: Record<string, any> }>}
 */
export async function installCommunityPackage({ tarball, userFolder, logFile }) {
	const nodes = nodesDir(userFolder);
	mkdirSync(join(nodes, 'node_modules'), { recursive: true });
	if (!relative(REPO_DIR, resolve(userFolder)).startsWith('..')) {
		console.warn(
			`[n8n-sandbox] ${userFolder} is inside the repository: Node will resolve n8n-workflow from the repository's node_modules, not from n8n (unlike a real install).`,
		);
	}
	const ledgerPath = join(nodes, 'package.json');
	const ledger = existsSync(ledgerPath)
		? JSON.parse(readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };

	// Extract next to node_modules first (its name comes from its package.json), then move into place.
	const staging = mkdtempSync(join(nodes, '.staging-'));
	await runOk('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { logFile, name: 'tar -x (package)' });
	const stagedJson = JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8'));
	const packageDir = join(nodes, 'node_modules', ...stagedJson.name.split('/'));
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(dirname(packageDir), { recursive: true });
	renameSync(staging, packageDir);

	// n8n drops these before installing: peer dependencies (n8n-workflow) come from n8n itself.
	const { devDependencies: _dev, peerDependencies: _peer, optionalDependencies: _optional, ...packageJson } = stagedJson;
	writeFileSync(join(packageDir, 'package.json'), JSON.stringify(packageJson, null, 2), 'utf8');

	await runOk(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--prefer-offline',
			'--update-notifier=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, env: toolEnv(), logFile, name: `npm install (dependencies of ${packageJson.name})`, timeoutMs: 5 * 60_000 },
	);

	ledger.dependencies = { ...(ledger.dependencies ?? {}), [packageJson.name]: packageJson.version };
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, nodesDir: nodes, packageJson };
}

/**
 * Build (unless build: false), pack into packDir and install into userFolder: a user folder ready for
 * `n8n start` with this package as a community package.
 */
export async function prepareUserFolder({ userFolder, packDir = join(userFolder, '..', 'pack'), build = true, logFile }) {
	const packed = await buildAndPack({ destDir: packDir, logFile, build });
	const installed = await installCommunityPackage({ tarball: packed.tarball, userFolder, logFile });
	return { ...packed, ...installed };
}

// ---------------------------------------------------------------------------------------------------------
// n8n

/** Prefixes of variables n8n reads: inherited ones are dropped so that a developer's shell cannot leak in. */
const N8N_ENV_PREFIXES = ['N8N_', 'DB_', 'EXECUTIONS_', 'QUEUE_', 'OFFLOAD_', 'WEBHOOK_URL', 'GENERIC_TIMEZONE', 'NODE_FUNCTION_'];

/**
 * Environment for an n8n process on a throwaway user folder: SQLite, no telemetry, no version checks,
 * internal task runners, loopback only. `extra` is applied last (e.g. queue mode settings).
 * @param {{ userFolder: string, port?: number, brokerPort?: number, encryptionKey?: string, logLevel?: string, extra?: Record<string, string> }} options
 * @returns {NodeJS.ProcessEnv}
 */
export function n8nEnv({ userFolder, port, brokerPort, encryptionKey = TEST_ENCRYPTION_KEY, logLevel = 'info', extra = {} }) {
	/** @type {NodeJS.ProcessEnv} */
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (N8N_ENV_PREFIXES.some((p) => key.startsWith(p))) continue;
		env[key] = value;
	}
	Object.assign(env, {
		// The Code node's task runner is started as `node` from PATH: it must be Node 24.
		PATH: `${nodeBinDir()}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: logLevel,
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		NODE_ENV: 'production',
	});
	if (port !== undefined) {
		env.N8N_PORT = String(port);
		env.WEBHOOK_URL = `http://127.0.0.1:${port}/`;
	}
	if (brokerPort !== undefined) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	Object.assign(env, extra);
	return env;
}

/** Queue mode settings (main and workers alike): Bull queue on the given Redis. */
export function queueModeEnv({ redisPort, redisHost = '127.0.0.1' }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redisHost,
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
}

/**
 * Starts `n8n <args>` (e.g. ['start'], ['worker']) with Node 24; see spawnLogged. `nodeArgs`: options for
 * Node itself, before n8n's script (e.g. ['--cpu-prof', '--cpu-prof-dir=...'] for the bench's profile).
 */
export function spawnN8n(args, { env, logFile, name = `n8n ${args[0]}`, nodeArgs = [] }) {
	return spawnLogged(process.execPath, [...nodeArgs, n8nBin(), ...args], { cwd: env.N8N_USER_FOLDER, env, logFile, name });
}

/** Runs an n8n CLI command (import:workflow, execute, ...) to completion; throws unless it exits 0. */
export async function n8nCommand(args, { env, logFile, timeoutMs = 3 * 60_000, allowFailure = false }) {
	const runner = allowFailure ? run : runOk;
	return runner(process.execPath, [n8nBin(), ...args], {
		cwd: env.N8N_USER_FOLDER,
		env,
		logFile,
		name: `n8n ${args.join(' ')}`,
		timeoutMs,
	});
}

/**
 * The JSON that `n8n execute --rawOutput` logs (IRun: { data: { resultData: { runData } }, status, ... }).
 * n8n 2.x writes it through its logger, after other log lines, as 2-space indented JSON.
 */
export function parseExecuteOutput(stdout) {
	const start = stdout.search(/^\{$/m);
	if (start < 0) throw new Error(`no JSON object in n8n execute's output:\n${tailText(stdout, 20)}`);
	const end = stdout.indexOf('\n}', start);
	if (end < 0) throw new Error('unterminated JSON in n8n execute output');
	return JSON.parse(stdout.slice(start, end + 2));
}

/** require() from n8n's own installation (sqlite3, flatted...). */
export function n8nRequire(id) {
	return createRequire(join(n8nCacheDir(), 'node_modules', 'n8n', 'package.json'))(id);
}

/**
 * Executions stored in a user folder's SQLite database (n8n 2.41.1 schema), with their run data
 * (execution_data.data is 'flatted' JSON). Read-only; safe while n8n runs (WAL).
 * @returns {Promise<Array<{ id: string, workflowId: string, mode: string, status: string, finished: boolean, data: any }>>}
 */
export async function readExecutions(userFolder) {
	const sqlite3 = n8nRequire('sqlite3');
	const flatted = n8nRequire('flatted');
	const db = await new Promise((resolvePromise, reject) => {
		const handle = new sqlite3.Database(join(userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolvePromise(handle),
		);
	});
	try {
		const rows = await new Promise((resolvePromise, reject) =>
			db.all(
				'SELECT e.id, e.workflowId, e.mode, e.status, e.finished, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ORDER BY e.id',
				(error, result) => (error ? reject(error) : resolvePromise(result)),
			),
		);
		return rows.map((r) => ({
			id: String(r.id),
			workflowId: r.workflowId,
			mode: r.mode,
			status: r.status,
			finished: Boolean(r.finished),
			data: r.data ? flatted.parse(r.data) : null,
		}));
	} finally {
		await new Promise((resolvePromise) => db.close(() => resolvePromise(undefined)));
	}
}

// ---------------------------------------------------------------------------------------------------------
// Debian packages the checks need (redis-server, chromium)

function onPath(binary) {
	return (process.env.PATH ?? '')
		.split(':')
		.filter(Boolean)
		.map((d) => join(d, binary))
		.find((p) => existsSync(p));
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
/** The one `apt-get update` of this process (a promise of its result), started by the first install. */
let aptUpdate;

/**
 * Finds a Debian package's program, installing the package when it is missing and this process can:
 * as root with apt-get, `apt-get update` (once per process) then `apt-get install`, whatever CI says.
 * Returns { path } (found), { path, installed: true } (installed now), or { path: null, reason, command }:
 * why it is missing and the command that installs it.
 * @param {{ pkg: string, programs: string[], logFile?: string }} options  programs: names looked up on PATH
 *   or absolute paths; the first one found is used
 * @returns {Promise<{ path: string, installed?: boolean } | { path: null, reason: string, command: string }>}
 */
export async function ensureDebianPackage({ pkg, programs, logFile }) {
	const find = () => programs.map((p) => (p.startsWith('/') ? (existsSync(p) ? p : undefined) : onPath(p))).find(Boolean);
	const found = find();
	if (found) return { path: found };
	const sudo = isRoot() ? '' : 'sudo ';
	const command = `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${pkg}`;
	const missing = (why) => ({ path: null, reason: `${pkg} is not installed (no ${programs.join(', ')}) and ${why}`, command });
	if (!isRoot()) return missing('installing it needs root');
	if (!onPath('apt-get')) return missing('there is no apt-get here');
	console.log(`  ${pkg} is missing: installing it with apt-get (root)${logFile ? `, output in ${logFile}` : ''} …`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	aptUpdate ??= run('apt-get', ['update'], { env, logFile, name: 'apt-get update', timeoutMs: 5 * 60_000 });
	const update = await aptUpdate;
	if (update.code !== 0) return missing(`apt-get update failed:\n${tailText(update.output, 10)}`);
	const install = await run('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
		env,
		logFile,
		name: `apt-get install ${pkg}`,
		timeoutMs: 8 * 60_000,
	});
	const installed = find();
	if (install.code !== 0 || !installed) return missing(`apt-get install ${pkg} failed:\n${tailText(install.output, 10)}`);
	return { path: installed, installed: true };
}

// ---------------------------------------------------------------------------------------------------------
// Redis (queue mode)

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

// ---------------------------------------------------------------------------------------------------------
// The CCC emulator and the credential pointing at it

/** This repository's emulator/server.js ({ startEmulator, DEFAULT_ACCESS_KEYS, ... }). */
export function loadEmulator() {
	return createRequire(import.meta.url)(join(REPO_DIR, 'emulator', 'server.js'));
}

/** The AccessKey the tools' credential uses: the emulator's first default key. */
export function emulatorAccessKey() {
	return loadEmulator().DEFAULT_ACCESS_KEYS[0];
}

/**
 * `n8n import:credentials --input=<file>` content: the shared emulator credential (tools/fixtures.json)
 * for the emulator at `endpoint`, with the emulator's first default key. n8n encrypts `data` on import.
 * @param {{ id: string, endpoint: string }} options  id: 16 characters [A-Za-z0-9], as n8n's ids
 */
export function emulatorCredentialsFile({ id, endpoint }) {
	const { accessKeyId, accessKeySecret } = emulatorAccessKey();
	const { name, data } = FIXTURES.emulatorCredential;
	return [{ id, name, type: FIXTURES.credentialType, data: { ...data, endpoint, accessKeyId, accessKeySecret } }];
}
