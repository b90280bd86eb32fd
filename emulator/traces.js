'use strict';

/**
 * The running emulator's IVR traces: ivrTrace.js's trace store on the wall clock (Date.now), fed by every
 * LaunchAuthentication that is carried out (`launched`), and the emulated throttling of the
 * job-auth-throttled scenario.
 *
 *   - Launches: the pipeline (pipeline.js) calls recordLaunch(params) for every request recorded as
 *     `launched` (faults that carry the launch out included: truncated-2xx, timeout, ...), at Date.now().
 *   - Step: `stepMs`, the time the caller spends in each node of a scenario (startEmulator option
 *     `traceStepMs`, default 1000; emu.setTraceStepMs(ms)). setStepMs() starts a fresh store: the launches
 *     recorded before are forgotten, as by reset().
 *   - Throttling: a scenario's `throttleFirstPolls` (job-auth-throttled: 2) = after each launch of that job,
 *     its first N ListIvrTrackingDetails requests that reach the action (authenticated, accepted, no fault
 *     before the action, required parameters present) answer 429 Throttling.User. Each launch restarts the
 *     count; a launch of a job without throttling ends any count left for it.
 */

const { createTraceStore } = require('./ivrTrace');
const { SCENARIOS } = require('./ivrScenarios');

const DEFAULT_TRACE_STEP_MS = 1000;

/**
 * @param {string} instanceId
 * @param {string} jobId
 * @returns {string}
 */
const callKey = (instanceId, jobId) => `${instanceId}\u0000${jobId}`;

class Traces {
	/** @param {number} [stepMs] default 1000 */
	constructor(stepMs = DEFAULT_TRACE_STEP_MS) {
		/** @type {ReturnType<typeof createTraceStore>} */
		this.store = createTraceStore({ now: () => Date.now(), stepMs });
		/** @type {Map<string, number>} throttled polls left, by call */
		this.throttles = new Map();
	}

	/** @returns {number} */
	get stepMs() {
		return this.store.stepMs;
	}

	/**
	 * A fresh store with that step (RangeError unless a positive number); recorded launches are forgotten.
	 * @param {number} ms
	 */
	setStepMs(ms) {
		this.store = createTraceStore({ now: () => Date.now(), stepMs: ms });
		this.throttles.clear();
	}

	/**
	 * A LaunchAuthentication that was carried out, with its request parameters.
	 * @param {Record<string, string>} params
	 */
	recordLaunch(params) {
		const { scenario } = this.store.recordLaunch({
			instanceId: params.InstanceId,
			jobId: params.JobId,
			contactFlowId: params.ContactFlowId,
			contactFlowVariables: params.ContactFlowVariables,
			at: Date.now(),
		});
		const polls = Object.prototype.hasOwnProperty.call(SCENARIOS, scenario) ? SCENARIOS[scenario].throttleFirstPolls : 0;
		const key = callKey(params.InstanceId, params.JobId);
		if (polls > 0) this.throttles.set(key, polls);
		else this.throttles.delete(key);
	}

	/**
	 * Whether this trace poll is throttled; counts it when it is.
	 * @param {string} instanceId
	 * @param {string} contactId
	 * @returns {boolean}
	 */
	takeThrottle(instanceId, contactId) {
		const key = callKey(instanceId, contactId);
		const left = this.throttles.get(key);
		if (!left) return false;
		if (left > 1) this.throttles.set(key, left - 1);
		else this.throttles.delete(key);
		return true;
	}

	/** Forgets every launch and throttle count. */
	reset() {
		this.store.reset();
		this.throttles.clear();
	}
}

module.exports = { Traces, DEFAULT_TRACE_STEP_MS };
