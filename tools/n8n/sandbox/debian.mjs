// Debian packages the checks need (redis-server, chromium, a CJK font): found, or installed with apt-get when
// this process can (root), or a reason and the command that installs them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { tailText } from './files.mjs';
import { run } from './processes.mjs';

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

