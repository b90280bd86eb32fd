import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The GitHub workflows in .github/workflows pass a workflow linter: action-validator (@action-validator/cli,
 * a devDependency; Rust compiled to WebAssembly, so it runs offline on any Node without downloading a binary)
 * checks each file against GitHub's workflow schema. Also checked: what the CI and release workflows must do.
 */

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const CLI = require.resolve('@action-validator/cli/cli.mjs');

const workflowFiles = readdirSync(WORKFLOWS)
	.filter((f) => /\.ya?ml$/.test(f))
	.sort();
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');

/** Runs action-validator on one file with the Node that runs the tests; its exit status and output. */
function lint(path: string): { status: number | null; output: string } {
	const run = spawnSync(process.execPath, [CLI, path], { encoding: 'utf8', timeout: 60_000 });
	return { status: run.status, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}` };
}

describe('GitHub workflows', () => {
	it('are ci.yml and release.yml', () => {
		expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
	});

	it.each(workflowFiles)('%s passes action-validator', (file) => {
		const { status, output } = lint(join(WORKFLOWS, file));
		if (status !== 0) throw new Error(`action-validator rejected .github/workflows/${file} (exit ${String(status)}):\n${output}`);
	});

	it('the linter rejects a broken workflow (so a pass above means something)', () => {
		const dir = mkdtempSync(join(tmpdir(), 'workflow-lint-'));
		try {
			const broken = join(dir, 'ci.yml');
			writeFileSync(broken, read('ci.yml').replace(/runs-on:/, 'run-on:'));
			const { status, output } = lint(broken);
			expect(status).toBe(1);
			expect(output).toMatch(/run-on/);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('pin every action by at least its major version', () => {
		for (const file of workflowFiles) {
			const uses = [...read(file).matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)/gm)].map((m) => m[1]);
			for (const action of uses) expect(`${file}: ${action}`).toMatch(/@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
		}
	});

	it('CI runs the README test command, as .ci/run does, on Node 20, 22 and 24', () => {
		const ci = read('ci.yml');
		const command = 'npm install && npm test';
		expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`${command}\``);
		expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(new RegExp(`^${command.replace(/&/g, '\\&')}$`, 'm'));
		expect(ci).toMatch(new RegExp(`^\\s*run: ${command}$`, 'm'));
		expect(ci).toMatch(/^\s*node-version: \[20, 22, 24\]$/m);
		expect(ci).toMatch(/^\s*pull_request:/m);
		expect(ci).toMatch(/^\s*push:/m);
	});

	it('release publishes with provenance, only for the tag of package.json’s version', () => {
		const release = read('release.yml');
		expect(release).toMatch(/^\s*id-token: write/m);
		expect(release).toMatch(/^\s*contents: read/m);
		expect(release).toMatch(/^\s*run: npm publish --provenance --access public$/m);
		expect(release).toMatch(/NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}/);
		expect(release).toMatch(/"\$TAG" != "v\$version"/);
		// The placeholder the release refuses is the one package.json ships with.
		const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
		const placeholder = /github\\\.com\\\/OWNER\\\//.exec(release);
		expect(placeholder).not.toBeNull();
		expect(pkg.publishConfig?.provenance).toBe(true);
		for (const url of [pkg.repository?.url, pkg.homepage, pkg.bugs?.url]) expect(url).toMatch(/^(git\+)?https:\/\/github\.com\/[^/]+\/n8n-nodes-alibaba-ccc/);
	});
});
