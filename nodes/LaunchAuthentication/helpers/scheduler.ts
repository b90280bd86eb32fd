import type Bottleneck from 'bottleneck';
import type pMapType from 'p-map';
import type pRetryType from 'p-retry';

import { lazyModule } from '../../../utils/lazyModule';
import { CallCancelledError, CccCallError, isCancellation } from '../transport/cccCallError';
import { isRetryable } from './retryPolicy';

export interface CallPolicy {
	/**
	 * Requests in flight at once, launches and result polls of the execution together; also the items
	 * launching (or reading) at once (an item waiting out a retry backoff keeps its item place, not a request slot).
	 */
	concurrency: number;
	/** Most requests started in any 1-second window; 0 for no limit. */
	maxRequestsPerSecond: number;
	/** Extra attempts after the first, for retryable failures. */
	maxRetries: number;
	/** No new attempt starts once this much time has passed since the first; 0 turns retries off. */
	retryBudgetMs: number;
	retryOnServerErrors: boolean;
	/** After one call fails for good, calls not yet started are not sent (they fail with CallCancelledError). */
	stopAfterFailure?: boolean;
	/** The execution's cancellation: once aborted, nothing new starts and every wait ends at once. */
	signal?: AbortSignal;
	/** First backoff delay; later ones double, with jitter, up to maxBackoffMs. */
	minBackoffMs?: number;
	maxBackoffMs?: number;
}

/** How a call may be repeated: `launch` by the policy's retry rules; `read` (a read-only call: trace, lists) on Throttling and failed connections only. */
export type CallKind = 'launch' | 'read';

export interface AttemptInfo {
	attempt: number;
	error: Error;
	retriesLeft: number;
}

// All CommonJS; loaded on first use so that n8n's start-up does not pay for them.
const loadPMap = lazyModule<typeof pMapType>(() => import('p-map'));
const loadPRetry = lazyModule<typeof pRetryType>(() => import('p-retry'));
const loadBottleneck = lazyModule<typeof Bottleneck>(() => import('bottleneck'));

/** Bottleneck priorities (0 first, 9 last) of the kinds of call sharing one rate limit. */
const RATE_PRIORITY: Record<CallKind, number> = { launch: 3, read: 6 };

/**
 * How much the time between two requests' arrival at CCC may differ from the time between their starts
 * (network and event-loop jitter) without the rate cap being broken where it counts: at CCC.
 */
export const JITTER_ALLOWANCE_MS = 100;

/** Minimum gap between request starts so that no 1-second window at the server holds more than `perSecond` of them. */
export function minGapMs(perSecond: number): number {
	// Any R + 1 consecutive starts span R gaps = 1000 ms + the allowance: even if the first arrives late and the
	// last early by that much in total, they cannot all fall within one second.
	return perSecond > 0 ? (1000 + JITTER_ALLOWANCE_MS) / perSecond : 0;
}

/**
 * Runs one job per item with a concurrency cap (p-map), each call with a request-rate cap (Bottleneck, only
 * when a rate is set) and retries of the failures `isRetryable` allows, with exponential backoff and jitter
 * (p-retry). Every attempt, first or retry, passes through the rate limiter, so retries never break the rate
 * cap. Items start in input order and an item's job is only created when it gets a slot (p-map reads the
 * items lazily), so a batch of thousands of items holds no more than `concurrency` items' work at a time.
 * Every request, launch or read, also takes one of `concurrency` request slots for its attempt (not for
 * its retry backoff), launches before reads: with result polls of waiting items beside the launches, the
 * endpoint still sees at most `concurrency` requests in flight. No deadlock: a slot is held only by an
 * attempt under way, which never waits for anything but its rate-limit turn and its answer. With a rate cap,
 * reads also wait until no launch is queued or under way (launches go first; polls take the rest), and a
 * read is never starved for ever: launches are finite (one per item).
 *
 * Stopping: after a failure (with `stopAfterFailure`) or when the execution's signal is aborted, no new call
 * starts; on abort, calls waiting for the rate limiter or for a retry backoff fail at once with
 * CallCancelledError (the in-flight ones are aborted by the transport, which listens to the same signal).
 * A retry backoff's timer may still run out later; the attempt it then starts stops before sending.
 */
export class CallScheduler {
	private stoppedAfterFailure = false;
	/** Requests in flight at once (launches and reads together): at most `concurrency`. */
	private readonly slots: PrioritySlots;
	/** Launch calls not yet settled (queued, in flight or in a retry backoff). */
	private launchesActive = 0;
	private launchesIdleWaiters: Array<() => void> = [];

	private constructor(
		private readonly pMap: typeof pMapType,
		private readonly pRetry: typeof pRetryType,
		private readonly rateLimiter: Bottleneck | undefined,
		private readonly policy: CallPolicy,
	) {
		this.slots = new PrioritySlots(Math.max(1, policy.concurrency));
		// Calls waiting for their rate-limit turn or a request slot are dropped at once (they reject; see run()).
		policy.signal?.addEventListener(
			'abort',
			() => {
				void rateLimiter?.stop({ dropWaitingJobs: true }).catch(() => undefined);
				this.slots.cancelWaiting(() => new CallCancelledError('execution-cancelled'));
				for (const wake of this.launchesIdleWaiters.splice(0)) wake();
			},
			{ once: true },
		);
	}

