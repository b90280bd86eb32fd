/**
 * The seed of the property-based tests (fast-check), imported by each property test file:
 * - by default a fixed seed, so that `npm test` checks the same cases on every run and machine;
 * - FUZZ_SEED=<integer> uses that seed instead (`npm run test:fuzz` sets a random one per round, and prints
 *   it with any counterexample so that the failure can be replayed);
 * - FUZZ_RUNS=<n> sets the cases per property (fast-check's default: 100).
 * The seed is printed ("fast-check seed: N") when the test file loads.
 */
import fc from 'fast-check';

export const FIXED_SEED = 20260101;

function integerFromEnv(name: string): number | undefined {
	const text = process.env[name]?.trim();
	if (!text) return undefined;
	const value = Number(text);
	if (!Number.isSafeInteger(value)) throw new Error(`${name} must be an integer, not "${text}"`);
	return value;
}

export const SEED = integerFromEnv('FUZZ_SEED') ?? FIXED_SEED;
export const NUM_RUNS = integerFromEnv('FUZZ_RUNS');

fc.configureGlobal({ seed: SEED, ...(NUM_RUNS !== undefined ? { numRuns: NUM_RUNS } : {}) });
console.log(`fast-check seed: ${SEED}${SEED === FIXED_SEED ? ' (fixed; FUZZ_SEED=<n> or npm run test:fuzz for others)' : ''}${NUM_RUNS !== undefined ? `, ${NUM_RUNS} runs per property` : ''}`);
