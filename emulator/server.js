'use strict';

/**
 * Local emulator of the Alibaba Cloud Contact Center (CCC) OpenAPI endpoint, version 2020-07-01,
 * for tests, benchmarks and demos. Node built-ins only. This file: the HTTP server and the public API;
 * the request pipeline (what is checked, in which order) is pipeline.js, the log's counters requestLog.js.
 *
 *   const { startEmulator } = require('./emulator/server');
 *   const emu = await startEmulator({ port: 0 });
 *   // ... call emu.endpoint with DEFAULT_ACCESS_KEYS[0] ...
 *   await emu.close();
 */

const http = require('node:http');
const https = require('node:https');

const { DEFAULT_ACCESS_KEYS, copyAccessKeys } = require('./accessKeys');
const { loadFixtures, addJobs } = require('./fixtures');
const { LAUNCHABLE_JOBS } = require('./ivrScenarios');
const { Traces, DEFAULT_TRACE_STEP_MS } = require('./traces');
const { NonceStore } = require('./nonceStore');
const { FaultPlan } = require('./faults');
const { handle, API_VERSION } = require('./pipeline');
const requestLog = require('./requestLog');

/**
 * @typedef {import('./types').AccessKey} AccessKey
 * @typedef {import('./types').State} State
 * @typedef {import('./types').RequestRecord} RequestRecord
 */

const MAX_BODY_BYTES = 1024 * 1024;

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
			return requestLog.launchCount(state.log, jobId);
		},
		maxRequestsInWindow(windowMs = 1000, action = 'LaunchAuthentication') {
			return requestLog.maxRequestsInWindow(state.log, windowMs, action);
		},
		requestCount(action) {
			return requestLog.requestCount(state.log, action);
		},
		requestsByAction() {
			return requestLog.requestsByAction(state.log);
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
