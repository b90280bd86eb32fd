// A real n8n editor with this package installed as a community package, the CCC emulator, a credential
// pointing at it, the example workflow and an owner account: shared by `npm run dev` (../dev.mjs) and
// the browser check (check.mjs).
//
// Builds on ../sandbox.mjs (build + pack, install the tarball the way n8n's community package
// installer does, n8n's environment, process groups stopped on exit) and ../ensure-n8n.mjs.
//
// n8n 2.41.1 facts this relies on:
// - Owner account without the setup screen: `n8n start` with N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true,
//   N8N_INSTANCE_OWNER_EMAIL and N8N_INSTANCE_OWNER_PASSWORD_HASH (a bcrypt hash; n8n's own bcryptjs makes
//   it) fills in the "shell" owner that the database migrations create (OwnerInstanceSettingsLoader, run at
//   every start, overwriting). Credentials and workflows imported by the CLI before that belong to the
//   shell owner's personal project, so the owner sees them.
// - The user folder must lie outside this repository: the package's require('n8n-workflow') must fall
//   through to NODE_PATH (n8n's own copy) as in a real installation, not find the repository's
//   node_modules/n8n-workflow on the way up.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ensureN8n, N8N_VERSION } from '../ensure-n8n.mjs';
import * as sandbox from '../sandbox.mjs';
import {
	DEV_CREDENTIAL_ID,
	DEV_CREDENTIAL_NAME,
	DEV_WORKFLOW_ID,
	editorWorkflow,
	NO_PERMISSION_CREDENTIAL_ID,
	NO_PERMISSION_CREDENTIAL_NAME,
} from '../../workflows/index.mjs';

export { sandbox, N8N_VERSION };
export const { DEFAULT_OWNER } = sandbox;

/**
 * The emulator's IVR trace step (ms the caller spends in each node of a scenario call; the emulator's own
 * default is 1000): with 50 ms, Wait for Result on a scenario call ends at its second poll, and the longest
 * scenario (job-auth-long, 128 nodes) ends within 7 s.
 */
export const DEFAULT_TRACE_STEP_MS = 50;

/**
 * Starts everything. Returns handles and a stop() that ends every process it started.
 * @param {object} options
 * @param {string} options.userFolder  N8N_USER_FOLDER (outside the repository; created when missing)
 * @param {string} options.workDir  logs, tarball and import files go here
 * @param {number} options.n8nPort
 * @param {number} options.emulatorPort  0 for any free port
 * @param {string} [options.host]  where n8n and the emulator listen (default 127.0.0.1)
 * @param {string} [options.editorHost]  host name in the URL that is printed/opened (default: host)
 * @param {boolean} [options.build]  npm run build before packing (default true)
 * @param {'always' | 'once'} [options.importWorkflow]  'once': keep a user's edits across restarts
 * @param {typeof DEFAULT_OWNER} [options.owner]
 * @param {boolean | ((line: string) => void)} [options.emulatorLog]  one line per emulator request
 * @param {number} [options.traceStepMs]  the emulator's IVR trace step (default DEFAULT_TRACE_STEP_MS)
 * @param {boolean} [options.noPermissionCredential]  also import NO_PERMISSION_CREDENTIAL_NAME (the emulator's
 *   key without RAM permission), e.g. to see how the node shows a list error
 * @param {(line: string) => void} [options.log]  progress lines
 */
