#!/usr/bin/env node
// npm run test:fuzz: the property-based tests (fast-check) with many random seeds, where `npm run test:unit`
// uses one fixed seed (test/helpers/fastCheckSeed.ts).
//
// Runs jest on the property tests once per seed: FUZZ_ROUNDS random seeds (default 20), FUZZ_RUNS cases per
// property and seed (default 1000). FUZZ_SEED=<n> runs that one seed only (to replay a failure);
// FUZZ_TESTS=<paths> picks other test files (default test/unit/properties.test.ts).
// Prints one line per seed and, for a seed that found a counterexample, the failed properties with
// fast-check's report (counterexample, seed, path) and the command that replays it. Exits 1 when any
// seed failed.
import { randomInt } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const JEST = createRequire(import.meta.url).resolve('jest/bin/jest');

function positiveInteger(name, fallback) {
	const text = process.env[name];
	if (!text) return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, not "${text}"`);
	return value;
}

const RUNS = positiveInteger('FUZZ_RUNS', 1000);
const TESTS = (process.env.FUZZ_TESTS || 'test/unit/properties.test.ts').split(/[\s,]+/).filter(Boolean);
const SEEDS = process.env.FUZZ_SEED
	? [Number(process.env.FUZZ_SEED)]
	: Array.from({ length: positiveInteger('FUZZ_ROUNDS', 20) }, () => randomInt(1, 2 ** 31));
if (!SEEDS.every(Number.isSafeInteger)) throw new Error(`FUZZ_SEED must be an integer, not "${process.env.FUZZ_SEED}"`);

/** fast-check's report lines (and jest's name of each failed test) from jest's output. */
function counterexamples(output) {
	const wanted = /^\s*(●\s|Property failed|\{ seed:|Counterexample:|Shrunk \d+|Got error:|Encountered failures)/;
	return output
		.split('\n')
		.filter((line) => wanted.test(line))
		.map((line) => `    ${line.trim()}`);
}

console.log(`fast-check fuzzing: ${SEEDS.length} seed(s) × ${RUNS} runs per property, ${TESTS.join(' ')}`);
const failed = [];
for (const [i, seed] of SEEDS.entries()) {
	const started = Date.now();
	const result = spawnSync(process.execPath, [JEST, '--ci', '--colors=false', ...TESTS], {
		cwd: ROOT,
		env: { ...process.env, FUZZ_SEED: String(seed), FUZZ_RUNS: String(RUNS) },
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const output = `${result.stdout}\n${result.stderr}`;
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status === 0) {
		console.log(`[${i + 1}/${SEEDS.length}] fast-check seed: ${seed}: passed (${seconds}s)`);
		continue;
	}
	failed.push(seed);
	console.log(`[${i + 1}/${SEEDS.length}] fast-check seed: ${seed}: FAILED (${seconds}s)`);
	const report = counterexamples(output);
	console.log(report.length ? report.join('\n') : output.trim().split('\n').slice(-40).join('\n'));
	console.log(`    replay: FUZZ_SEED=${seed} FUZZ_RUNS=${RUNS} npx jest ${TESTS.join(' ')}`);
}
console.log(`\n${SEEDS.length - failed.length} seed(s) passed, ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`);
process.exitCode = failed.length ? 1 : 0;
