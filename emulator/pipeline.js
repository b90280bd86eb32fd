'use strict';

/**
 * The emulator's request pipeline: one HTTP request in, one Answer out (deliver.js writes it), and one
 * record in the request log (never tokens or signatures: business parameters only).
 *
 * What it checks, in this order (first failure answers):
 *   1. HTTP method GET/POST, path '/', parsable query and body.
 *   2. Authentication (verify.js), V3 only (Authorization: ACS3-HMAC-SHA256 ...): access key known, required
 *      headers present, SignedHeaders cover host, content-type and every x-acs-* header, timestamp within 15
 *      minutes, x-acs-content-sha256 equal to the body hash, signature, nonce not used in the last 15
 *      minutes, STS token. An RPC V1 (HMAC-SHA1) signed request is refused (Emulator.V3SignatureOnly).
 *   3. Version 2020-07-01, action known (actions/index.js), RAM permission of the key.
 *   4. Fault injection (only authenticated, accepted requests are ever matched): faults.js decides,
 *      faultAnswers.js answers (the table of fault types is there).
 *   5. The action's required parameters, then the action itself (actions/*.js) against the fixtures
 *      (fixtures.js: LaunchAuthentication), the seeded directory (directory.js: ListInstances,
 *      ListContactFlows, ListUsers) or the IVR traces (traces.js over ivrTrace.js: ListIvrTrackingDetails,
 *      GetIvrTrackingSummary).
 *   6. A request answered as `launched` (a LaunchAuthentication carried out, faults included) starts the
 *      call's IVR trace (traces.js).
 * Error codes and messages: errors.js. Writing the answer: deliver.js.
 */

const crypto = require('node:crypto');

const { MSG, errorAnswer } = require('./errors');
const { verifyRequest, headerValue } = require('./verify');
const { findAction, runAction } = require('./actions');
const { isBeforeAction } = require('./faults');
const { faultAnswer } = require('./faultAnswers');
const { deliver } = require('./deliver');

/**
 * @typedef {import('./types').AccessKey} AccessKey
 * @typedef {import('./types').Ctx} Ctx
 * @typedef {import('./types').Answer} Answer
 * @typedef {import('./types').State} State
 * @typedef {import('./types').RequestRecord} RequestRecord
 */

const API_VERSION = '2020-07-01';

/** Parameters that are not business parameters (never logged). */
const COMMON_PARAMS = new Set([
	'Action',
	'Version',
	'Format',
	'AccessKeyId',
	'SignatureMethod',
	'SignatureVersion',
	'SignatureNonce',
	'SignatureType',
	'Signature',
	'Timestamp',
	'SecurityToken',
	'BearerToken',
]);

/**
 * Decode an application/x-www-form-urlencoded / query string into pairs (throws URIError).
 * @param {string} raw
 * @returns {Array<[string, string]>}
 */
function parsePairs(raw) {
	/** @type {Array<[string, string]>} */
	const pairs = [];
	if (!raw) return pairs;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const k = eq < 0 ? part : part.slice(0, eq);
		const v = eq < 0 ? '' : part.slice(eq + 1);
		pairs.push([decodeURIComponent(k.replace(/\+/g, '%20')), decodeURIComponent(v.replace(/\+/g, '%20'))]);
	}
	return pairs;
}

/**
 * Fill ctx.queryPairs and ctx.params from the query, then the form or JSON body.
 * @param {Ctx} ctx
 * @returns {Answer | null} an error answer when they cannot be parsed
 */
function parseParams(ctx) {
	try {
		ctx.queryPairs = parsePairs(ctx.rawQuery);
	} catch {
		return errorAnswer(ctx, 400, 'InvalidParameter', 'The query string is not well formed.');
	}
	for (const [k, v] of ctx.queryPairs) ctx.params[k] = v;
	const contentType = String(headerValue(ctx.headers['content-type']) || '').toLowerCase();
	if (ctx.body.length === 0) return null;
	try {
		if (contentType.startsWith('application/x-www-form-urlencoded')) {
			for (const [k, v] of parsePairs(ctx.body.toString('utf8'))) ctx.params[k] = v;
		} else if (contentType.startsWith('application/json')) {
			const parsed = JSON.parse(ctx.body.toString('utf8'));
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
				for (const [k, v] of Object.entries(parsed)) {
					ctx.params[k] = typeof v === 'string' ? v : JSON.stringify(v);
				}
			}
		}
	} catch {
		return errorAnswer(ctx, 400, 'InvalidParameter', 'The request body is not well formed.');
	}
	return null;
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer}
 */
