/** Where things are, wherever the compiled bench file sits (.bench/bench/*.js). No heavy imports here. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The package root (the folder with this package's package.json). */
export const ROOT = ((): string => {
	let dir = __dirname;
	for (;;) {
		const pkg = join(dir, 'package.json');
		if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'n8n-nodes-alibaba-ccc') return dir;
		const up = dirname(dir);
		if (up === dir) throw new Error('bench: package root not found');
		dir = up;
	}
})();

/** require() relative to the package root (dist/, emulator/, node_modules). */
export const rootRequire = createRequire(join(ROOT, 'package.json'));

/**
 * The compiled package: `dist/` (what `npm run build` makes), or BENCH_DIST (a folder inside the package,
 * e.g. `.bench/patched-dist`, so that n8n-workflow and the SDK still resolve) to measure a candidate change.
 */
export const DIST = resolve(ROOT, process.env.BENCH_DIST || 'dist');
export const NODE_MODULE = join(DIST, 'nodes/LaunchAuthentication/LaunchAuthentication.node.js');
export const CREDENTIAL_MODULE = join(DIST, 'credentials/AlibabaCloudCccApi.credentials.js');
export const SIGN_MODULE = join(DIST, 'credentials/signRequest.js');
export const EMULATOR_MODULE = join(ROOT, 'emulator/server.js');
export const RESULTS_FILE = join(ROOT, '.bench/results.json');
