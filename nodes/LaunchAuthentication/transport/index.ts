import http from 'node:http';
import https from 'node:https';
import { TLSSocket } from 'node:tls';

import type { CccCredential } from '../../../credentials/cccCredential';
import { signCccAction } from '../../../credentials/signing';
import { failureFromTransport, interpretAnswer, type CccResponse } from './answer';

/**
 * The only place that talks HTTP. `sendHttp` sends one signed request and returns `{ status, text }`, or
 * fails with a TransportFailure that says how far the request got (`phase`); `cccRequest` signs, sends and
 * interprets one CCC action (answer.ts decides what an answer or a failure means).
 *
 * Timeouts, one of each:
 * - connect timeout: from the start until a connection (TCP, and TLS for https) is there. Nothing was sent.
 * - read timeout: from the moment the connection is there until the whole answer has arrived, body included.
 * Every answer body, success or error, is read up to `maxBytes`; a longer one is cut off and refused.
 */

/** How far a request got: nothing sent yet; sent but no answer status; the status line arrived. */
export type RequestPhase = 'connecting' | 'sent' | 'answered';

export type TransportFailureReason = 'connect-timeout' | 'read-timeout' | 'too-large' | 'aborted' | 'network';

export class TransportFailure extends Error {
	constructor(
		readonly phase: RequestPhase,
		readonly reason: TransportFailureReason,
		/** The system error code (ECONNREFUSED, ECONNRESET...), when there is one. */
		readonly code?: string,
		/** The answer's HTTP status, once it arrived. */
		readonly status?: number,
	) {
		super(`${reason} while ${phase}${code ? ` (${code})` : ''}`);
		this.name = 'TransportFailure';
	}
}

export interface HttpAnswer {
	status: number;
	location?: string;
	text: string;
}

export interface TransportLimits {
	connectTimeoutMs: number;
	readTimeoutMs: number;
	maxBytes: number;
}

export interface SignedHttpRequest {
	method: string;
	url: string;
	query: string;
	headers: Record<string, string>;
	body?: string;
}

/**
 * Keep-alive agents by endpoint origin, kept for the life of the process so that consecutive executions
 * reuse warm connections. An agent holds sockets, never keys: the signature is made per request.
 */
const agents = new Map<string, http.Agent>();

function agentFor(url: URL): http.Agent {
	let agent = agents.get(url.origin);
	if (!agent) {
		const options = { keepAlive: true, scheduling: 'lifo' as const };
		agent = url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
		agents.set(url.origin, agent);
	}
	return agent;
}

/** Sends one request; resolves with the whole answer, whatever its status, or rejects with a TransportFailure. */
export function sendHttp(request: SignedHttpRequest, limits: TransportLimits, signal?: AbortSignal): Promise<HttpAnswer> {
	return new Promise<HttpAnswer>((resolve, reject) => {
		let phase: RequestPhase = 'connecting';
		let status: number | undefined;
		let timer: NodeJS.Timeout | undefined;
		let settled = false;
		const url = new URL(request.query ? `${request.url}?${request.query}` : request.url);
		const body = request.body ?? '';
		const req = (url.protocol === 'https:' ? https : http).request(url, {
			method: request.method,
			headers: { ...request.headers, accept: 'application/json', 'content-length': String(Buffer.byteLength(body)) },
			agent: agentFor(url),
		});
		const finish = () => {
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		};
		const fail = (reason: TransportFailureReason, code?: string) => {
			if (settled) return;
			finish();
			req.destroy();
			reject(new TransportFailure(phase, reason, code, status));
		};
		const arm = (ms: number, reason: TransportFailureReason) => {
			clearTimeout(timer);
			timer = setTimeout(() => fail(reason), ms);
		};
		const onAbort = () => fail('aborted');
		const onConnected = () => {
			phase = 'sent';
			arm(limits.readTimeoutMs, 'read-timeout');
		};

		arm(limits.connectTimeoutMs, 'connect-timeout');
		signal?.addEventListener('abort', onAbort, { once: true });
		req.on('socket', (socket) => {
			if (!socket.connecting) return onConnected();
			socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', onConnected);
		});
		req.on('error', (error: NodeJS.ErrnoException) => fail('network', error.code));
		req.on('response', (res) => {
			phase = 'answered';
			status = res.statusCode ?? 0;
			const chunks: Buffer[] = [];
			let size = 0;
			res.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > limits.maxBytes) return fail('too-large');
				chunks.push(chunk);
			});
			res.on('error', (error: NodeJS.ErrnoException) => fail('network', error.code));
			res.on('close', () => {
				if (!res.complete) fail('network', 'ECONNRESET');
			});
			res.on('end', () => {
				if (settled) return;
				finish();
				resolve({ status: status!, location: res.headers.location, text: Buffer.concat(chunks).toString('utf8') });
			});
		});
		if (signal?.aborted) return fail('aborted');
		req.end(body);
	}).catch((error: unknown) => {
		// A request that could not even be made (an invalid header value, say): nothing was sent.
		throw error instanceof TransportFailure ? error : new TransportFailure('connecting', 'network', (error as NodeJS.ErrnoException).code ?? (error as Error).name);
	});
}

/** What a node needs to call CCC: the credential as read, and the limits of every request. */
export interface CccClient {
	credential: CccCredential;
	limits: TransportLimits;
	/** Aborted when the execution is cancelled: in-flight requests are cut off. */
	signal?: AbortSignal;
}

/** Signs, sends and interprets one CCC action; resolves with a CCC success answer or throws a CccCallError. */
export async function cccRequest(client: CccClient, action: string, parameters: Record<string, string>): Promise<CccResponse> {
	const signed = await signCccAction(client.credential, { action, parameters });
	let answer: HttpAnswer;
	try {
		answer = await sendHttp(signed, client.limits, client.signal);
	} catch (error) {
		throw failureFromTransport(error as TransportFailure, client.credential.endpoint, client.limits);
	}
	return interpretAnswer(answer);
}
