'use strict';

/**
 * How each fault answers. Faults are set with the option `faults` or emu.setFaults(); which request a
 * fault fires on is decided by faults.js (counting rules there). "launched" = the LaunchAuthentication
 * was carried out (the IVR flow would have started), as recorded in emu.requests[i].launched and
 * counted by emu.launchCount().
 *
 * | type           | what the client sees                                                  | launched  |
 * |----------------|-----------------------------------------------------------------------|-----------|
 * | latency        | the normal answer, delayed by delayMs (adds up; also `latencyMs`)     | as normal |
 * | throttle       | HTTP 429 (or `status`), Code Throttling.User                           | no        |
 * | server-error   | HTTP 500 InternalError, or `status: 503` ServiceUnavailable           | `launched` option, default no |
 * | reset-before   | socket destroyed before the action (ECONNRESET / socket hang up)       | no        |
 * | reset-after    | the launch is carried out, then the socket is destroyed                | yes*      |
 * | timeout        | the launch is carried out, then no answer (or the real answer after    | yes*      |
 * |                | delayMs, long past the client's timeout)                              |           |
 * | stall-before   | no answer at all (socket destroyed after delayMs if given)             | no        |
 * | malformed-json | HTTP 200, application/json, truncated body '{"RequestId":"..","Data":{' | yes*     |
 * | html           | HTTP 502 (or `status`) text/html page, as a proxy would send           | no        |
 * | ok-not-ok      | HTTP 200 JSON with Code 'Busy' (or `code`), no Data                    | no        |
 * | no-data        | HTTP 200 JSON with Code 'OK' but no Data                               | yes*      |
 * | huge           | HTTP 200 JSON answer padded to `bytes` (default 5 MB), still valid     | yes*      |
 * | echo           | HTTP 400 (or `status`) Alibaba-shaped error whose Code, Message,       | `launched` option, default no |
 * |                | RequestId, HostId and Recommend all carry the request's AccessKeyId    |           |
 * |                | and STS token (raw, percent-encoded once and twice): a hostile or      |           |
 * |                | buggy endpoint or proxy                                                |           |
 * | truncated-2xx  | HTTP 200, Content-Length of the whole valid answer, then the socket is | yes*      |
 * |                | destroyed after `bytes` of the body (default half)                     |           |
 * | drip-2xx       | HTTP 200, headers at once, then the valid body `bytes` (default 16) at | yes*      |
 * |                | a time every `delayMs` (default 500 ms): longer than a read timeout    |           |
 * | error-no-code  | HTTP `status` (default 400) JSON without Code: `body`, a raw string    | `launched` option, default no |
 * |                | such as '{}', '[]', 'null' (default '{"message":"denied by WAF"}')    |           |
 * | error-xml      | HTTP `status` (default 500), text/xml, a partial (unparseable) XML body | `launched` option, default no |
 * | redirect       | HTTP 302 (or `status`), Location `location` (default                  | no        |
 * |                | http://<Host>/login?from=ccc), body: the action's valid success JSON   |           |
 * | huge-error     | HTTP `status` (default 500) JSON error (`code`, `message`) padded to   | `launched` option, default no |
 * |                | `bytes` (default 50 MB), streamed in 64 kB chunks                      |           |
 * | endless        | HTTP `status` (default 200), headers, then body bytes forever (until   | `launched` option, default no |
 * |                | the client closes, or emu.close())                                     |           |
 * | bad-data       | HTTP 200 JSON Code 'OK' with Data replaced by `data` (default {})      | yes*      |
 *
 *   yes* = when the request itself was valid (the action would have succeeded); a fault never turns
 *   an invalid request (unknown job, missing parameter...) into a launch. The faults built on the
 *   action's answer (truncated-2xx, drip-2xx, redirect, bad-data, no-data, huge) use its error body
 *   when the request was invalid.
 *   Common fault fields: action, jobId (filters), times (first N matching requests), every (every
 *   Nth matching request), delayMs (delays the answer, except where the table says otherwise).
 * All faults are applied after the gateway checks (authentication, version, action, RAM), so a forged
 * or unsigned request never triggers nor counts for one (reset-before / stall-before / html included).
 */

const http = require('node:http');

const sig = require('./signature');
const { MSG, errorAnswer } = require('./errors');
const { payloadOf, JSON_TYPE } = require('./deliver');
const { requestToken } = require('./verify');

/**
 * @typedef {import('./types').State} State
 * @typedef {import('./types').Ctx} Ctx
 * @typedef {import('./types').Answer} Answer
 * @typedef {import('./types').ActionResult} ActionResult
 * @typedef {import('./faults').Fault} Fault
 * @typedef {import('./faults').FaultType} FaultType
 * @typedef {{ ctx: Ctx, f: Fault, normal: Answer | null, obj: Record<string, unknown> }} FaultInput
 *   normal: the answer the action gave (null for a fault decided before the action);
 *   obj: its JSON body ({} before the action)
 * @typedef {Omit<Answer, 'outcome' | 'launched'> & { outcome?: string, launched?: boolean }} FaultBody
 *   outcome and launched are set by faultAnswer()
 */