	static async create(policy: CallPolicy): Promise<CallScheduler> {
		// Bottleneck only when a rate is set (or, later, for result polls): a plain launch does not load it.
		const [pMap, pRetry, BottleneckClass] = await Promise.all([
			loadPMap(),
			loadPRetry(),
			policy.maxRequestsPerSecond > 0 ? loadBottleneck() : undefined,
		]);
		const rateLimiter = BottleneckClass
			? new BottleneckClass({ minTime: minGapMs(policy.maxRequestsPerSecond) })
			: undefined;
		return new CallScheduler(pMap, pRetry, rateLimiter, policy);
	}

	/** Requests in flight now (for tests and diagnostics). */
	get requestsInFlight(): number {
		return this.slots.held;
	}

	/**
	 * Resolves once no launch is queued or under way, and still none a turn of the event loop later (an item
	 * that finished its launch starts the next item's launch within the same turn).
	 */
	private async launchesIdle(): Promise<void> {
		for (;;) {
			if (this.launchesActive > 0 && !this.policy.signal?.aborted)
				await new Promise<void>((resolve) => this.launchesIdleWaiters.push(resolve));
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (this.launchesActive === 0 || this.policy.signal?.aborted) return;
		}
	}

	private launchSettled(): void {
		this.launchesActive--;
		if (this.launchesActive === 0) for (const wake of this.launchesIdleWaiters.splice(0)) wake();
	}

	/** Why no new call may start now, if one may not. */
	private stopReason(): CallCancelledError | undefined {
		if (this.policy.signal?.aborted) return new CallCancelledError('execution-cancelled');
		if (this.stoppedAfterFailure) return new CallCancelledError('stopped-after-failure');
		return undefined;
	}

	/**
	 * Runs `job(0)` … `job(count - 1)`, at most `concurrency` at a time, starting them in index order.
	 * A job reports its own outcome (it must not throw); this resolves once every job has finished.
	 */
	async forEachItem(count: number, job: (index: number) => Promise<void>): Promise<void> {
		await this.pMap(indices(count), job, { concurrency: Math.max(1, this.policy.concurrency) });
	}

	/**
	 * One call with the rate limit and retries. Once the execution is cancelled it rejects at once with
	 * CallCancelledError, unless its request is in flight: then it ends with the transport's own
	 * cancellation error, which says whether the request may have arrived.
	 */
	run<T>(
		call: () => Promise<T>,
		onRetry?: (info: AttemptInfo) => void,
		kind: CallKind = 'launch',
	): Promise<T> {
		if (kind !== 'launch') return this.runOne(call, onRetry, kind);
		this.launchesActive++;
		const settled = this.runOne(call, onRetry, kind);
		settled.then(
			() => this.launchSettled(),
			() => this.launchSettled(),
		);
		return settled;
	}

	private runOne<T>(
		call: () => Promise<T>,
		onRetry: ((info: AttemptInfo) => void) | undefined,
		kind: CallKind,
	): Promise<T> {
		const signal = this.policy.signal;
		const earlier: EarlierAttempts = {};
		if (!signal) return this.withRetries(call, onRetry, kind, earlier);
		return new Promise<T>((resolve, reject) => {
			let inFlight = false;
			const onAbort = () => {
				if (!inFlight)
					reject(withEarlierLaunch(new CallCancelledError('execution-cancelled'), earlier));
			};
			signal.addEventListener('abort', onAbort, { once: true });
			const tracked = async () => {
				inFlight = true;
				try {
					return await call();
				} finally {
					inFlight = false;
				}
			};
			this.withRetries(tracked, onRetry, kind, earlier)
				.then(resolve, reject)
				.finally(() => signal.removeEventListener('abort', onAbort));
		});
	}

	private attempt<T>(call: () => Promise<T>, kind: CallKind): Promise<T> {
		const start = () => {
			const stop = this.stopReason();
			if (stop) throw stop;
			return call();
		};
		// Checked before the rate limiter too, so that calls that may not start do not wait out their gap.
		const stop = this.stopReason();
		if (stop) return Promise.reject(stop);
		// Launches go before result polls: hundreds of items waiting for their results must not slow the next launches.
		const gated = () =>
			this.rateLimiter
				? this.rateLimiter.schedule({ priority: RATE_PRIORITY[kind] }, start)
				: Promise.resolve().then(start);
		// The attempt takes a request slot (launches first), then its rate-limit turn inside it: waiting for the
		// rate limit inside the slot keeps the requests' starts spaced. With a rate cap a read first waits until
		// the launches are done, so that it takes no launch's turn.
		const inSlot = async () => {
			const release = await this.slots.acquire(kind === 'launch' ? 0 : 1);
			try {
				return await gated();
			} finally {
				release();
			}
		};
		if (kind === 'launch' || !this.rateLimiter) return inSlot();
		return this.launchesIdle().then(() => {
			const stop = this.stopReason();
			if (stop) throw stop;
			return inSlot();
		});
	}

