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
	/** The request was sent but no complete answer came back (reset, read timeout). */
	| 'no-response'
	/** An answer came back that is not a usable CCC response (HTML page, malformed JSON, no Data, too large). */
	| 'bad-response';

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
}

export class CccCallError extends Error {
	readonly details: CccFailureDetails;

	constructor(details: CccFailureDetails) {
		super(details.message);
		this.name = 'CccCallError';
		this.details = details;
	}
}

export function isThrottling(code: string | undefined): boolean {
	return !!code && /^Throttling(\.|$)/.test(code);
}
