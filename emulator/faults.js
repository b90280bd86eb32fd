'use strict';

/**
 * Deterministic fault plans for the CCC emulator. See the table at the top of faultAnswers.js for what
 * each type does to the answer and whether the launch is carried out.
 *
 * Counting rules:
 * - A fault matches a request when its `action` (if set) equals the request's action and its
 *   `jobId` (if set) equals the request's JobId. Only authenticated requests that passed the
 *   gateway checks (signature, nonce, version, action, RAM) are ever matched.
 * - `latency` faults are modifiers: every matching one that fires adds its delayMs.
 * - The other faults are tried in array order; the first one that fires handles the request and
 *   the ones after it do not see (or count) that request.
 * - A fault counts the matching requests it sees (n = 1, 2, ...). It fires when
 *   (`every` unset or n % every === 0) and (`times` unset or it fired fewer than `times` times).
 */

/** @typedef {'latency'|'throttle'|'server-error'|'reset-before'|'reset-after'|'timeout'|'stall-before'|'malformed-json'|'html'|'ok-not-ok'|'no-data'|'huge'|'echo'|'truncated-2xx'|'drip-2xx'|'error-no-code'|'error-xml'|'redirect'|'huge-error'|'endless'|'bad-data'} FaultType */

/**
 * @typedef {object} Fault
 * @property {FaultType} type
 * @property {string} [action] only requests of this action (e.g. 'LaunchAuthentication')
 * @property {string} [jobId] only requests with this JobId
 * @property {number} [times] fire for the first N matching requests only (default: unlimited)
 * @property {number} [every] fire on every Nth matching request only
 * @property {number} [status] HTTP status (throttle 429, server-error 500, html 502, echo 400, error-no-code 400,
 *   error-xml 500, redirect 302, huge-error 500, endless 200)
 * @property {number} [delayMs] latency: added delay; timeout: answer after this long (default never);
 *   stall-before: destroy the socket after this long (default never); drip-2xx: pause between two pieces
 *   of the body (default 500); others: delay the answer
 * @property {boolean} [launched] server-error, echo, error-no-code, error-xml, huge-error, endless: carry out
 *   the launch before answering (default false)
 * @property {string} [code] ok-not-ok / server-error / throttle / huge-error: Code of the body
 * @property {string} [message] ok-not-ok / server-error / throttle / huge-error: Message of the body
 * @property {number} [bytes] huge: body size (default 5 MB); huge-error: body size (default 50 MB);
 *   truncated-2xx: body bytes sent before the socket is destroyed (default half); drip-2xx: bytes per piece (default 16)
 * @property {string} [body] error-no-code: the raw JSON body (default '{"message":"denied by WAF"}')
 * @property {unknown} [data] bad-data: what replaces Data (default {})
 * @property {string} [location] redirect: the Location header (default http://<Host>/login?from=ccc)
 */

/** @type {ReadonlyArray<FaultType>} */
const FAULT_TYPES = Object.freeze([
	'latency',
	'throttle',
	'server-error',
	'reset-before',
	'reset-after',
	'timeout',
	'stall-before',
	'malformed-json',
	'html',
	'ok-not-ok',
	'no-data',
	'huge',
	'echo',
	'truncated-2xx',
	'drip-2xx',
	'error-no-code',
	'error-xml',
	'redirect',
	'huge-error',
	'endless',
	'bad-data',
]);

/** Faults decided before the action runs: the launch never happens. */
const BEFORE_ACTION = new Set(['throttle', 'reset-before', 'stall-before', 'html', 'ok-not-ok']);

/** Faults decided before the action runs unless `launched: true` (then the launch happens first). */
const LAUNCH_OPTIONAL = new Set(['server-error', 'echo', 'error-no-code', 'error-xml', 'huge-error', 'endless']);

/** @type {ReadonlyArray<[keyof Fault, string]>} */
const OPTION_TYPES = [
	['launched', 'boolean'],
	['code', 'string'],
	['message', 'string'],
	['body', 'string'],
	['location', 'string'],
	['action', 'string'],
	['jobId', 'string'],
];

/**
 * @param {unknown} faults
 * @returns {Fault[]}
 */
function validateFaults(faults) {
	if (faults == null) return [];
	if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
	return faults.map((f, i) => {
		if (!f || typeof f !== 'object') throw new TypeError(`faults[${i}] must be an object`);
		const fault = /** @type {Fault} */ ({ ...f });
		if (!FAULT_TYPES.includes(fault.type)) {
			throw new TypeError(`faults[${i}].type must be one of ${FAULT_TYPES.join(', ')} (got ${String(fault.type)})`);
		}
		for (const k of /** @type {const} */ (['times', 'every', 'status', 'delayMs', 'bytes'])) {
			const v = fault[k];
			if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
				throw new TypeError(`faults[${i}].${k} must be a non-negative number`);
			}
		}
		if (fault.every !== undefined && fault.every < 1) throw new TypeError(`faults[${i}].every must be >= 1`);
		for (const [k, type] of OPTION_TYPES) {
			if (fault[k] !== undefined && typeof fault[k] !== type) throw new TypeError(`faults[${i}].${k} must be a ${type}`);
		}
		return fault;
	});
}

class FaultPlan {
	/**
	 * @param {unknown} [faults]
	 */
	constructor(faults) {
		/** @type {Fault[]} */
		this.faults = validateFaults(faults);
		/** @type {number[]} */
		this.seen = this.faults.map(() => 0);
		/** @type {number[]} */
		this.fired = this.faults.map(() => 0);
	}

	/** Forget the counters (the faults stay). */
	reset() {
		this.seen = this.faults.map(() => 0);
		this.fired = this.faults.map(() => 0);
	}

	/**
	 * @param {number} i
	 * @returns {boolean}
	 */
	tryFire(i) {
		const f = this.faults[i];
		const n = ++this.seen[i];
		if (f.every !== undefined && n % f.every !== 0) return false;
		if (f.times !== undefined && this.fired[i] >= f.times) return false;
		this.fired[i]++;
		return true;
	}

	/**
	 * Decide what happens to one authenticated request.
	 * @param {string} action
	 * @param {string | undefined} jobId
	 * @returns {{ fault: Fault | null, addedDelayMs: number }}
	 */
	decide(action, jobId) {
		let addedDelayMs = 0;
		/** @type {Fault | null} */
		let chosen = null;
		for (let i = 0; i < this.faults.length; i++) {
			const f = this.faults[i];
			if (f.action !== undefined && f.action !== action) continue;
			if (f.jobId !== undefined && f.jobId !== jobId) continue;
			if (f.type === 'latency') {
				if (this.tryFire(i)) addedDelayMs += f.delayMs || 0;
				continue;
			}
			if (chosen) continue;
			if (this.tryFire(i)) chosen = f;
		}
		return { fault: chosen, addedDelayMs };
	}
}

/**
 * @param {Fault} fault
 * @returns {boolean} true when the fault is decided before the action is carried out
 */
function isBeforeAction(fault) {
	if (LAUNCH_OPTIONAL.has(fault.type)) return !fault.launched;
	return BEFORE_ACTION.has(fault.type);
}

module.exports = { FAULT_TYPES, FaultPlan, validateFaults, isBeforeAction };
