'use strict';

/**
 * The CCC actions the emulator answers: one file per action (or, for one-line handlers over a pure module,
 * one file per module: directoryReads.js over directory.js, ivrTracking.js over ivrTrace.js), one row per
 * action here.
 *
 * A row: handler(state, ctx) -> ActionResult (it computes the answer and changes nothing, except
 * ListIvrTrackingDetails, which counts the throttled polls of job-auth-throttled; "launched" is recorded by
 * the pipeline from `launches`, which also starts the call's IVR trace), requiredParams (absent or empty ->
 * 400 Missing<Name>, checked in this order before the handler runs, after fault injection), launches (a
 * successful call starts the IVR flow: counted by emu.launchCount(), traced by ListIvrTrackingDetails).
 */

const { missing } = require('../errors');
const directory = require('../directory');
const ivrTrace = require('../ivrTrace');
const { listInstances, listContactFlows, listUsers } = require('./directoryReads');
const { listIvrTrackingDetails, getIvrTrackingSummary } = require('./ivrTracking');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 * @typedef {{ handler: (state: State, ctx: Ctx) => ActionResult, requiredParams: ReadonlyArray<string>, launches: boolean }} ActionSpec
 */

/** @type {Readonly<Record<string, Readonly<ActionSpec>>>} */
const ACTIONS = Object.freeze({
	LaunchAuthentication: { handler: require('./launchAuthentication'), requiredParams: ['ContactFlowId', 'InstanceId', 'JobId'], launches: true },
	ListInstances: { handler: listInstances, requiredParams: directory.REQUIRED.ListInstances, launches: false },
	ListContactFlows: { handler: listContactFlows, requiredParams: directory.REQUIRED.ListContactFlows, launches: false },
	ListUsers: { handler: listUsers, requiredParams: directory.REQUIRED.ListUsers, launches: false },
	ListIvrTrackingDetails: { handler: listIvrTrackingDetails, requiredParams: ivrTrace.REQUIRED.ListIvrTrackingDetails, launches: false },
	GetIvrTrackingSummary: { handler: getIvrTrackingSummary, requiredParams: ivrTrace.REQUIRED.GetIvrTrackingSummary, launches: false },
});

/**
 * @param {string} name
 * @returns {Readonly<ActionSpec> | undefined}
 */
function findAction(name) {
	return Object.prototype.hasOwnProperty.call(ACTIONS, name) ? ACTIONS[name] : undefined;
}

/**
 * Check the required parameters, then run the handler.
 * @param {Readonly<ActionSpec>} spec
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function runAction(spec, state, ctx) {
	for (const name of spec.requiredParams) {
		const v = ctx.params[name];
		if (v === undefined || v === '') return { ok: false, answer: missing(ctx, name) };
	}
	return spec.handler(state, ctx);
}

module.exports = { ACTIONS, findAction, runAction };
