/**
 * Failures of one CCC call, classified by what the caller may safely do about them.
 * `launchMayHaveHappened` is the question that matters for LaunchAuthentication: if true, repeating the
 * request could start the IVR flow twice on the live call.
 */
export type CccFailureKind =
	/** Alibaba answered with an error body (HTTP 4xx/5xx, or HTTP 200 with Code other than OK). */
	| 'api'
	/** No connection was established: nothing reached the server. */
	| 'connect'
	/** The request was sent but no answer status came back (reset, read timeout). */
	| 'no-response'
	/** An answer came back that is not a usable CCC response (HTML page, no Code, redirect, incomplete or too large body, no Data). */
	| 'bad-response'
	/** The execution was cancelled while the request was under way. */
	| 'cancelled';

export interface CccFailureDetails {
	kind: CccFailureKind;
	message: string;
	code?: string;
	requestId?: string;
	hostId?: string;
	recommend?: string;
	httpStatus?: number;
	launchMayHaveHappened: boolean;
	/** For timeouts: which one, and its limit. */
	timeout?: { which: 'connect' | 'read'; afterMs: number };
	/** Nothing was sent, but sending again cannot help (an SSRF block, a rejected certificate, an invalid header). */
	notRetryable?: boolean;
}

export class CccCallError extends Error {
	readonly details: CccFailureDetails;

	constructor(details: CccFailureDetails) {
		super(details.message);
		this.name = 'CccCallError';
		this.details = details;
	}
}

/** Why a call was never sent: an earlier item failed (without Continue On Fail), or the execution was cancelled. */
export type NotSentReason = 'stopped-after-failure' | 'execution-cancelled';

const NOT_SENT_MESSAGES: Record<NotSentReason, string> = {
	'stopped-after-failure':
		'Not sent: an earlier item failed and the node stopped (turn on Continue On Fail to process every item).',
	'execution-cancelled':
		'Not sent: the execution was cancelled before this item’s request started.',
};

export class CallCancelledError extends Error {
	constructor(readonly reason: NotSentReason) {
		super(NOT_SENT_MESSAGES[reason]);
		this.name = 'CallCancelledError';
	}
}

/** A call ended by a cancellation: never sent (CallCancelledError), or cut off under way (kind 'cancelled'). */
export function isCancellation(error: unknown): boolean {
	return (
		error instanceof CallCancelledError ||
		(error instanceof CccCallError && error.details.kind === 'cancelled')
	);
}

export function isThrottling(code: string | undefined): boolean {
	return !!code && /^Throttling(\.|$)/.test(code);
}
