// The tiny check harness shared by the end-to-end test and the browser check: every check and step counts
// once in the closing "N passed, M failed" line (", K skipped" when something could not run).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { tailFile } from './sandbox.mjs';

/** Thrown by a failed step: the steps after it depend on it, so the current phase ends. */
export class StepFailed extends Error {}

export function indent(text, prefix = '      ') {
	return String(text)
		.split('\n')
		.map((l) => prefix + l)
		.join('\n');
}

/**
 * @param {{ onFailure?: (name: string) => Promise<void> | void }} [options] called after each failure
 *   (e.g. to save a screenshot)
 */
export function createReporter({ onFailure } = {}) {
	const started = Date.now();
	const counts = { passed: 0, failed: 0, skipped: 0 };
	const failures = [];
	const skipped = [];
	const log = (line) => console.log(line);
	const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
	const seconds = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;

	/** Counts and prints a failure; returns a promise only when onFailure does async work. */
	function fail(name, error) {
		counts.failed++;
		failures.push(name);
		const message = error instanceof assert.AssertionError ? error.message : (error?.stack ?? String(error));
		log(`  ✖ ${name}\n${indent(message.split('\n').slice(0, 40).join('\n'))}`);
		return onFailure?.(name);
	}

	/** An independent check (sync or async): its failure is counted and the run goes on. */
	function check(name, fn) {
		const t = Date.now();
		const pass = () => {
			counts.passed++;
			log(`  ✔ ${name}${Date.now() - t >= 100 ? ` (${seconds(t)})` : ''}`);
		};
		try {
			const result = fn();
			if (result && typeof result.then === 'function') return result.then(pass, (error) => fail(name, error));
			pass();
		} catch (error) {
			return fail(name, error);
		}
		return undefined;
	}

	/** An asynchronous step that later ones depend on: its failure throws StepFailed. */
	async function step(name, fn) {
		const t = Date.now();
		try {
			const value = await fn();
			counts.passed++;
			log(`  ✔ ${name} (${seconds(t)})`);
			return value;
		} catch (error) {
			await fail(name, error);
			throw new StepFailed(name);
		}
	}

	const phase = (title) => log(`\n▶ ${title}  [${elapsed()}]`);

	/**
	 * Checks that did not run: `what` names them, `why` says why, `command` (if any) is what makes them
	 * runnable. Counted as skipped and printed loudly; a failure instead when `required` (by default: under
	 * CI=true, where every check must run).
	 * @param {string} what
	 * @param {string} why
	 * @param {{ command?: string, required?: boolean }} [options]
	 */
	function skip(what, why, { command, required = process.env.CI === 'true' } = {}) {
		const how = command ? `\nTo run it: ${command}` : '';
		if (required) return fail(`${what} could not run (required under CI=true)`, new assert.AssertionError({ message: `${why}${how}` }));
		counts.skipped++;
		skipped.push(what);
		const bar = '!'.repeat(100);
		const lines = [`SKIPPED (not run): ${what}`, ...`Why: ${why}${how}`.split('\n')];
		log(`${bar}\n${lines.map((l) => `!! ${l}`).join('\n')}\n${bar}`);
		return undefined;
	}

	/** Prints the closing lines and sets the exit code. */
	function summary(title) {
		log(`\n${title} finished in ${elapsed()}`);
		if (skipped.length) log(`Not run: ${skipped.join('; ')}`);
		log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
		process.exitCode = counts.failed > 0 ? 1 : 0;
	}

	/**
	 * Ends a run that worked in a throwaway folder, then prints the summary. After a failure: the tail of
	 * each log in <runDir>/logs whose name matches logFilter, and the folder is kept; otherwise the folder
	 * is removed unless `keep` (named by keepVariable in the message).
	 */
	function finishRun({ title, runDir, keep, keepVariable, logFilter = /./, tailLines = 30 }) {
		const logsDir = join(runDir, 'logs');
		if (counts.failed > 0) {
			const logs = existsSync(logsDir) ? readdirSync(logsDir).filter((f) => logFilter.test(f)) : [];
			for (const file of logs.sort()) {
				const tail = tailFile(join(logsDir, file), tailLines);
				if (tail) log(`\n----- tail of ${join(logsDir, file)} -----\n${tail}`);
			}
			log(`\nFailed: ${failures.join('; ')}`);
			log(`Run folder kept for inspection: ${runDir}`);
		} else if (keep) {
			log(`\nRun folder kept (${keepVariable}=1): ${runDir}`);
		} else {
			rmSync(runDir, { recursive: true, force: true });
		}
		summary(title);
	}

	return { counts, failures, log, elapsed, fail, check, step, phase, skip, summary, finishRun };
}
