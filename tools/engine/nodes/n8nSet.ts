/**
 * n8n-nodes-base's own Set node, where this machine has it: in the repository's node_modules (it is not a
 * devDependency: see Set.node.ts for why), or in the n8n install that `npm test` (test:e2e) and
 * `npm run dev` make with tools/n8n/ensure-n8n.mjs. The demo runs it when it is found; the engine tests
 * always run the stand-in (Set.node.ts), so they do not depend on what a machine has installed.
 *
 * Its compiled code requires only n8n-workflow and lodash, which resolve from the same install.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { REPO_ROOT, repoRequire } from '../../repo';

const SET_NODE_FILE = 'dist/nodes/Set/Set.node.js';

/** The folder of ensure-n8n.mjs's `n8nCacheDir()`: the same variables, the same defaults. */
function n8nInstallDir(): string {
	const base = process.env.N8N_CACHE_DIR || join(homedir(), '.cache', 'n8n-nodes-alibaba-ccc');
	return join(base, `n8n-${process.env.N8N_VERSION || '2.41.1'}`);
}

/** n8n's Set node and the n8n-nodes-base version it came from, or undefined when none is found. */
export function n8nSetNode(): { node: INodeType; version: string } | undefined {
	let packageJson: string;
	try {
		packageJson = repoRequire.resolve('n8n-nodes-base/package.json', { paths: [REPO_ROOT, n8nInstallDir()] });
	} catch {
		return undefined;
	}
	const { Set } = repoRequire(join(dirname(packageJson), SET_NODE_FILE)) as { Set: new () => INodeType };
	const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
	return { node: new Set(), version };
}
