'use strict';

/**
 * Local emulator of the Alibaba Cloud Contact Center (CCC) OpenAPI endpoint, version 2020-07-01,
 * for tests, benchmarks and demos. Node built-ins only. This file: the HTTP server, the request
 * pipeline and the public API.
 *
 *   const { startEmulator } = require('./emulator/server');
 *   const emu = await startEmulator({ port: 0 });
 *   // ... call emu.endpoint with DEFAULT_ACCESS_KEYS[0] ...
 *   await emu.close();
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

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');

const { DEFAULT_ACCESS_KEYS, copyAccessKeys } = require('./accessKeys');
const { loadFixtures, addJobs } = require('./fixtures');
const { LAUNCHABLE_JOBS } = require('./ivrScenarios');
const { Traces, DEFAULT_TRACE_STEP_MS } = require('./traces');
const { NonceStore } = require('./nonceStore');
const { MSG, errorAnswer } = require('./errors');
const { verifyRequest, headerValue } = require('./verify');
const { findAction, runAction } = require('./actions');
const { FaultPlan, isBeforeAction } = require('./faults');
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
const MAX_BODY_BYTES = 1024 * 1024;

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

/* ------------------------------------------------------------------------------------------ */
/* Request pipeline                                                                           */
/* ------------------------------------------------------------------------------------------ */

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
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
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

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {object} EmulatorOptions
 * @property {number} [port] default 0 (any free port)
 * @property {string} [host] default '127.0.0.1'
 * @property {string | Record<string, any>} [fixtures] fixtures object, or path of a JSON file (default emulator/fixtures.json)
 * @property {AccessKey[]} [accessKeys] replaces DEFAULT_ACCESS_KEYS
 * @property {import('./faults').Fault[]} [faults]
 * @property {number} [latencyMs] delay added to every answer
 * @property {((line: string) => void) | boolean} [log] one line per request (true: console.error)
 * @property {() => number} [now] clock for timestamp checks (ms since epoch), default Date.now
 * @property {{ key: string | Buffer, cert: string | Buffer }} [tls] serve HTTPS with this PEM key and
 *   certificate chain (default: plain HTTP); `endpoint` then starts with https://
 * @property {number} [traceStepMs] IVR traces: time the caller spends in each node of a scenario after a
 *   launch (ms, > 0), default 1000 (DEFAULT_TRACE_STEP_MS); the traces always run on Date.now
 */

/**
 * @typedef {object} Emulator
 * @property {string} endpoint e.g. 'http://127.0.0.1:8787' (https://... with the tls option)
 * @property {string} host
 * @property {number} port
 * @property {http.Server} server
 * @property {ReadonlyArray<Readonly<AccessKey>>} accessKeys
 * @property {RequestRecord[]} requests log of every request received (cleared by reset())
 * @property {(jobId?: string) => number} launchCount
 * @property {(windowMs?: number, action?: string | null) => number} maxRequestsInWindow most requests of
 *   `action` arriving within any `windowMs` (default 1000): action omitted = LaunchAuthentication (as ever),
 *   null or '*' = every request, whatever its action or outcome
 * @property {(action?: string | null) => number} requestCount requests received for `action` (omitted,
 *   null or '*' = all), whatever their outcome (since reset())
 * @property {() => Record<string, number>} requestsByAction requests received per action ('' for a
 *   request without one), since reset()
 * @property {number} traceStepMs the IVR traces' current step (read-only; setTraceStepMs changes it)
 * @property {(ms: number) => void} setTraceStepMs a fresh trace store with that step (RangeError unless
 *   ms > 0): launches recorded before are forgotten
 * @property {() => number} maxInFlight most requests received and not yet answered at one time (since reset())
 * @property {() => number} activeStreams answers still being streamed (drip-2xx, huge, huge-error, endless...)
 * @property {(faults: import('./faults').Fault[] | null | undefined) => void} setFaults
 * @property {(ms: number) => void} setLatency
 * @property {() => void} reset clears the log, the nonces, the fault counters, maxInFlight and the IVR
 *   traces (recorded launches, throttle counts); keeps the faults, the latency and the trace step
 * @property {() => Promise<void>} close
 */

/**
 * @param {string | null | undefined} action
 * @returns {boolean} the action filter means every request
 */
const isAll = (action) => action === null || action === undefined || action === '*';

/**
 * @param {State} state
 * @param {number} windowMs
 * @param {string | null | undefined} action
 * @returns {number}
 */
