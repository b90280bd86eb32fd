'use strict';

/**
 * ListInstances (CCC 2020-07-01): the fixture instances, paged. Read-only (the credential test uses it).
 * PageNumber and PageSize are required (checked by the pipeline, see index.js), 1..100.
 */

const { errorAnswer } = require('../errors');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').Answer} Answer
 * @typedef {import('../types').ActionResult} ActionResult
 */

/**
 * @param {Ctx} ctx
 * @param {string} name
 * @returns {{ value: number } | { answer: Answer }}
 */
function pagingParam(ctx, name) {
	const raw = ctx.params[name];
	if (!/^-?\d+$/.test(raw)) return { answer: errorAnswer(ctx, 400, `Invalid${name}`, `Specified parameter ${name} is not valid.`) };
	const value = Number(raw);
	if (value < 1) {
		return { answer: errorAnswer(ctx, 400, 'Parameter.Minimum', `The parameter ${name} must be greater than or equal to 1.`) };
	}
	if (value > 100) {
		return { answer: errorAnswer(ctx, 400, 'Parameter.Maximum', `The parameter ${name} must be less than or equal to 100.`) };
	}
	return { value };
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function listInstances(state, ctx) {
	const pn = pagingParam(ctx, 'PageNumber');
	if ('answer' in pn) return { ok: false, answer: pn.answer };
	const ps = pagingParam(ctx, 'PageSize');
	if ('answer' in ps) return { ok: false, answer: ps.answer };
	const all = state.fixtures.order.map((id) => {
		const info = /** @type {import('../fixtures').Instance} */ (state.fixtures.instances.get(id)).info;
		return {
			Id: info.Id,
			Name: info.Name,
			Description: info.Description,
			Status: info.Status || 'RUNNING',
			DomainName: info.DomainName,
			ConsoleUrl: info.ConsoleUrl,
			CreateTime: info.CreateTime,
			AliyunUid: info.AliyunUid,
			Owner: info.Owner,
			NumberList: [],
			AdminList: [],
		};
	});
	const start = (pn.value - 1) * ps.value;
	return {
		ok: true,
		obj: {
			RequestId: ctx.requestId,
			Code: 'OK',
			HttpStatusCode: 200,
			Data: {
				PageNumber: pn.value,
				PageSize: ps.value,
				TotalCount: all.length,
				List: all.slice(start, start + ps.value),
			},
		},
	};
}

module.exports = listInstances;
