'use strict';

/**
 * ListIvrTrackingDetails and GetIvrTrackingSummary (CCC 2020-07-01) over the emulator's trace store
 * (state.traces, see traces.js; the rows, scenarios and the "how the flow's end shows" rule are in
 * ivrTrace.js's header). Required parameters are checked by the pipeline first (actions/index.js, from
 * ivrTrace.REQUIRED).
 *
 * ListIvrTrackingDetails is the one handler that changes state: the first polls after a launch of
 * job-auth-throttled answer 429 Throttling.User (the Throttling fault's answer) and are counted.
 */

const { MSG, errorAnswer } = require('../errors');
const { readAnswer } = require('./envelope');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 */

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function listIvrTrackingDetails(state, ctx) {
	if (state.traces.takeThrottle(ctx.params.InstanceId, ctx.params.ContactId)) {
		return { ok: false, answer: errorAnswer(ctx, 429, 'Throttling.User', MSG.throttling) };
	}
	return readAnswer(ctx, state.traces.store.listIvrTrackingDetails(ctx.params));
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
const getIvrTrackingSummary = (state, ctx) => readAnswer(ctx, state.traces.store.getIvrTrackingSummary(ctx.params));

module.exports = { listIvrTrackingDetails, getIvrTrackingSummary };
