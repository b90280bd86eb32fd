'use strict';

/**
 * The answer of a read action from a pure module's result (directory.js, ivrTrace.js): `{ data }` in
 * Alibaba's envelope (RequestId, Code "OK", HttpStatusCode 200, Message "无" as in the API pages' examples,
 * Data), or `{ error: { status, code, message } }` as an Alibaba error body.
 */

const { errorAnswer } = require('../errors');

/**
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 * @typedef {{ data: unknown, error?: undefined } | { error: { status: number, code: string, message: string }, data?: undefined }} ModuleResult
 */

/**
 * @param {Ctx} ctx
 * @param {ModuleResult} result
 * @param {Record<string, unknown>} [extra] envelope members before Data (ListUsers' example: Params)
 * @returns {ActionResult}
 */
function readAnswer(ctx, result, extra = {}) {
	if (result.error) {
		const { status, code, message } = result.error;
		return { ok: false, answer: errorAnswer(ctx, status, code, message) };
	}
	return { ok: true, obj: { RequestId: ctx.requestId, Code: 'OK', HttpStatusCode: 200, Message: '无', ...extra, Data: result.data } };
}

module.exports = { readAnswer };
