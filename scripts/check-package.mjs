#!/usr/bin/env node
// Supply-chain checks of what `npm publish` would ship:
//  1. the tarball holds only dist/, the READMEs (README.md, README.zh-CN.md), LICENSE and package.json;
//  2. `npm audit --omit=dev` reports no high or critical advisory in the runtime dependencies.
// Prints "N passed, N failed" and exits non-zero on a failure.
import { execFileSync, spawnSync } from 'node:child_process';

let passed = 0;
let failed = 0;
const ok = (m) => (passed++, console.log(`ok   ${m}`));
const bad = (m) => (failed++, console.log(`FAIL ${m}`));

const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { encoding: 'utf8' }))[0];
const TOP_LEVEL = ['README.md', 'README.zh-CN.md', 'LICENSE', 'package.json'];
const allowed = (path) => path.startsWith('dist/') || TOP_LEVEL.includes(path);
const stray = pack.files.map((f) => f.path).filter((p) => !allowed(p));
if (stray.length === 0) ok(`package holds only dist/, ${TOP_LEVEL.join(', ')} (${pack.files.length} files, ${pack.size} bytes packed)`);
else bad(`package holds files outside dist/ and ${TOP_LEVEL.join(', ')}: ${stray.join(', ')}`);
const needed = ['README.md', 'README.zh-CN.md', 'LICENSE', 'dist/nodes/LaunchAuthentication/LaunchAuthentication.node.js', 'dist/credentials/AlibabaCloudCccApi.credentials.js', 'dist/icons/alibabaCcc.svg', 'dist/icons/alibabaCcc.dark.svg', 'dist/nodes/LaunchAuthentication/LaunchAuthentication.node.json'];
const missing = needed.filter((p) => !pack.files.some((f) => f.path === p));
if (missing.length === 0) ok('package holds both READMEs, the licence, the node, the credential, the icons and the codex');
else bad(`package lacks ${missing.join(', ')} (run npm run build first)`);

const audit = spawnSync('npm', ['audit', '--omit=dev', '--json', '--loglevel=error'], { encoding: 'utf8' });
let report;
try {
	report = JSON.parse(audit.stdout);
} catch {
	report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (counts) {
	const serious = (counts.high ?? 0) + (counts.critical ?? 0);
	if (serious === 0) ok(`npm audit --omit=dev: no high or critical advisory (${JSON.stringify(counts)})`);
	else bad(`npm audit --omit=dev: ${counts.high} high, ${counts.critical} critical advisories`);
} else {
	// The registry here may not serve the audit endpoint (seen: HTTP 405); say so instead of pretending.
	const why = report?.error?.summary || report?.message || (audit.stderr || audit.stdout).trim().split("\n").pop();
	console.log(`SKIP npm audit could not run against this registry: ${why}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