function maxRequestsInWindow(state, windowMs, action) {
	const times = state.log
		.filter((r) => isAll(action) || r.action === action)
		.map((r) => r.at)
		.sort((a, b) => a - b);
	let best = 0;
	let lo = 0;
	for (let hi = 0; hi < times.length; hi++) {
		while (times[hi] - times[lo] >= windowMs) lo++;
		if (hi - lo + 1 > best) best = hi - lo + 1;
	}
	return best;
}

/**
 * @param {State} state
 * @param {{ key: string | Buffer, cert: string | Buffer } | undefined} tls HTTPS with this key and certificate
 * @returns {http.Server}
 */
function createServer(state, tls) {
	/** @type {http.RequestListener} */
	const listener = (req, res) => {
		const at = Date.now();
		state.inFlight++;
		if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight;
		res.on('close', () => {
			state.inFlight--;
		});
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => handle(state, req, res, at, size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
		req.on('error', () => {});
	};
	const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
	server.keepAliveTimeout = 30000;
	server.on('clientError', (_err, socket) => socket.destroy());
	return server;
}

/**
 * Start the emulator.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
async function startEmulator(options = {}) {
	const keys = copyAccessKeys(options.accessKeys);
	/** @type {((line: string) => void) | null} */
	let logLine = null;
	if (typeof options.log === 'function') logLine = options.log;
	else if (options.log === true) logLine = (line) => console.error(line);

	/** @type {State} */
	const state = {
		keys: new Map(keys.map((k) => [k.accessKeyId, k])),
		fixtures: loadFixtures(options.fixtures),
		faults: new FaultPlan(options.faults),
		latencyMs: Math.max(0, Number(options.latencyMs) || 0),
		nonces: new NonceStore(),
		log: [],
		now: options.now || Date.now,
		logLine,
		timers: new Set(),
		streams: new Set(),
		closed: false,
		inFlight: 0,
		maxInFlight: 0,
		traces: new Traces(options.traceStepMs === undefined ? DEFAULT_TRACE_STEP_MS : options.traceStepMs),
	};
	addJobs(state.fixtures, 'ccc-test', LAUNCHABLE_JOBS);
	const server = createServer(state, options.tls);

	const host = options.host || '127.0.0.1';
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port === undefined ? 0 : options.port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const port = address.port;
	const urlHost = host.includes(':') ? `[${host}]` : host;

	/** @type {Emulator} */
	const emu = {
		endpoint: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
		host,
		port,
		server,
		accessKeys: Object.freeze(keys.map((k) => Object.freeze({ ...k }))),
		get requests() {
			return state.log;
		},
		launchCount(jobId) {
			let n = 0;
			for (const r of state.log) {
				if (r.launched && r.action === 'LaunchAuthentication' && (jobId === undefined || r.params.JobId === jobId)) n++;
			}
			return n;
		},
		maxRequestsInWindow(windowMs = 1000, action = 'LaunchAuthentication') {
			return maxRequestsInWindow(state, windowMs, action);
		},
		requestCount(action) {
			return state.log.filter((r) => isAll(action) || r.action === action).length;
		},
		requestsByAction() {
			/** @type {Map<string, number>} */
			const counts = new Map();
			for (const r of state.log) counts.set(r.action, (counts.get(r.action) || 0) + 1);
			return Object.fromEntries(counts);
		},
		get traceStepMs() {
			return state.traces.stepMs;
		},
		setTraceStepMs(ms) {
			state.traces.setStepMs(ms);
		},
		maxInFlight() {
			return state.maxInFlight;
		},
		activeStreams() {
			return state.streams.size;
		},
		setFaults(faults) {
			state.faults = new FaultPlan(faults);
		},
		setLatency(ms) {
			state.latencyMs = Math.max(0, Number(ms) || 0);
		},
		reset() {
			state.log.length = 0;
			state.maxInFlight = state.inFlight;
			state.nonces.clear();
			state.faults.reset();
			state.traces.reset();
		},
		async close() {
			if (state.closed) return;
			state.closed = true;
			for (const t of state.timers) clearTimeout(t);
			state.timers.clear();
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
	return emu;
}

module.exports = {
	startEmulator,
	DEFAULT_ACCESS_KEYS,
	DEFAULT_TRACE_STEP_MS,
	API_VERSION,
	loadFixtures,
};
