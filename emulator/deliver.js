'use strict';

/**
 * Writing an answer to the client: JSON or raw bodies, streamed bodies (dripped, truncated, endless),
 * resets and stalls, after the emulator's latency.
 */

/**
 * @typedef {import('./types').State} State
 * @typedef {import('./types').Ctx} Ctx
 * @typedef {import('./types').Answer} Answer
 */

const JSON_TYPE = 'application/json;charset=utf-8';

/**
 * The body of a json or raw answer.
 * @param {Answer} answer
 * @returns {{ payload: Buffer, contentType: string }}
 */
function payloadOf(answer) {
	if (answer.kind === 'json') return { payload: Buffer.from(JSON.stringify(answer.obj), 'utf8'), contentType: JSON_TYPE };
	const body = answer.body === undefined ? '' : answer.body;
	return {
		payload: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
		contentType: answer.contentType || 'application/octet-stream',
	};
}

/**
 * setTimeout that emu.close() cancels.
 * @param {State} state
 * @param {number} ms
 * @param {() => void} fn
 */
function schedule(state, ms, fn) {
	const t = setTimeout(() => {
		state.timers.delete(t);
		fn();
	}, ms);
	if (typeof t.unref === 'function') t.unref();
	state.timers.add(t);
}

/**
 * Write a stream answer chunk by chunk: the next chunk once the previous one is handed to the socket
 * (so a client that stops reading stops the stream), after `intervalMs` if set. Stops as soon as the
 * response is closed (client gone) or the emulator is closed.
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Answer} answer
 */
function writeStream(state, req, res, answer) {
	const chunks = /** @type {Iterable<Buffer>} */ (answer.chunks)[Symbol.iterator]();
	state.streams.add(res);
	res.on('close', () => state.streams.delete(res));
	res.flushHeaders();
	const step = () => {
		if (res.destroyed || state.closed) return;
		const next = chunks.next();
		if (next.done) {
			if (answer.destroyAtEnd) req.socket.destroy();
			else res.end();
			return;
		}
		res.write(next.value, () => {
			if (answer.intervalMs) schedule(state, answer.intervalMs, step);
			else setImmediate(step);
		});
	};
	step();
}

/**
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Ctx} ctx
 * @param {Answer} answer
 */
function deliver(state, req, res, ctx, answer) {
	if (answer.kind === 'stall') {
		if (answer.destroyAfterMs !== undefined) schedule(state, answer.destroyAfterMs, () => req.socket.destroy());
		return;
	}
	const send = () => {
		if (res.destroyed || res.writableEnded) return;
		if (answer.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		/** @type {Record<string, string | number>} */
		const headers = { 'x-acs-request-id': ctx.requestId, ...answer.headers };
		if (answer.kind === 'stream') {
			headers['content-type'] = answer.contentType || JSON_TYPE;
			if (answer.contentLength !== undefined) headers['content-length'] = answer.contentLength;
			res.writeHead(answer.status, headers);
			writeStream(state, req, res, answer);
			return;
		}
		const { payload, contentType } = payloadOf(answer);
		res.writeHead(answer.status, { 'content-type': contentType, 'content-length': payload.length, ...headers });
		res.end(payload);
	};
	const delay = state.latencyMs + (answer.delayMs || 0);
	if (delay > 0) schedule(state, delay, send);
	else send();
}

module.exports = { deliver, payloadOf, schedule, JSON_TYPE };
