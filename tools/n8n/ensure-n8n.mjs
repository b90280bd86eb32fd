#!/usr/bin/env node
// Installs the n8n release the end-to-end tests and `npm run dev` use, once, into a cache folder
// outside the repository (~3 GB), and prints the folder. Later runs find the marker file and return at once.
//
// Recipe (the only one that works offline of everything but the npm registry):
//   npm install n8n@VERSION --ignore-scripts   (some install scripts download binaries)
//   npm rebuild sqlite3 isolated-vm            (native addons, built against Node 24's own headers)
// n8n 2.x requires Node >= 24; this script must itself run on Node 24 (the project's `node` devDependency,
// which is first on PATH inside npm scripts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';

/** Where this project keeps what it installs for the real-n8n tools (tools/engine/nodes/n8nSet.ts mirrors it in TypeScript). */
export function n8nCacheBase() {
	return process.env.N8N_CACHE_DIR || join(homedir(), '.cache', 'n8n-nodes-alibaba-ccc');
}

export function n8nCacheDir() {
	return join(n8nCacheBase(), `n8n-${N8N_VERSION}`);
}

export function n8nBin() {
	return join(n8nCacheDir(), 'node_modules', 'n8n', 'bin', 'n8n');
}

function nodeHeadersDir() {
	// The registry's `node` package ships the binary and headers in node-<platform>-<arch>.
	const require = createRequire(import.meta.url);
	const pkg = `node-${process.platform}-${process.arch}`;
	const candidates = [];
	try {
		const nodePkg = dirname(require.resolve('node/package.json'));
		candidates.push(join(nodePkg, 'node_modules', pkg));
	} catch {}
	// node_modules/node/bin/node (the running binary) sits beside node_modules/node/node_modules/<pkg>.
	candidates.push(join(dirname(process.execPath), '..', 'node_modules', pkg));
	candidates.push(join(dirname(process.execPath), '..'));
	for (const c of candidates) {
		if (existsSync(join(c, 'include', 'node', 'node.h'))) return c;
	}
	throw new Error(`Node headers not found (looked in ${candidates.join(', ')})`);
}

export function ensureN8n({ quiet = false } = {}) {
	const dir = n8nCacheDir();
	const marker = join(dir, '.installed');
	if (existsSync(marker) && existsSync(n8nBin())) return dir;
	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24) {
		throw new Error(
			`n8n ${N8N_VERSION} needs Node >= 24, this is ${process.version}. Run through npm (npm run ...) so the project's Node 24 is used.`,
		);
	}
	const log = (m) => quiet || console.error(`[ensure-n8n] ${m}`);
	log(`installing n8n@${N8N_VERSION} into ${dir} (first run only, ~10 minutes, ~3 GB)`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify({ name: 'n8n-cache', private: true, version: '0.0.0' }, null, 2),
	);
	const env = {
		...process.env,
		npm_config_nodedir: nodeHeadersDir(),
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		// Keep PATH's first node the one running this script (Node 24).
		PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
	};
	const stdio = quiet ? 'ignore' : ['ignore', 'inherit', 'inherit'];
	execFileSync('npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', '--no-save', '--loglevel=error'], {
		cwd: dir,
		env,
		stdio,
	});
	log('building native addons sqlite3 and isolated-vm against Node 24 headers');
	execFileSync('npm', ['rebuild', 'sqlite3', 'isolated-vm', '--loglevel=error'], { cwd: dir, env, stdio });
	writeFileSync(marker, new Date().toISOString() + '\n');
	log('done');
	return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	try {
		console.log(ensureN8n());
	} catch (e) {
		console.error(`[ensure-n8n] ${e.message}`);
		process.exit(1);
	}
}