/** Faults that are never a launch, whatever the action did: a client must not take them for success. */
const NEVER_LAUNCHED = new Set(['redirect']);

const DEFAULT_HUGE_BYTES = 5 * 1024 * 1024;
const DEFAULT_HUGE_ERROR_BYTES = 50 * 1024 * 1024;
const DEFAULT_DRIP_MS = 500;
const DEFAULT_DRIP_BYTES = 16;
const DEFAULT_NO_CODE_BODY = '{"message":"denied by WAF"}';
const CHUNK_BYTES = 64 * 1024;
const FILLER = Buffer.alloc(CHUNK_BYTES, 'x');

/**
 * @param {number} status
 * @returns {string}
 */
function htmlPage(status) {
	const title = `${status} ${http.STATUS_CODES[status] || 'Error'}`;
	return (
		'<html>\r\n<head><title>' +
		title +
		'</title></head>\r\n<body>\r\n<center><h1>' +
		title +
		'</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n'
	);
}

/**
 * `bytes` of filler, in chunks of at most 64 kB (Infinity: forever).
 * @param {number} bytes
 * @returns {Generator<Buffer>}
 */
function* filler(bytes) {
	for (let left = bytes; left > 0; left -= CHUNK_BYTES) yield left >= CHUNK_BYTES ? FILLER : FILLER.subarray(0, left);
}

/**
 * A JSON object padded (with a "Padding" string member) to `bytes`, as a stream answer.
 * @param {Record<string, unknown>} obj
 * @param {number} status
 * @param {number} bytes
 * @returns {FaultBody}
 */
function paddedJson(obj, status, bytes) {
	const base = Buffer.from(JSON.stringify({ ...obj, Padding: '' }), 'utf8');
	const pad = Math.max(0, bytes - base.length);
	// base ends with "} (the Padding's closing quote and the object's brace): the filler goes before them.
	const chunks = (function* () {
		yield base.subarray(0, base.length - 2);
		yield* filler(pad);
		yield base.subarray(base.length - 2);
	})();
	return { kind: 'stream', status, contentType: JSON_TYPE, contentLength: base.length + pad, chunks };
}

/**
 * @param {Buffer} payload
 * @param {number} size
 * @returns {Buffer[]}
 */
function pieces(payload, size) {
	/** @type {Buffer[]} */
	const out = [];
	for (let i = 0; i < payload.length; i += size) out.push(payload.subarray(i, i + size));
	return out;
}

/**
 * The body a "Code OK" fault sends: the action's body with Code 'OK', and Data replaced (undefined: removed).
 * @param {Record<string, unknown>} obj
 * @param {unknown} data
 * @returns {Record<string, unknown>}
 */
function okBody(obj, data) {
	const body = { ...obj, Code: 'OK', HttpStatusCode: typeof obj.HttpStatusCode === 'number' ? 200 : '200', Data: data };
	if (data === undefined) delete body.Data;
	return body;
}

/**
 * @param {Ctx} ctx
 * @param {Fault} f
 * @param {number} defaultStatus
 * @returns {Answer}
 */
function serverError(ctx, f, defaultStatus = 500) {
	const status = f.status || defaultStatus;
	const code = f.code || (status === 503 ? 'ServiceUnavailable' : 'InternalError');
	const message = f.message || (status === 503 ? MSG.serviceUnavailable : MSG.internalError);
	return errorAnswer(ctx, status, code, message);
}

/**
 * What a hostile or buggy endpoint might send back: the request's AccessKeyId and STS token in every field.
 * @param {Ctx} ctx
 * @param {Fault} f
 * @returns {FaultBody}
 */
function echoAnswer(ctx, f) {
	const id = ctx.accessKey ? ctx.accessKey.accessKeyId : String(ctx.params.AccessKeyId || '');
	const token = requestToken(ctx);
	const who = token ? `${id}:${token}` : id;
	const once = sig.percentEncode(who);
	const twice = sig.percentEncode(once);
	return {
		kind: 'json',
		status: f.status || 400,
		obj: {
			RequestId: `${ctx.requestId}:${who}`,
			HostId: `${ctx.host}:${who}`,
			Code: `Echo.${who}`,
			Message: `Request of ${who} refused (as sent: ${once}; as signed: ${twice}).`,
			Recommend: `https://api.aliyun.com/troubleshoot?q=${once}&product=CCC&requestId=${twice}`,
		},
	};
}

