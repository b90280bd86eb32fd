'use strict';

/**
 * The CCC actions the emulator answers: one file per action, one row per action here.
 *
 * A row: handler(state, ctx) -> ActionResult (pure: it computes the answer, nothing else; "launched"
 * is recorded by the pipeline from `launches`), requiredParams (absent or empty -> 400 Missing<Name>,
 * checked before the handler runs, after fault injection), launches (a successful call starts the IVR
 * flow: counted by emu.launchCount()).
 */

const { missing } = require('../errors');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 * @typedef {{ handler: (state: State, ctx: Ctx) => ActionResult, requiredParams: ReadonlyArray<string>, launches: boolean }} ActionSpec
 */

/** @type {Readonly<Record<string, Readonly<ActionSpec>>>} */
const ACTIONS = Object.freeze({
	LaunchAuthentication: { handler: require('./launchAuthentication'), requiredParams: ['ContactFlowId', 'InstanceId', 'JobId'], launches: true },
	ListInstances: { handler: require('./listInstances'), requiredParams: ['PageNumber', 'PageSize'], launches: false },
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
