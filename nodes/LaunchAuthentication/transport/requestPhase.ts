import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

import { disarmHttpxReadTimer } from './httpxReadTimer';

/**
 * How far one HTTP request got before it failed. Retrying is only safe when nothing reached the server,
 * i.e. no connection was ever established for it (refused, DNS failure, connect timeout).
 *
 * The Alibaba SDK gives no access to its sockets, so the phase is observed through Node's built-in
 * `http.client.request.start` diagnostics channel, scoped to one call with AsyncLocalStorage. The same hook
 * disarms the SDK's per-socket read timer once the answer is in (see httpxReadTimer.ts).
 */
export interface RequestPhase {
	/** A socket was connected for the request (or a kept-alive one was reused). */
	connected: boolean;
	/** The whole request was handed to the socket. */
	written: boolean;
	/** Once written, the socket's idle timeout becomes this (the SDK leaves it at the connect timeout). */
	readTimeoutMs: number;
}

const storage = new AsyncLocalStorage<RequestPhase>();
let subscribed = false;

function onRequestStart(message: unknown): void {
	const phase = storage.getStore();
	if (!phase) return;
	const request = (message as { request: ClientRequest }).request;
	request.once('socket', (socket: Socket) => {
		const markConnected = () => {
			phase.connected = true;
		};
		if (socket.connecting) socket.once('connect', markConnected);
		else markConnected();
	});
	request.once('finish', () => {
		phase.written = true;
		phase.connected = true;
		request.setTimeout(phase.readTimeoutMs);
	});
	// Success or error answer alike: once it has been read, the SDK's read timer must not outlive it.
	request.once('response', (response: IncomingMessage) => {
		const socket = response.socket;
		response.once('end', () => disarmHttpxReadTimer(socket));
	});
}

/** Runs `fn` (one SDK call) while recording the phase of the HTTP request it makes. */
export function withRequestPhase<T>(phase: RequestPhase, fn: () => Promise<T>): Promise<T> {
	if (!subscribed) {
		subscribe('http.client.request.start', onRequestStart);
		subscribed = true;
	}
	return storage.run(phase, fn);
}
