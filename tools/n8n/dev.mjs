#!/usr/bin/env node
// npm run dev: try the node in a real n8n editor.
//
// Builds the package, installs the packed tarball as a community package into a dev n8n user folder,
// starts the CCC emulator (127.0.0.1:8787) and n8n (http://localhost:5678) with an owner account, the
// credential "Alibaba Cloud CCC (emulator)" and the example workflow "CRM event → Launch Authentication (Wait
// for Result) → notification" (node version 2, instance and flow picked from the emulator's lists, Wait for
// Result on the emulator's scenario calls), prints the URL and login, and stops everything on Ctrl-C.
// The emulator's IVR trace step is 50 ms, so Wait for Result ends within seconds (the scenario call that never
// leaves the flow ends with Status Timeout after the workflow's 5-second Result Timeout).
//
// Environment (all optional):
//   CCC_DEV_PORT=5678            n8n editor port
//   CCC_DEV_EMULATOR_PORT=8787   CCC emulator port
//   CCC_DEV_TRACE_STEP_MS=50     ms the emulator's callers spend in each IVR node (emulator default: 1000)
//   CCC_DEV_USER_FOLDER=...      n8n user folder (default ~/.cache/n8n-nodes-alibaba-ccc/dev-user: outside the
//                                repository on purpose, see browser/environment.mjs)
//   CCC_DEV_RESET=1              start from an empty user folder (drops your workflows and executions)
//   CCC_DEV_SKIP_BUILD=1         pack the current dist/ without `npm run build`
//   CCC_DEV_DEBUG=1              print stack traces of start-up errors
// Logs go to .build/dev/logs/ (gitignored).
import { rmSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

import { DEFAULT_OWNER, DEFAULT_TRACE_STEP_MS, sandbox, startEnvironment } from './browser/environment.mjs';
import { n8nCacheBase } from './ensure-n8n.mjs';

const n8nPort = Number(process.env.CCC_DEV_PORT || 5678);
const emulatorPort = Number(process.env.CCC_DEV_EMULATOR_PORT || 8787);
const traceStepMs = Number(process.env.CCC_DEV_TRACE_STEP_MS || DEFAULT_TRACE_STEP_MS);
const userFolder = process.env.CCC_DEV_USER_FOLDER || join(n8nCacheBase(), 'dev-user');
const workDir = join(sandbox.REPO_DIR, '.build', 'dev');
const log = (line) => console.log(`[dev] ${line}`);

async function portFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, host, () => server.close(() => resolve(true)));
	});
}

async function main() {
	for (const [what, port, variable] of [
		['n8n', n8nPort, 'CCC_DEV_PORT'],
		['the CCC emulator', emulatorPort, 'CCC_DEV_EMULATOR_PORT'],
	]) {
		if (!(await portFree(port))) {
			throw new Error(`port ${port} (${what}) is in use: stop what runs there or pick another with ${variable}=...`);
		}
	}
	if (!(traceStepMs > 0)) throw new Error(`CCC_DEV_TRACE_STEP_MS must be a positive number of milliseconds, not "${process.env.CCC_DEV_TRACE_STEP_MS}"`);
	if (process.env.CCC_DEV_RESET === '1') {
		log(`CCC_DEV_RESET=1: removing ${userFolder}`);
		rmSync(userFolder, { recursive: true, force: true });
	}
	rmSync(join(workDir, 'logs'), { recursive: true, force: true });

	const env = await startEnvironment({
		userFolder,
		workDir,
		n8nPort,
		emulatorPort,
		host: '127.0.0.1',
		editorHost: 'localhost',
		build: process.env.CCC_DEV_SKIP_BUILD !== '1',
		importWorkflow: 'once',
		owner: DEFAULT_OWNER,
		emulatorLog: (line) => console.log(`[emulator] ${line}`),
		traceStepMs,
		log,
	});

	const bar = '─'.repeat(78);
	console.log(`
${bar}
  n8n ${sandbox.PACKAGE_NAME} dev editor is ready (${env.startupSeconds.toFixed(0)}s)

  Editor     ${env.url}
  Login      ${env.owner.email}  /  ${env.owner.password}
  Workflow   ${env.url}/workflow/${env.workflowId}
  Credential "${env.credentialName}" → ${env.emulator.endpoint}
             (AccessKey ID ${env.accessKey.accessKeyId})
  Emulator   ${env.emulator.endpoint}  (requests are logged below as [emulator] ...)
             IVR traces: ${env.traceStepMs} ms per node, so Wait for Result ends within seconds;
             scenario calls job-auth-pass, -fail, -hangup, -never, -other-flows, -long, -throttled

  User folder ${userFolder}
  Logs        ${env.logs}
  Rebuild: Ctrl-C and run npm run dev again (your workflows stay; CCC_DEV_RESET=1 starts afresh).
  Press Ctrl-C to stop n8n and the emulator.
${bar}
`);

	let stopping = false;
	const shutdown = async (signal) => {
		if (stopping) return;
		stopping = true;
		log(`${signal}: stopping n8n and the emulator …`);
		await env.stop();
		log('stopped');
		process.exit(0);
	};
	// The sandbox module stops its processes on these signals too; this also closes the emulator and says so.
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));

	const { code, signal } = await env.n8n.exited;
	if (!stopping) {
		console.error(`[dev] n8n exited unexpectedly (${signal ?? code}); last lines of ${join(env.logs, 'n8n.log')}:`);
		console.error(sandbox.tailFile(join(env.logs, 'n8n.log'), 30));
		await env.stop();
		process.exit(1);
	}
}

main().catch(async (error) => {
	console.error(`[dev] failed: ${process.env.CCC_DEV_DEBUG === '1' ? (error.stack ?? error) : (error.message ?? error)}`);
	await sandbox.stopAll(5000);
	process.exit(1);
});