	private async withRetries<T>(
		call: () => Promise<T>,
		onRetry: ((info: AttemptInfo) => void) | undefined,
		kind: CallKind,
		earlier: EarlierAttempts,
	): Promise<T> {
		const { policy, pRetry } = this;
		let lastError: unknown;
		let attempt = 0;
		try {
			return await pRetry(
				async () => {
					attempt++;
					try {
						return await this.attempt(call, kind);
					} catch (error) {
						lastError = error;
						if (
							kind === 'launch' &&
							error instanceof CccCallError &&
							error.details.launchMayHaveHappened
						)
							earlier.mayHaveLaunched = error;
						if (
							error instanceof CallCancelledError ||
							this.stopReason() ||
							!isRetryable(error, kind === 'launch' && policy.retryOnServerErrors)
						) {
							throw new pRetry.AbortError(error as Error);
						}
						// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- p-retry needs the raw failure to retry it; the operation converts the final one to a NodeApiError
						throw error;
					}
				},
				{
					// A zero budget means no retries (p-retry reads a zero maxRetryTime as "no limit").
					retries: policy.retryBudgetMs > 0 ? policy.maxRetries : 0,
					factor: 2,
					minTimeout: policy.minBackoffMs ?? 300,
					maxTimeout: policy.maxBackoffMs ?? 10_000,
					randomize: true,
					maxRetryTime: policy.retryBudgetMs > 0 ? policy.retryBudgetMs : Infinity,
					onFailedAttempt: (error) => {
						if (error.retriesLeft > 0 && onRetry)
							onRetry({ attempt, error, retriesLeft: error.retriesLeft });
					},
				},
			);
		} catch (error) {
			const last = (lastError ?? error) as Error;
			const final = withEarlierLaunch(last, earlier) as Error & { attempts?: number };
			if (final && typeof final === 'object') final.attempts = attempt;
			// Set before this item's slot is freed, so that no later item starts.
			if (policy.stopAfterFailure && kind === 'launch' && !isCancellation(last))
				this.stoppedAfterFailure = true;
			// The operation converts this into a NodeApiError naming the item.
			throw final;
		}
	}
}

/** What the earlier attempts of one call did that its final failure must not hide. */
interface EarlierAttempts {
	/** The last failed attempt after which the launch may have happened (a 5xx, a lost answer). */
	mayHaveLaunched?: CccCallError;
}

/**
 * A call's final failure, saying so when an earlier attempt may have launched (Retry on Server Errors): after
 * a 5xx or a lost answer, a retry that was throttled, refused, cancelled before sending (Stop) or never
 * started (another item's failure) does not make the item "not sent", so a rerun is not taken to be safe.
 * The failure keeps its kind (a cancellation stays one, so the run's real failure stays its error).
 */
function withEarlierLaunch(error: Error, earlier: EarlierAttempts): Error {
	const attempt = earlier.mayHaveLaunched;
	if (!attempt || (error instanceof CccCallError && error.details.launchMayHaveHappened))
		return error;
	const note = `an earlier attempt of this item may have launched the authentication (${attempt.message})`;
	if (error instanceof CallCancelledError) {
		const why =
			error.reason === 'execution-cancelled'
				? 'The execution was cancelled'
				: 'An earlier item failed and the node stopped';
		return new CccCallError({
			...attempt.details,
			kind: 'cancelled',
			message: `${why} before this item's retry; ${note}`,
			launchMayHaveHappened: true,
		});
	}
	const details = error instanceof CccCallError ? error.details : attempt.details;
	return new CccCallError({
		...details,
		message: `${error.message}; ${note}`,
		launchMayHaveHappened: true,
	});
}

/**
 * A counting semaphore whose waiters are served by priority (0 first), then in arrival order. `acquire`
 * resolves with the function that gives the slot back.
 */
class PrioritySlots {
	held = 0;
	private readonly waiting: Array<{
		priority: number;
		grant: (release: () => void) => void;
		fail: (error: Error) => void;
	}> = [];

	constructor(private readonly size: number) {}

	acquire(priority: number): Promise<() => void> {
		if (this.held < this.size && this.waiting.length === 0) return Promise.resolve(this.take());
		return new Promise((grant, fail) => {
			let at = this.waiting.length;
			while (at > 0 && this.waiting[at - 1].priority > priority) at--;
			this.waiting.splice(at, 0, { priority, grant, fail });
		});
	}

	/** Rejects every waiter (the execution was cancelled). */
	cancelWaiting(error: () => Error): void {
		for (const waiter of this.waiting.splice(0)) waiter.fail(error());
	}

	private take(): () => void {
		this.held++;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.held--;
			const next = this.waiting.shift();
			if (next) next.grant(this.take());
		};
	}
}

/** 0 … count - 1, produced as p-map asks for them. */
function* indices(count: number): Generator<number> {
	for (let i = 0; i < count; i++) yield i;
}
