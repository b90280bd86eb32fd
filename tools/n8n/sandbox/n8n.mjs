// n8n processes on a throwaway user folder: their environment, `n8n start` / `n8n worker`, CLI commands, the
// output of `n8n execute`, n8n's own modules, and an owner account set by the environment.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { n8nBin, n8nCacheDir } from '../ensure-n8n.mjs';
import { tailText } from './files.mjs';
import { nodeFirstPath, run, runOk, spawnLogged } from './processes.mjs';
import { waitForHttp } from './waiting.mjs';

/** Encryption key of throwaway user folders (never a real instance's). */
export const TEST_ENCRYPTION_KEY = 'n8n-nodes-alibaba-ccc-sandbox-key-0001';

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
		PATH: nodeFirstPath(),
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

/** Waits until n8n's main process (`n8n start`) on 127.0.0.1:port reports ready (/healthz/readiness). */
export async function waitForN8nReady({ port, handle, timeoutMs = 120_000 }) {
	return waitForHttp(`http://127.0.0.1:${port}/healthz/readiness`, { handle, timeoutMs, intervalMs: 500 });
}

/** The owner account of the tools' n8n instances (`npm run dev` prints it). */
export const DEFAULT_OWNER = Object.freeze({
	email: 'dev@example.com',
	password: 'CccDev-2026',
	firstName: 'CCC',
	lastName: 'Developer',
});

/** bcrypt hash of a password, made with n8n's own bcryptjs (the format N8N_INSTANCE_OWNER_PASSWORD_HASH wants). */
export function bcryptHash(password) {
	const bcrypt = n8nRequire('bcryptjs');
	return bcrypt.hashSync(password, 10);
}

/**
 * Variables of `n8n start` that set the owner account without the setup screen (n8n 2.41.1: the "shell" owner
 * that the database migrations create is filled in by OwnerInstanceSettingsLoader at every start).
 */
export function ownerEnv(owner = DEFAULT_OWNER) {
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(owner.password),
	};
}
