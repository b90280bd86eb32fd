import { jsonParse } from 'n8n-workflow';

import type { CccEndpoint } from '../../../credentials/endpoint';
import { endpointUrl } from '../../../credentials/endpoint';
import type { HttpAnswer, TransportFailure, TransportLimits } from './http';
import { CccCallError, type CccFailureDetails } from './cccCallError';

/**
 * What an answer or a transport failure means, decided in one place for every CCC action (pure: no I/O).
 *
 * - 2xx with JSON whose Code is absent or "OK": success. Code other than OK: a CCC error (rejected).
 * - 4xx/5xx with a CCC error body (Code, Message, RequestId; JSON, or XML when the gateway answers XML):
 *   a CCC error. 4xx means the request was rejected; after a 5xx the action may have been carried out.
 * - Anything else is a bad response that keeps its HTTP status: a 2xx whose body is not JSON, a 3xx
 *   (CCC never redirects: whatever the body says, it is not a success), a 4xx/5xx without a CCC Code.
 * - Transport failures by phase: nothing sent (connect), sent without an answer status (no-response), an
 *   answer status but an incomplete or oversized body (bad-response: the server handled the request).
 */

/** What every successful CCC answer holds. */
export interface CccResponse {
	body: Record<string, unknown>;
	requestId: string;
	httpStatus: number;
	/** When the server answered, by its own clock (the Date header, whole seconds, ms since 1970), if it said. */
	serverTime?: number;
}

const NOT_JSON = Symbol('not JSON');

/**
 * n8n-workflow's jsonParse, answering undefined (which no JSON text yields) when the text is not JSON. A marker
 * rather than `fallbackValue: undefined` (which jsonParse ignores: it throws) or a function (which only
 * newer n8n-workflow versions call).
 */