export async function startEnvironment(options) {
	const {
		userFolder,
		workDir,
		n8nPort,
		emulatorPort,
		host = '127.0.0.1',
		editorHost = host,
		build = true,
		importWorkflow = 'always',
		owner = DEFAULT_OWNER,
		emulatorLog = false,
		traceStepMs = DEFAULT_TRACE_STEP_MS,
		noPermissionCredential = false,
		log = () => {},
	} = options;
	const t0 = Date.now();
	const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
	const logs = join(workDir, 'logs');
	mkdirSync(logs, { recursive: true });
	mkdirSync(userFolder, { recursive: true });
	const logFile = (name) => join(logs, `${name}.log`);
	let emulator;
	let n8n;

	async function stop() {
		await sandbox.stopAll(15_000);
		if (emulator) await emulator.close().catch(() => {});
	}

	try {
		if (Number(process.versions.node.split('.')[0]) < 24) {
			throw new Error(`n8n ${N8N_VERSION} needs Node >= 24 and this is ${process.version}: run it through npm (npm run dev / npm run test:browser)`);
		}
		log(`n8n ${N8N_VERSION}: ${ensureN8n()}`);

		log(build ? 'npm run build && npm pack …' : 'npm pack (current dist/) …');
		const packed = await sandbox.buildAndPack({ destDir: join(workDir, 'pack'), logFile: logFile('build-pack'), build });
		const installed = await sandbox.installCommunityPackage({ tarball: packed.tarball, userFolder, logFile: logFile('install') });
		rmSync(packed.tarball, { force: true });
		log(`installed ${packed.name}@${packed.version} as a community package in ${installed.packageDir} (${secs()})`);

		const { startEmulator } = sandbox.loadEmulator();
		const emulatorLogger = typeof emulatorLog === 'function' ? emulatorLog : emulatorLog === true;
		emulator = await startEmulator({ port: emulatorPort, host, log: emulatorLogger, traceStepMs });
		const key = sandbox.emulatorAccessKey();
		log(`CCC emulator on ${emulator.endpoint} (IVR trace step ${traceStepMs} ms)`);

		// Imports run before `n8n start` (the CLI and a running instance must not share SQLite while starting).
		const importEnv = sandbox.n8nEnv({ userFolder, brokerPort: await sandbox.freePort(host) });
		const stateFile = join(userFolder, 'ccc-dev-state.json');
		const state = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
		if (state.credentialEndpoint !== emulator.endpoint || (noPermissionCredential && state.noPermissionEndpoint !== emulator.endpoint)) {
			const credentialsPath = join(workDir, `credentials-${process.pid}.json`);
			const credentials = sandbox.emulatorCredentialsFile({ id: DEV_CREDENTIAL_ID, endpoint: emulator.endpoint });
			if (noPermissionCredential) {
				const accessKey = sandbox.loadEmulator().DEFAULT_ACCESS_KEYS.find((k) => Array.isArray(k.permissions) && k.permissions.length === 0);
				credentials.push(sandbox.emulatorCredential({ id: NO_PERMISSION_CREDENTIAL_ID, name: NO_PERMISSION_CREDENTIAL_NAME, endpoint: emulator.endpoint, accessKey }));
				state.noPermissionEndpoint = emulator.endpoint;
			}
			writeFileSync(credentialsPath, JSON.stringify(credentials, null, 2), { mode: 0o600 });
			try {
				await sandbox.n8nCommand(['import:credentials', `--input=${credentialsPath}`], { env: importEnv, logFile: logFile('n8n-import') });
			} finally {
				rmSync(credentialsPath, { force: true });
			}
			state.credentialEndpoint = emulator.endpoint;
			log(`credential "${DEV_CREDENTIAL_NAME}" → ${emulator.endpoint} imported (${secs()})`);
		}
		// 'once': each example workflow id is imported once, so a user's edits survive restarts and a user folder
		// made before a new example (a new id) gets it next to the old one.
		const imported = new Set(state.importedWorkflowIds ?? (state.workflowImported ? ['cccDevExample001'] : []));
		if (importWorkflow === 'always' || !imported.has(DEV_WORKFLOW_ID)) {
			const workflowPath = join(workDir, 'example-workflow.json');
			writeFileSync(workflowPath, JSON.stringify(editorWorkflow(), null, 2));
			await sandbox.n8nCommand(['import:workflow', `--input=${workflowPath}`], { env: importEnv, logFile: logFile('n8n-import') });
			imported.add(DEV_WORKFLOW_ID);
			log(`example workflow imported (${secs()})`);
		}
		state.importedWorkflowIds = [...imported];
		delete state.workflowImported;
		writeFileSync(stateFile, JSON.stringify(state, null, 2));

		const env = sandbox.n8nEnv({
			userFolder,
			port: n8nPort,
			brokerPort: await sandbox.freePort(host),
			extra: {
				N8N_LISTEN_ADDRESS: host,
				N8N_HOST: editorHost,
				N8N_EDITOR_BASE_URL: `http://${editorHost}:${n8nPort}/`,
				WEBHOOK_URL: `http://${editorHost}:${n8nPort}/`,
				...sandbox.ownerEnv(owner),
			},
		});
		log(`starting n8n on http://${editorHost}:${n8nPort} …`);
		n8n = sandbox.spawnN8n(['start'], { env, logFile: logFile('n8n'), name: 'n8n start' });
		await sandbox.waitForN8nReady({ port: n8nPort, handle: n8n, timeoutMs: 180_000 });
		// The owner is written by the instance settings loader during start-up; readiness comes after it.
		await sandbox.waitForOutput(n8n, /Editor is now accessible via|Owner was set up successfully/, { timeoutMs: 30_000 });
		log(`n8n ready (${secs()})`);

		return {
			url: `http://${editorHost}:${n8nPort}`,
			owner,
			emulator,
			accessKey: key,
			n8n,
			userFolder,
			logs,
			credentialId: DEV_CREDENTIAL_ID,
			credentialName: DEV_CREDENTIAL_NAME,
			noPermissionCredentialName: noPermissionCredential ? NO_PERMISSION_CREDENTIAL_NAME : undefined,
			traceStepMs,
			workflowId: DEV_WORKFLOW_ID,
			startupSeconds: (Date.now() - t0) / 1000,
			stop,
		};
	} catch (error) {
		await stop();
		const tail = n8n ? sandbox.tailText(n8n.output(), 30) : '';
		if (tail) error.message += `\n----- n8n output (tail) -----\n${tail}`;
		error.message += `\n(logs: ${logs})`;
		throw error;
	}
}
