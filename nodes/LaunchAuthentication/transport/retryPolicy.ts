import { CccCallError, isThrottling } from './errors';

/**
 * Whether repeating a failed call is allowed.
 *
 * Always: Alibaba's Throttling.* answers (the request was refused, nothing launched) and failures to
 * connect (nothing was sent). Only with "Retry on Server Errors": failures where the launch may have
 * happened (5xx answers, reset or timeout after sending, an error page that is not JSON). Never: other
 * 4xx answers, and 2xx answers that are unusable (the launch happened; repeating would launch again).
 */
export function isRetryable(error: unknown, retryOnServerErrors: boolean): boolean {
	if (!(error instanceof CccCallError)) return false;
	const d = error.details;
	if (d.kind === 'api' && isThrottling(d.code)) return true;
	if (d.kind === 'connect') return true;
	if (!retryOnServerErrors) return false;
	if (d.kind === 'no-response') return true;
	if (d.kind === 'api') return d.httpStatus !== undefined && d.httpStatus >= 500;
	if (d.kind === 'bad-response') return d.httpStatus === undefined || d.httpStatus >= 500;
	return false;
}
