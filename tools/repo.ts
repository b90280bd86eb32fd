/**
 * The repository root, wherever the calling file sits: in the sources (tools/, scripts/, bench/) or
 * compiled into .build/. Files that are not compiled along (emulator/*.js, dist/) are loaded from there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'n8n-nodes-alibaba-ccc';

/** The folder of this package's package.json. */
export const REPO_ROOT = ((): string => {
	for (let dir = __dirname; ; dir = dirname(dir)) {
		const pkg = join(dir, 'package.json');
		if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
		if (dirname(dir) === dir) throw new Error(`the ${PACKAGE_NAME} repository root was not found above ${__dirname}`);
	}
})();

/** require() relative to the repository root (emulator/, dist/, node_modules). */
export const repoRequire = createRequire(join(REPO_ROOT, 'package.json'));
