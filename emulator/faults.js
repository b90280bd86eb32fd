'use strict';

/**
 * Deterministic fault plans for the CCC emulator. See the table at the top of server.js for what
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

/** @typedef {'latency'|'throttle'|'server-error'|'reset-before'|'reset-after'|'timeout'|'stall-before'|'malformed-json'|'html'|'ok-not-ok'|'no-data'|'huge'} FaultType */

/**
 * @typedef {object} Fault
 * @property {FaultType} type
 * @property {string} [action] only requests of this action (e.g. 'LaunchAuthentication')
 * @property {string} [jobId] only requests with this JobId
 * @property {number} [times] fire for the first N matching requests only (default: unlimited)
 * @property {number} [every] fire on every Nth matching request only
 * @property {number} [status] HTTP status (throttle: 429, server-error: 500, html: 502)
 * @property {number} [delayMs] latency: added delay; timeout: answer after this long (default never);
 *   stall-before: destroy the socket after this long (default never); others: delay the answer
 * @property {boolean} [launched] server-error only: carry out the launch before failing (default false)
 * @property {string} [code] ok-not-ok / server-error / throttle: Code of the body
 * @property {string} [message] ok-not-ok / server-error / throttle: Message of the body
 * @property {number} [bytes] huge only: body size in bytes (default 5 MB)
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
]);

/**
 * Faults decided before the action runs (the launch never happens), unless noted.
 * server-error is here unless `launched: true`.
 */
const BEFORE_ACTION = new Set(['throttle', 'reset-before', 'stall-before', 'html', 'ok-not-ok']);

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
	if (fault.type === 'server-error') return !fault.launched;
	return BEFORE_ACTION.has(fault.type);
}

module.exports = { FAULT_TYPES, FaultPlan, validateFaults, isBeforeAction };
