import type { Readable } from 'node:stream';
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { SignedCccRequest } from '../../../credentials/signing';

/**
 * Sends one signed request through n8n's own request helpers and reads its answer within the limits.
 *
 * n8n owns the network: its helpers (n8n 2.x, @n8n/backend-network) apply the outbound proxy
 * (HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY), SSRF protection and TLS settings (NODE_EXTRA_CA_CERTS),
 * exactly as for the HTTP Request node. This file makes no agent and no socket of its own.
 *
 * What can be known through the helper, and how each case is read:
 * - A failure with a code that only arises before any byte of the request leaves (DNS failure, connection
 *   refused, no route, TLS certificate rejected, an invalid header, an SSRF block): nothing was sent.
 * - Any other failure before the answer's status, including the deadline (the helper has one timeout for
 *   connecting and waiting, so a slow connect cannot be told from a lost answer): the request may have been
 *   sent. This is the safe reading: such a request is not repeated unless the user opted in.
 * - Once the status has arrived, the body is read as a stream up to `maxBytes` and within the deadline.
 */

/** How far a request got: nothing sent; maybe sent, no answer status; the status line arrived. */
export type RequestPhase = 'not-sent' | 'sent' | 'answered';

export type TransportFailureReason = 'timeout' | 'too-large' | 'aborted' | 'blocked' | 'network';

export class TransportFailure extends Error {
	constructor(
		readonly phase: RequestPhase,
		readonly reason: TransportFailureReason,
		/** The system error code (ECONNREFUSED, ECONNRESET...), when there is one. */
		readonly code?: string,
		/** The answer's HTTP status, once it arrived. */
		readonly status?: number,
		/** For a block by n8n's SSRF protection: what n8n said. */
		readonly detail?: string,
	) {
		super(`${reason} while ${phase}${code ? ` (${code})` : ''}`);
		this.name = 'TransportFailure';
	}
}

export interface HttpAnswer {
	status: number;
	location?: string;
	/** The answer's Date header: the server's clock, to the second. */
	date?: string;
	text: string;
}

export interface TransportLimits {
	/** Time allowed to connect. The helper cannot tell connecting from waiting: it is part of the deadline. */
	connectTimeoutMs: number;
	/** Time allowed for the answer. The whole answer, body included, must arrive within connect + read. */
	readTimeoutMs: number;
	maxBytes: number;
}

/** A signed request as credentials/signing.ts makes it, with the body whose hash was signed, if any. */
export type HttpRequest = SignedCccRequest & { body?: string };

/** An answer whose status and headers arrived and whose body is still to be read. */
export interface StreamedAnswer {
	statusCode: number;
	headers: Record<string, unknown>;
	body: Readable;
}

/** One request through n8n's network layer, answered as a stream whatever its status. */
export type SendThroughN8n = (
	request: HttpRequest,
	deadlineSignal: AbortSignal,
	timeoutMs: number,
) => Promise<StreamedAnswer>;

/** What an execute or load-options context offers (`this.helpers`). */
export interface N8nRequestHelpers {
	httpRequest(options: IHttpRequestOptions): Promise<unknown>;
}

/** What a credential-test context offers (`this.helpers`): n8n's legacy request, same network layer. */
export interface N8nLegacyRequestHelpers {
	request(options: object): Promise<unknown>;
}

function fullUrl(request: HttpRequest): string {
	return request.query ? `${request.url}?${request.query}` : request.url;
}

/** Through `helpers.httpRequest` (nodes and pickers): streamed, every status, no redirect followed, abortable. */
export function sendWithHttpRequest(helpers: N8nRequestHelpers): SendThroughN8n {
	return async (request, signal, timeoutMs) =>
		(await helpers.httpRequest({
			method: request.method as IHttpRequestOptions['method'],
			url: fullUrl(request),
			headers: { ...request.headers, accept: 'application/json' },
			body: request.body || undefined,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			abortSignal: signal,
			timeout: timeoutMs,
		})) as StreamedAnswer;
}

/** Through the credential-test context's `helpers.request` (n8n's legacy request over the same network layer). */
export function sendWithLegacyRequest(helpers: N8nLegacyRequestHelpers): SendThroughN8n {
	return async (request, _signal, timeoutMs) =>
		(await helpers.request({
			method: request.method,
			uri: fullUrl(request),
			headers: { ...request.headers, accept: 'application/json' },
			body: request.body || undefined,
			json: false,
			useStream: true,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			followAllRedirects: false,
			timeout: timeoutMs,
		})) as StreamedAnswer;
}

/**
 * Failures that arise before any byte of the request leaves n8n: name resolution, the TCP connection, the
 * TLS handshake (a request is written only once it is done), a header Node refuses to send.
 */