export function parseJson(text: string): unknown {
	const value = jsonParse<unknown>(text, { fallbackValue: NOT_JSON });
	return value === NOT_JSON ? undefined : value;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A short, single-line excerpt of a body for an error message, redacted before it is cut (a cut secret would leak its start). */
function excerpt(text: string, redact: (text: string) => string): string {
	const oneLine = redact(text).replace(/\s+/g, ' ').trim();
	if (oneLine === '') return '(empty body)';
	return oneLine.length > 160 ? `${oneLine.slice(0, 160)}…` : oneLine;
}

/** Code, Message, RequestId, HostId and Recommend of a CCC error body in JSON or Alibaba's XML error format. */
function errorFields(text: string): Record<string, unknown> | undefined {
	const json = parseJson(text);
	if (isRecord(json)) return str(json.Code) || str(json.code) ? json : undefined;
	// Only a whole XML error document counts: a cut-off one is a broken answer, whatever it started with.
	if (!/^\s*(<\?xml[^>]*\?>\s*)?<Error>[\s\S]*<\/Error>\s*$/.test(text)) return undefined;
	const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
	const code = tag('Code');
	return code
		? {
				Code: code,
				Message: tag('Message'),
				RequestId: tag('RequestId'),
				HostId: tag('HostId'),
				Recommend: tag('Recommend'),
			}
		: undefined;
}

function apiError(
	fields: Record<string, unknown>,
	httpStatus: number,
	launchMayHaveHappened: boolean,
): CccCallError {
	const code = str(fields.Code) ?? str(fields.code);
	return new CccCallError({
		kind: 'api',
		code,
		message:
			str(fields.Message) ??
			str(fields.message) ??
			`CCC answered HTTP ${httpStatus} with Code ${code} and no message`,
		requestId: str(fields.RequestId) ?? str(fields.requestId),
		hostId: str(fields.HostId),
		recommend: str(fields.Recommend),
		httpStatus,
		launchMayHaveHappened,
	});
}

function badResponse(
	httpStatus: number,
	message: string,
	launchMayHaveHappened: boolean,
): CccCallError {
	return new CccCallError({ kind: 'bad-response', message, httpStatus, launchMayHaveHappened });
}

/**
 * One page of a CCC list answer (`Data.List`, `Data.TotalCount`): its rows (objects only) and whether
 * another page follows. Every CCC list action pages this way (PageNumber and PageSize 1-100).
 */
export function pageOfList(
	response: CccResponse,
	page: number,
	pageSize: number,
): { rows: Array<Record<string, unknown>>; more: boolean } {
	const data = isRecord(response.body.Data) ? response.body.Data : {};
	const rows = Array.isArray(data.List) ? data.List.filter(isRecord) : [];
	return { rows, more: morePages(rows.length, page, pageSize, data.TotalCount) };
}

/** Whether another page of a CCC list follows this one: it was full, and TotalCount (when given) says so. */
export function morePages(
	rowsOnPage: number,
	page: number,
	pageSize: number,
	totalCount: unknown,
): boolean {
	const total = Number(totalCount);
	return rowsOnPage === pageSize && (!Number.isFinite(total) || page * pageSize < total);
}

/** Turns a whole HTTP answer into a CCC success, or throws the CccCallError it stands for. */
export function interpretAnswer(
	answer: HttpAnswer,
	redact: (text: string) => string = (text) => text,
): CccResponse {
	const { status, text } = answer;
	if (status >= 300 && status < 400) {
		const where = answer.location ? ` to ${answer.location}` : '';
		throw badResponse(
			status,
			`The endpoint answered HTTP ${status} (a redirect${where}) instead of a CCC answer. CCC never redirects: check the credential’s Region or Custom Endpoint and any proxy. The request may have been carried out.`,
			true,
		);
	}
	if (status >= 400 || status < 200) {
		const serverError = status >= 500 || status < 200;
		const fields = errorFields(text);
		if (fields) throw apiError(fields, status, serverError);
		const outcome = serverError
			? 'The request may or may not have been carried out.'
			: 'The request was refused; nothing was carried out.';
		const what =
			parseJson(text) === undefined
				? 'an error whose body is not JSON (for example an HTML page from a proxy or gateway)'
				: 'JSON without a CCC error code';
		throw badResponse(
			status,
			`The endpoint answered HTTP ${status} with ${what}: ${excerpt(text, redact)}. ${outcome} Check the credential’s endpoint and any proxy or firewall between n8n and Alibaba Cloud.`,
			serverError,
		);
	}
	const parsed = parseJson(text);
	if (!isRecord(parsed)) {
		const what =
			parsed !== undefined
				? 'JSON that is not an object'
				: /^\s*</.test(text)
					? 'an HTML page (or other markup) instead of JSON (a proxy, captive portal or wrong endpoint?)'
					: `a body that is not valid JSON${text === '' ? ' (empty)' : ''}`;
		throw badResponse(
			status,
			`The endpoint answered HTTP ${status} with ${what}. The request may have been carried out.`,
			true,
		);
	}
	const code = str(parsed.Code);
	if (code !== undefined && code !== 'OK') {
		// CCC can carry its own status in the body (HttpStatusCode): a 5xx there means the action may have been carried out.
		const cccStatus = Number(parsed.HttpStatusCode) || status;
		throw apiError(parsed, cccStatus, cccStatus >= 500);
	}
	const serverTime = answer.date === undefined ? undefined : Date.parse(answer.date);
	return {
		body: parsed,
		requestId: str(parsed.RequestId) ?? '',
		httpStatus: status,
		serverTime: Number.isFinite(serverTime) ? serverTime : undefined,
	};
}

/** What a failure may have done, in the words of the action: only a launch can start anything on the call. */
function mayHaveBeenCarriedOut(action: string): string {
	return action === 'LaunchAuthentication'
		? 'The authentication may or may not have been launched; check the call.'
		: `This request only reads (${action}): nothing was launched; its answer was lost.`;
}

/** The CccCallError a transport failure stands for: what happened, and whether the action may have been carried out. */
export function failureFromTransport(
	failure: TransportFailure,
	endpoint: CccEndpoint,
	limits: TransportLimits,
	action: string,
): CccCallError {
	const where = endpointUrl(endpoint);
	const deadlineMs = limits.connectTimeoutMs + limits.readTimeoutMs;
	const details = (d: Omit<CccFailureDetails, 'httpStatus'>): CccCallError =>
		new CccCallError({ ...d, httpStatus: failure.status });
	if (failure.reason === 'blocked') {
		return details({
			kind: 'connect',
			code: 'SSRF_BLOCKED',
			message: `n8n's SSRF protection refused ${where}: ${failure.detail ?? 'the destination is restricted'} Nothing was sent. If this endpoint is meant to be reached (a VPC endpoint, a proxy, a private address), ask your n8n administrator to allow it with N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES.`,
			launchMayHaveHappened: false,
			notRetryable: true,
		});
	}
	if (failure.reason === 'aborted') {
		const sent = failure.phase !== 'not-sent';
		return details({
			kind: 'cancelled',
			message: sent
				? `Cancelled while the request was under way: the execution was stopped. ${mayHaveBeenCarriedOut(action)}`
				: 'Cancelled before the request was sent: the execution was stopped. Nothing was sent.',
			launchMayHaveHappened: sent,
		});
	}
	if (failure.phase === 'not-sent') {
		const certificate =
			failure.code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO/.test(failure.code);
		return details({
			kind: 'connect',
			message: certificate
				? `Cannot reach ${where}: its TLS certificate was not accepted (${failure.code}). Nothing was sent. Behind a TLS-inspecting proxy, give n8n the company CA with NODE_EXTRA_CA_CERTS.`
				: `Cannot reach ${where} (${failure.code ?? 'connection error'}). Nothing was sent. Check the credential’s Region or Custom Endpoint, the network and n8n's proxy settings (HTTP_PROXY, HTTPS_PROXY, NO_PROXY).`,
			launchMayHaveHappened: false,
			notRetryable:
				certificate ||
				failure.code === 'ERR_INVALID_CHAR' ||
				failure.code === 'ERR_INVALID_HTTP_TOKEN' ||
				failure.code === 'ERR_INVALID_URL',
		});
	}
	if (failure.phase === 'answered') {
		const why =
			failure.reason === 'too-large'
				? `a body of more than the ${limits.maxBytes} bytes a CCC answer can be; refused`
				: failure.reason === 'timeout'
					? `a body that did not arrive within ${deadlineMs} ms (Connect Timeout + Read Timeout; incomplete)`
					: `a body that was incomplete (${failure.code ?? 'connection closed'})`;
		const refused = failure.status !== undefined && failure.status >= 400 && failure.status < 500;
		const outcome = refused
			? 'The request was refused.'
			: action === 'LaunchAuthentication'
				? 'The endpoint handled the request: the authentication may have been launched; check the call.'
				: `This request only reads (${action}): nothing was launched.`;
		return details({
			kind: 'bad-response',
			message: `The endpoint answered HTTP ${failure.status} but with ${why}. ${outcome}`,
			launchMayHaveHappened: !refused,
		});
	}
	if (failure.reason === 'timeout') {
		return details({
			kind: 'no-response',
			message: `Timeout: no answer from ${where} within ${deadlineMs} ms (Connect Timeout + Read Timeout). n8n's network layer cannot tell a slow connection from a lost answer, so the request may have been sent. ${mayHaveBeenCarriedOut(action)}`,
			timeout: { which: 'read', afterMs: deadlineMs },
			launchMayHaveHappened: true,
		});
	}
	return details({
		kind: 'no-response',
		message: `The connection to ${where} failed (${failure.code ?? 'error'}) before any answer; the request may have been sent. ${mayHaveBeenCarriedOut(action)}`,
		launchMayHaveHappened: true,
	});
}
