import { CccCallError, isThrottling } from '../transport/cccCallError';

/**
 * Whether repeating a failed call is allowed.
 *
 * Always: Alibaba's Throttling.* answers (the request was refused, nothing launched) and failures to
 * connect (nothing was sent). Only with "Retry on Server Errors": failures where the launch may have
 * happened but no answer said so: 5xx answers, and a reset or read timeout after sending before any
 * answer status arrived. Never: any other 4xx, any 3xx, any answer whose 2xx status arrived (CCC handled
 * it, whatever the body: repeating would launch again), and cancelled calls.
 */
export function isRetryable(error: unknown, retryOnServerErrors: boolean): boolean {
	if (!(error instanceof CccCallError)) return false;
	const d = error.details;
	if (d.kind === 'api' && isThrottling(d.code)) return true;
	if (d.kind === 'connect') return d.notRetryable !== true;
	if (!retryOnServerErrors) return false;
	if (d.kind === 'no-response') return true;
	if (d.kind === 'api') return d.httpStatus !== undefined && d.httpStatus >= 500;
	if (d.kind === 'bad-response') return d.httpStatus === undefined || d.httpStatus >= 500;
	return false;
}