/** @type {Record<Exclude<FaultType, 'latency'>, (x: FaultInput) => FaultBody>} */
const ANSWER_TABLE = {
	throttle: ({ ctx, f }) => errorAnswer(ctx, f.status || 429, f.code || 'Throttling.User', f.message || MSG.throttling),
	'server-error': ({ ctx, f }) => serverError(ctx, f),
	'reset-before': () => ({ kind: 'reset', status: 0 }),
	'reset-after': () => ({ kind: 'reset', status: 0 }),
	'stall-before': ({ f }) => ({ kind: 'stall', status: 0, delayMs: 0, destroyAfterMs: f.delayMs }),
	timeout: ({ f, normal }) => (f.delayMs !== undefined && normal ? normal : { kind: 'stall', status: 0 }),
	'malformed-json': ({ ctx }) => ({ kind: 'raw', status: 200, contentType: JSON_TYPE, body: `{"RequestId":"${ctx.requestId}","Data":{` }),
	html: ({ f }) => ({ kind: 'raw', status: f.status || 502, contentType: 'text/html', body: htmlPage(f.status || 502) }),
	'ok-not-ok': ({ ctx, f }) => ({
		kind: 'json',
		status: 200,
		obj: {
			RequestId: ctx.requestId,
			Code: f.code || 'Busy',
			Message: f.message || 'The system is busy, please try again later.',
			HttpStatusCode: 200,
		},
	}),
	'no-data': ({ obj }) => ({ kind: 'json', status: 200, obj: okBody(obj, undefined) }),
	'bad-data': ({ obj, f }) => ({ kind: 'json', status: 200, obj: okBody(obj, f.data === undefined ? {} : f.data) }),
	huge: ({ obj, f }) => paddedJson(obj, 200, f.bytes === undefined ? DEFAULT_HUGE_BYTES : f.bytes),
	'huge-error': ({ ctx, f }) => {
		const err = serverError(ctx, f);
		return paddedJson(/** @type {Record<string, unknown>} */ (err.obj), err.status, f.bytes === undefined ? DEFAULT_HUGE_ERROR_BYTES : f.bytes);
	},
	echo: ({ ctx, f }) => echoAnswer(ctx, f),
	'truncated-2xx': ({ normal, f }) => {
		const { payload } = payloadOf(/** @type {Answer} */ (normal));
		const sent = Math.min(payload.length - 1, f.bytes === undefined ? Math.floor(payload.length / 2) : f.bytes);
		return { kind: 'stream', status: 200, contentLength: payload.length, chunks: [payload.subarray(0, sent)], destroyAtEnd: true };
	},
	'drip-2xx': ({ normal, f }) => {
		const { payload } = payloadOf(/** @type {Answer} */ (normal));
		const intervalMs = f.delayMs === undefined ? DEFAULT_DRIP_MS : f.delayMs;
		const chunks = pieces(payload, Math.max(1, f.bytes || DEFAULT_DRIP_BYTES));
		return { kind: 'stream', status: 200, contentLength: payload.length, chunks, intervalMs, delayMs: 0 };
	},
	'error-no-code': ({ f }) => ({
		kind: 'raw',
		status: f.status || 400,
		contentType: JSON_TYPE,
		body: f.body === undefined ? DEFAULT_NO_CODE_BODY : f.body,
	}),
	'error-xml': ({ ctx, f }) => ({
		kind: 'raw',
		status: f.status || 500,
		contentType: 'text/xml',
		body:
			'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
			`  <RequestId>${ctx.requestId}</RequestId>\n  <HostId>${ctx.host}</HostId>\n  <Code>InternalError</Code>\n` +
			'  <Message>The request processing has failed due to some unknown',
	}),
	redirect: ({ ctx, f, obj }) => ({
		kind: 'json',
		status: f.status || 302,
		obj,
		headers: { location: f.location || `http://${ctx.host || '127.0.0.1'}/login?from=ccc` },
	}),
	endless: ({ ctx, f }) => ({
		kind: 'stream',
		status: f.status || 200,
		chunks: (function* () {
			yield Buffer.from(`{"RequestId":"${ctx.requestId}","Code":"OK","Data":"`, 'utf8');
			yield* filler(Infinity);
		})(),
	}),
};
const ANSWERS = Object.freeze(ANSWER_TABLE);

/**
 * The answer of a fault that fired.
 * @param {Ctx} ctx
 * @param {Fault} f
 * @param {Answer | null} normal the action's answer; null when the fault is decided before the action
 * @param {ActionResult | null} result the action's result; null before the action
 * @returns {Answer}
 */
function faultAnswer(ctx, f, normal, result) {
	/** @type {Record<string, unknown>} */
	const obj = result ? /** @type {Record<string, unknown>} */ (result.ok ? result.obj : result.answer.obj) : {};
	const answer = ANSWERS[/** @type {Exclude<FaultType, 'latency'>} */ (f.type)]({ ctx, f, normal, obj });
	return {
		delayMs: f.delayMs || 0,
		...answer,
		outcome: `fault:${f.type}`,
		launched: Boolean(normal && normal.launched && !NEVER_LAUNCHED.has(f.type)),
	};
}

module.exports = { faultAnswer, htmlPage, DEFAULT_HUGE_BYTES, DEFAULT_HUGE_ERROR_BYTES };
