import type Bottleneck from 'bottleneck';
import type pRetryType from 'p-retry';

import { isRetryable } from './retryPolicy';

export interface CallPolicy {
	/** Requests in flight at once. */
	concurrency: number;
	/** Most requests started in any 1-second window; 0 for no limit. */
	maxRequestsPerSecond: number;
	/** Extra attempts after the first, for retryable failures. */
	maxRetries: number;
	/** No new attempt starts once this much time has passed since the first. */
	retryBudgetMs: number;
	retryOnServerErrors: boolean;
	/** First backoff delay; later ones double, with jitter, up to maxBackoffMs. */
	minBackoffMs?: number;
	maxBackoffMs?: number;
}

export interface AttemptInfo {
	attempt: number;
	error: Error;
	retriesLeft: number;
}

interface Libraries {
	Bottleneck: typeof Bottleneck;
	pRetry: typeof pRetryType;
}
let librariesPromise: Promise<Libraries> | undefined;

/** Both are CommonJS; loaded on first use so that n8n's start-up does not pay for them. */
function loadLibraries(): Promise<Libraries> {
	librariesPromise ??= Promise.all([import('bottleneck'), import('p-retry')]).then(([b, p]) => ({
		Bottleneck: ((b as { default?: typeof Bottleneck }).default ?? b) as typeof Bottleneck,
		pRetry: ((p as { default?: typeof pRetryType }).default ?? p) as typeof pRetryType,
	}));
	return librariesPromise;
}

/** Minimum gap between request starts so that no 1-second window holds more than `perSecond` of them. */
export function minGapMs(perSecond: number): number {
	// 2% + 2 ms of headroom absorbs timer and network jitter between our start and the server's arrival clock.
	return perSecond > 0 ? Math.ceil((1000 / perSecond) * 1.02) + 2 : 0;
}

/**
 * Runs calls with a concurrency cap and a request-rate cap (Bottleneck), retrying the failures that
 * `isRetryable` allows with exponential backoff and jitter (p-retry). Every attempt, first or retry,
 * passes through the limiter, so retries never break the rate limit; backoff waits hold no slot.
 */
export class CallScheduler {
	private stopped = false;

	private constructor(
		private readonly limiter: Bottleneck,
		private readonly pRetry: typeof pRetryType,
		private readonly policy: CallPolicy,
	) {}

	static async create(policy: CallPolicy): Promise<CallScheduler> {
		const { Bottleneck: BottleneckClass, pRetry } = await loadLibraries();
		const limiter = new BottleneckClass({
			maxConcurrent: policy.concurrency,
			minTime: minGapMs(policy.maxRequestsPerSecond),
		});
		return new CallScheduler(limiter, pRetry, policy);
	}

	/** After stop(), calls not yet started fail with CallCancelledError instead of being sent. */
	stop(): void {
		this.stopped = true;
	}

	async run<T>(call: () => Promise<T>, onRetry?: (info: AttemptInfo) => void): Promise<T> {
		const { policy, pRetry, limiter } = this;
		let lastError: unknown;
		let attempt = 0;
		try {
			return await pRetry(
				async () => {
					attempt++;
					try {
						return await limiter.schedule(() => {
							if (this.stopped) throw new CallCancelledError();
							return call();
						});
					} catch (error) {
						lastError = error;
						if (error instanceof CallCancelledError || !isRetryable(error, policy.retryOnServerErrors)) {
							throw new pRetry.AbortError(error as Error);
						}
						// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- p-retry needs the raw failure to retry it; execute() converts the final one to a NodeApiError
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
						if (error.retriesLeft > 0 && onRetry) onRetry({ attempt, error, retriesLeft: error.retriesLeft });
					},
				},
			);
		} catch (error) {
			const final = (lastError ?? error) as Error & { attempts?: number };
			if (final && typeof final === 'object') final.attempts = attempt;
			// Transport layer: execute() converts this into a NodeApiError naming the item.
			throw final;
		}
	}
}

export class CallCancelledError extends Error {
	constructor() {
		super('Not sent: an earlier item failed and the node stopped (turn on Continue On Fail to process every item).');
		this.name = 'CallCancelledError';
	}
}
