import { CallScheduler, type CallPolicy } from '../../nodes/LaunchAuthentication/helpers/scheduler';
import {
	CallCancelledError,
	CccCallError,
	type CccFailureDetails,
} from '../../nodes/LaunchAuthentication/transport/cccCallError';

/**
 * With Retry on Server Errors, an attempt after which the launch may have happened (a 5xx, a lost answer)
 * must not be hidden by how the call finally ends: a throttled or refused retry, a retry cancelled before it
 * was sent, or a retry never started because another item failed. Each case: the call's final error says
 * the launch may have happened, and keeps its own kind.
 */
const serverError = (): CccCallError =>
	new CccCallError({
		kind: 'api',
		message: 'The endpoint answered HTTP 500.',
		code: 'ServiceUnavailable',
		httpStatus: 500,
		launchMayHaveHappened: true,
	});

const failure = (details: Partial<CccFailureDetails> & Pick<CccFailureDetails, 'kind'>): CccCallError =>
	new CccCallError({ message: `${details.kind} failure`, launchMayHaveHappened: false, ...details });

const POLICY: CallPolicy = {
	concurrency: 2,
	maxRequestsPerSecond: 0,
	maxRetries: 1,
	retryBudgetMs: 60_000,
	retryOnServerErrors: true,
	minBackoffMs: 1,
	maxBackoffMs: 2,
};

/** Runs one launch call whose attempts fail in turn with `failures`; returns its final error. */
async function finalError(failures: Error[], policy: Partial<CallPolicy> = {}): Promise<unknown> {
	const scheduler = await CallScheduler.create({ ...POLICY, ...policy });
	let attempt = 0;
	return await scheduler
		.run(async () => {
			throw failures[Math.min(attempt++, failures.length - 1)];
		})
		.then(
			() => undefined,
			(error: unknown) => error,
		);
}

describe('an earlier attempt that may have launched is never hidden by the final failure', () => {
	it.each([
		['Throttling', failure({ kind: 'api', code: 'Throttling.User', httpStatus: 400 })],
		['a refused connection', failure({ kind: 'connect', code: 'ECONNREFUSED' })],
		['a cancellation before sending (Stop)', failure({ kind: 'cancelled' })],
	])('5xx, then %s: may have launched, kind kept', async (_name, last) => {
		const error = await finalError([serverError(), last]);
		expect(error).toBeInstanceOf(CccCallError);
		const { details, message } = error as CccCallError;
		expect(details.launchMayHaveHappened).toBe(true);
		expect(details.kind).toBe(last.details.kind);
		expect(message).toMatch(/an earlier attempt of this item may have launched the authentication \(The endpoint answered HTTP 500\.\)$/);
	});

	it('5xx, then the node stopped after another item failed: a cancellation that may have launched', async () => {
		const scheduler = await CallScheduler.create({ ...POLICY, stopAfterFailure: true, minBackoffMs: 50, maxBackoffMs: 50 });
		let attempts = 0;
		const retried = scheduler.run(async () => {
			attempts++;
			throw serverError();
		});
		// The other item fails for good (a 4xx is not retried) while the first waits out its backoff.
		const other = scheduler.run(async () => {
			throw failure({ kind: 'api', code: 'Forbidden.NoPermission', httpStatus: 403 });
		});
		await expect(other).rejects.toBeInstanceOf(CccCallError);
		const error = (await retried.catch((e: unknown) => e)) as CccCallError;
		expect(attempts).toBe(1);
		expect(error).toBeInstanceOf(CccCallError);
		expect(error.details).toMatchObject({ kind: 'cancelled', launchMayHaveHappened: true });
		expect(error.message).toMatch(/^An earlier item failed and the node stopped before this item's retry/);
	});

	it('nothing sent at any attempt stays "not sent"', async () => {
		const refused = failure({ kind: 'connect', code: 'ECONNREFUSED' });
		const error = (await finalError([refused, refused])) as CccCallError;
		expect(error.details.launchMayHaveHappened).toBe(false);
		expect(error.message).toBe('connect failure');
		const cancelled = await finalError([new CallCancelledError('execution-cancelled')]);
		expect(cancelled).toBeInstanceOf(CallCancelledError);
	});

});