const NOT_SENT_CODES = new Set([
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'ECONNREFUSED',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENETDOWN',
	'EADDRNOTAVAIL',
	'ERR_INVALID_CHAR',
	'ERR_INVALID_HTTP_TOKEN',
	'ERR_INVALID_URL',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_UNTRUSTED',
	'CERT_REJECTED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The error code of a failure, looking into its causes (axios and proxy agents wrap them). */
function errorCode(error: unknown, depth = 0): string | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	const { code, cause } = error as { code?: unknown; cause?: unknown };
	if (
		typeof code === 'string' &&
		code !== 'ERR_BAD_RESPONSE' &&
		code !== 'ERR_BAD_REQUEST' &&
		code !== 'ERR_CANCELED'
	)
		return code;
	return errorCode(cause, depth + 1);
}

/** n8n's SSRF protection refused the destination (SsrfBlockedIpError / SsrfBlockedHostnameError). */
function ssrfBlock(error: unknown, depth = 0): string | undefined {
	if (!error || typeof error !== 'object' || depth > 4) return undefined;
	const { name, message, description, cause } = error as {
		name?: unknown;
		message?: unknown;
		description?: unknown;
		cause?: unknown;
	};
	if (typeof name === 'string' && name.startsWith('SsrfBlocked'))
		return [message, description].filter((s) => typeof s === 'string').join(' ');
	return ssrfBlock(cause, depth + 1);
}

/** A failure before the answer's status, read as safely as the helper allows. */
function failureBeforeStatus(
	error: unknown,
	timedOut: boolean,
	cancelled: boolean,
): TransportFailure {
	if (error instanceof TransportFailure) return error;
	const blocked = ssrfBlock(error);
	if (blocked !== undefined)
		return new TransportFailure('not-sent', 'blocked', undefined, undefined, blocked);
	if (cancelled) return new TransportFailure('sent', 'aborted');
	if (timedOut) return new TransportFailure('sent', 'timeout');
	const code = errorCode(error);
	if (code && NOT_SENT_CODES.has(code)) return new TransportFailure('not-sent', 'network', code);
	return new TransportFailure(
		'sent',
		'network',
		code ?? (error instanceof Error ? error.name : undefined),
	);
}

/** Reads a streamed body up to `maxBytes`; rejects with a TransportFailure in the 'answered' phase. */
function readBody(
	answer: StreamedAnswer,
	maxBytes: number,
	signal: AbortSignal,
	onStop: () => TransportFailureReason,
): Promise<string> {
	const status = answer.statusCode;
	const stream = answer.body;
	return new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let settled = false;
		const fail = (reason: TransportFailureReason, code?: string) => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			stream.destroy();
			reject(new TransportFailure('answered', reason, code, status));
		};
		const onAbort = () => fail(onStop());
		if (signal.aborted) return onAbort();
		signal.addEventListener('abort', onAbort, { once: true });
		stream.on('data', (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			size += buffer.length;
			if (size > maxBytes) return fail('too-large');
			chunks.push(buffer);
		});
		// The helper destroys the stream itself when the signal aborts: that is the deadline or Stop, not a reset.
		stream.on('error', (error: NodeJS.ErrnoException) =>
			signal.aborted ? fail(onStop()) : fail('network', error.code ?? 'ECONNRESET'),
		);
		stream.on('close', () => {
			if (!(stream as Readable & { complete?: boolean }).complete && stream.readableEnded !== true)
				fail('network', 'ECONNRESET');
		});
		stream.on('end', () => {
			if (settled) return;
			settled = true;
			signal.removeEventListener('abort', onAbort);
			resolve(Buffer.concat(chunks).toString('utf8'));
		});
	});
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
	return new Promise<never>((_resolve, reject) => {
		const stop = () => reject(new Error('aborted'));
		if (signal.aborted) return stop();
		signal.addEventListener('abort', stop, { once: true });
	});
}

/**
 * Sends one request and resolves with the whole answer, whatever its status, or rejects with a
 * TransportFailure saying how far it got. The execution's `signal` (Stop) cuts it off at any point.
 */
export async function sendHttp(
	send: SendThroughN8n,
	request: HttpRequest,
	limits: TransportLimits,
	signal?: AbortSignal,
): Promise<HttpAnswer> {
	if (signal?.aborted) throw new TransportFailure('not-sent', 'aborted');
	const deadlineMs = limits.connectTimeoutMs + limits.readTimeoutMs;
	const controller = new AbortController();
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort();
	}, deadlineMs);
	const onCancel = () => controller.abort();
	signal?.addEventListener('abort', onCancel, { once: true });
	const cancelled = () => signal?.aborted === true;
	try {
		let answer: StreamedAnswer;
		const sending = send(request, controller.signal, deadlineMs);
		try {
			// Raced with the deadline and Stop: a helper that does not take a signal (the credential test's) is not waited for.
			answer = await Promise.race([sending, rejectOnAbort(controller.signal)]);
		} catch (error) {
			// An answer that arrives after all is dropped unread.
			sending.then(
				(late) => late.body.destroy(),
				() => undefined,
			);
			throw failureBeforeStatus(error, timedOut, cancelled());
		}
		if (controller.signal.aborted) {
			// The status arrived as the deadline or Stop came: the answer is not read, but it did arrive.
			answer.body.destroy();
			throw new TransportFailure(
				'answered',
				cancelled() ? 'aborted' : 'timeout',
				undefined,
				answer.statusCode,
			);
		}
		const text = await readBody(answer, limits.maxBytes, controller.signal, () =>
			cancelled() ? 'aborted' : 'timeout',
		);
		const { location, date } = answer.headers;
		return {
			status: answer.statusCode,
			location: typeof location === 'string' ? location : undefined,
			date: typeof date === 'string' ? date : undefined,
			text,
		};
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onCancel);
	}
}
