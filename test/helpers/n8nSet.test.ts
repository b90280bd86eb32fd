import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { n8nSetNode } from '../../tools/engine/nodes/n8nSet';

// n8nSetNode() finds n8n-nodes-base where tools/n8n/ensure-n8n.mjs installs n8n: <N8N_CACHE_DIR>/n8n-<N8N_VERSION>.
describe('n8nSetNode (the demo: n8n’s own Set node where n8n is installed)', () => {
	const saved = { cache: process.env.N8N_CACHE_DIR, version: process.env.N8N_VERSION };
	let cache: string;

	beforeEach(() => {
		cache = mkdtempSync(join(tmpdir(), 'n8n-set-'));
		process.env.N8N_CACHE_DIR = cache;
		process.env.N8N_VERSION = '9.9.9';
	});
	afterEach(() => {
		rmSync(cache, { recursive: true, force: true });
		for (const [key, value] of [['N8N_CACHE_DIR', saved.cache], ['N8N_VERSION', saved.version]] as const) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	});

	it('loads the Set node of the n8n install and says its n8n-nodes-base version', () => {
		const base = join(cache, 'n8n-9.9.9', 'node_modules', 'n8n-nodes-base');
		mkdirSync(join(base, 'dist', 'nodes', 'Set'), { recursive: true });
		writeFileSync(join(base, 'package.json'), JSON.stringify({ name: 'n8n-nodes-base', version: '9.9.9-test' }));
		writeFileSync(join(base, 'dist', 'nodes', 'Set', 'Set.node.js'), "exports.Set = class Set { constructor() { this.description = { name: 'set' }; } };\n");

		const found = n8nSetNode();
		expect(found?.version).toBe('9.9.9-test');
		expect(found?.node.description).toEqual({ name: 'set' });
	});

	it('finds nothing where n8n is not installed', () => {
		expect(n8nSetNode()).toBeUndefined();
	});
});
