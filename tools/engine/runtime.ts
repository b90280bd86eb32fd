/**
 * Process-wide set-up the engine does once, before n8n-core builds its DI services:
 *   - `N8N_USER_FOLDER` defaults to a fresh temp dir (removed on process exit, or when the importing Jest
 *     test file is done), so n8n's InstanceSettings writes its `.n8n/config` there and never into $HOME or the repo;
 *   - `N8N_LOG_LEVEL` defaults to `silent` (set it to `debug` to see engine logs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let runtimePrepared = false;
let temporaryUserFolder: string | undefined;

function removeTemporaryUserFolder(): void {
	if (temporaryUserFolder) rmSync(temporaryUserFolder, { recursive: true, force: true });
	temporaryUserFolder = undefined;
}

// Jest gives every test file its own module registry (so its own DI container) and its own
// `process.env` copy, and `process.on('exit')` inside the sandbox never fires: clean up
// the temp user folder when the importing test file is done. (The demo and the bench have no afterAll.)
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (typeof jestAfterAll === 'function') jestAfterAll(removeTemporaryUserFolder);

export function prepareRuntime(): void {
	if (runtimePrepared) return;
	runtimePrepared = true;

	// n8n-core's InstanceSettings (pulled in through Cipher by ExecutionContextService and
	// Credentials) creates `<N8N_USER_FOLDER>/.n8n/config` with an encryption key.
	if (!process.env.N8N_USER_FOLDER) {
		temporaryUserFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
		process.env.N8N_USER_FOLDER = temporaryUserFolder;
		process.once('exit', removeTemporaryUserFolder);
	}
	// The backend Logger (and, through it, LoggerProxy and ErrorReporter) prints to the
	// console at `info` by default, e.g. node errors reported by WorkflowExecute.
	if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';
}
