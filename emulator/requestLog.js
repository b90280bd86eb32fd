'use strict';

/**
 * Counting in the emulator's request log (`emu.requests`): launches, requests by action, the most arrivals
 * within a time window. An action filter of null, undefined or '*' means every request.
 */

/**
 * @typedef {import('./types').RequestRecord} RequestRecord
 */

/**
 * @param {string | null | undefined} action
 * @returns {boolean} the action filter means every request
 */
const isAll = (action) => action === null || action === undefined || action === '*';

/**
 * @param {ReadonlyArray<RequestRecord>} log
 * @param {number} windowMs
 * @param {string | null | undefined} action
 * @returns {number} most requests of `action` arriving within any `windowMs`
 */
function maxRequestsInWindow(log, windowMs, action) {
	const times = log
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
 * @param {ReadonlyArray<RequestRecord>} log
 * @param {string} [jobId] none: every job
 * @returns {number} LaunchAuthentication requests carried out (of that job)
 */
function launchCount(log, jobId) {
	let n = 0;
	for (const r of log) {
		if (r.launched && r.action === 'LaunchAuthentication' && (jobId === undefined || r.params.JobId === jobId)) n++;
	}
	return n;
}

/**
 * @param {ReadonlyArray<RequestRecord>} log
 * @param {string | null} [action]
 * @returns {number} requests of that action, whatever their outcome
 */
function requestCount(log, action) {
	return log.filter((r) => isAll(action) || r.action === action).length;
}

/**
 * @param {ReadonlyArray<RequestRecord>} log
 * @returns {Record<string, number>} requests per action ('' for a request without one)
 */
function requestsByAction(log) {
	/** @type {Map<string, number>} */
	const counts = new Map();
	for (const r of log) counts.set(r.action, (counts.get(r.action) || 0) + 1);
	return Object.fromEntries(counts);
}

module.exports = { maxRequestsInWindow, launchCount, requestCount, requestsByAction };