function processRequest(state, ctx) {
	if (ctx.signatureVersion === 'v3') ctx.action = String(headerValue(ctx.headers['x-acs-action']) || '');
	if (ctx.method !== 'GET' && ctx.method !== 'POST') {
		return errorAnswer(ctx, 400, 'UnsupportedHTTPMethod', MSG.httpMethod);
	}
	const parseError = parseParams(ctx);
	if (parseError) return parseError;
	// Without an Authorization header (V1-signed or unsigned: refused below), the Action parameter names it in the log.
	if (ctx.signatureVersion === 'v1') ctx.action = ctx.params.Action || '';
	if (ctx.pathname !== '/') return errorAnswer(ctx, 404, 'InvalidAction.NotFound', MSG.actionNotFound);

	const authError = verifyRequest(state, ctx);
	if (authError) return authError;
	const key = /** @type {AccessKey} */ (ctx.accessKey);

	const version = String(headerValue(ctx.headers['x-acs-version']));
	if (version !== API_VERSION) return errorAnswer(ctx, 400, 'InvalidVersion', 'Specified parameter Version is not valid.');
	const spec = findAction(ctx.action);
	if (!spec) return errorAnswer(ctx, 404, 'InvalidAction.NotFound', MSG.actionNotFound);
	if (key.permissions && !key.permissions.includes('*') && !key.permissions.includes(ctx.action)) {
		return errorAnswer(ctx, 403, 'Forbidden.RAM', MSG.forbiddenRam);
	}

	const { fault, addedDelayMs } = state.faults.decide(ctx.action, ctx.params.JobId);
	/** @type {Answer} */
	let answer;
	if (fault && isBeforeAction(fault)) {
		answer = faultAnswer(ctx, fault, null, null);
	} else {
		const result = runAction(spec, state, ctx);
		/** @type {Answer} */
		const normal = result.ok ? { kind: 'json', status: 200, obj: result.obj, outcome: 'ok', launched: spec.launches } : result.answer;
		answer = fault ? faultAnswer(ctx, fault, normal, result) : normal;
	}
	if (answer.launched) state.traces.recordLaunch(ctx.params);
	return addedDelayMs ? { ...answer, delayMs: (answer.delayMs || 0) + addedDelayMs } : answer;
}

/**
 * @param {Record<string, string>} params
 * @returns {Record<string, string>}
 */
function businessParams(params) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const k of Object.keys(params)) if (!COMMON_PARAMS.has(k)) out[k] = params[k];
	return out;
}

/**
 * @param {State} state
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {number} at
 * @param {Buffer | null} body null when too large
 */
function handle(state, req, res, at, body) {
	const rawUrl = req.url || '/';
	const q = rawUrl.indexOf('?');
	/** @type {Ctx} */
	const ctx = {
		at,
		requestId: crypto.randomUUID().toUpperCase(),
		method: String(req.method || 'GET').toUpperCase(),
		host: String(req.headers.host || ''),
		headers: req.headers,
		pathname: q < 0 ? rawUrl : rawUrl.slice(0, q),
		rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
		body: body || Buffer.alloc(0),
		signatureVersion: req.headers.authorization ? 'v3' : 'v1',
		action: '',
		queryPairs: [],
		params: {},
		accessKey: null,
	};
	/** @type {Answer} */
	let answer;
	if (body === null) {
		answer = errorAnswer(ctx, 413, 'RequestEntityTooLarge', 'The request body is too large.');
	} else {
		try {
			answer = processRequest(state, ctx);
		} catch (e) {
			answer = errorAnswer(ctx, 500, 'InternalError', `${MSG.internalError} (emulator: ${e instanceof Error ? e.message : String(e)})`);
		}
	}

	/** @type {RequestRecord} */
	const record = {
		at,
		action: ctx.action,
		params: businessParams(ctx.params),
		signatureVersion: ctx.signatureVersion,
		outcome: answer.outcome,
		status: answer.status,
		launched: answer.launched,
		remotePort: req.socket.remotePort,
		delayMs: state.latencyMs + (answer.delayMs || 0),
	};
	state.log.push(record);
	if (state.logLine) {
		state.logLine(
			`${new Date(at).toISOString()} ${record.action || '-'} ${record.signatureVersion} ${record.status || '---'} ${record.outcome}` +
				`${record.launched ? ' launched' : ''} ${JSON.stringify(record.params)}`,
		);
	}
	deliver(state, req, res, ctx, answer);
}

module.exports = { handle, API_VERSION };
