// The last phase of the end-to-end test (run.mjs): the AccessKey secret must appear nowhere in the run folder (n8n's
// output and logs, its database and event logs) or in the webhook answers.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under dir (skipping n8n's editor copy in .cache and the installed package). */
function filesUnder(runDir, dir) {
	const out = [];
	if (!existsSync(dir)) return out;
	for (const entry of readdirSync(dir)) {
		const path = join(dir, entry);
		const rel = relative(runDir, path);
		if (rel === join('user', '.cache') || rel === join('user', '.n8n', 'nodes') || rel === 'pack') continue;
		const stat = statSync(path, { throwIfNoEntry: false });
		if (!stat) continue;
		if (stat.isDirectory()) out.push(...filesUnder(runDir, path));
		else if (stat.isFile()) out.push(path);
	}
	return out;
}

export function secretScan({ reporter, runDir, answers }, { key, executeScanned }) {
	const { check, phase, log } = reporter;
	phase('Secrets');
	check('the AccessKey secret appears nowhere in n8n output, logs, database, event logs or answers', () => {
		const secret = Buffer.from(key.accessKeySecret, 'utf8');
		const files = filesUnder(runDir, runDir);
		assert.ok(files.some((f) => f.endsWith('database.sqlite')), 'database scanned');
		if (executeScanned) assert.ok(files.some((f) => f.includes('n8n-execute')), 'execute output scanned');
		const leaks = files.filter((f) => readFileSync(f).includes(secret)).map((f) => relative(runDir, f));
		if (answers.some((a) => a.includes(key.accessKeySecret))) leaks.push('webhook answer');
		assert.deepEqual(leaks, [], `secret found in: ${leaks.join(', ')}`);
		log(`    ${files.length} files scanned`);
	});
	check('no plain credential file left behind', () => assert.ok(!existsSync(join(runDir, 'import', 'credentials.json'))));
}
