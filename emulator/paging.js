'use strict';

/**
 * Parameter checks and paging shared by the emulator's read actions (directory.js: ListInstances,
 * ListContactFlows, ListUsers; ivrTrace.js: ListIvrTrackingDetails, GetIvrTrackingSummary), and the error
 * shape of their pure results. No HTTP: actions/envelope.js turns a `{ error }` into Alibaba's error body.
 *
 * Errors (sources: emulator/NOTES.md):
 *   Missing<Name> 400 "<Name> is mandatory for this action."  (POP naming, as the rest of the emulator)
 *   Parameter.Minimum / Parameter.Maximum 400 (paging outside 1-100; ListUsers' table)
 *   a PageNumber / PageSize that is not an integer: the action's own answer (`notInteger`): Invalid<Name>
 *   for the directory lists, Parameter.Format for ListIvrTrackingDetails
 */

/**
 * @typedef {{ status: number, code: string, message: string }} ApiError
 * @typedef {{ PageNumber: number, PageSize: number, TotalCount: number, List: any[] }} Page
 * @typedef {{ data: Page, error?: undefined } | { error: ApiError, data?: undefined }} ListResult
 * @typedef {Record<string, string | undefined>} Params
 */

const PAGE_MIN = 1;
const PAGE_MAX = 100;

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {{ error: ApiError }}
 */
function fail(status, code, message) {
	return { error: { status, code, message } };
}

/**
 * The first required parameter that is absent or empty, as a Missing<Name> error; null when all are there.
 * @param {ReadonlyArray<string>} names
 * @param {Params} params
 * @returns {{ error: ApiError } | null}
 */
function checkRequired(names, params) {
	for (const name of names) {
		if (params[name] === undefined || params[name] === '') {
			return fail(400, `Missing${name}`, `${name} is mandatory for this action.`);
		}
	}
	return null;
}

/**
 * PageNumber and PageSize, each an integer 1-100.
 * @param {Params} params
 * @param {(name: string) => { error: ApiError }} notInteger the action's answer for a value that is not an integer
 * @returns {{ pageNumber: number, pageSize: number, error?: undefined } | { error: ApiError }}
 */
function parsePaging(params, notInteger) {
	/** @type {number[]} */
	const values = [];
	for (const name of ['PageNumber', 'PageSize']) {
		const raw = String(params[name] ?? '').trim();
		if (!/^[+-]?\d+$/.test(raw)) return notInteger(name);
		const value = Number(raw);
		if (value < PAGE_MIN) {
			return fail(400, 'Parameter.Minimum', `The parameter ${name} must be greater than or equal to ${PAGE_MIN}.`);
		}
		if (value > PAGE_MAX) {
			return fail(400, 'Parameter.Maximum', `The parameter ${name} must be less than or equal to ${PAGE_MAX}.`);
		}
		values.push(value);
	}
	return { pageNumber: values[0], pageSize: values[1] };
}

/**
 * @param {any[]} all
 * @param {number} pageNumber
 * @param {number} pageSize
 * @returns {Page}
 */
function pageOf(all, pageNumber, pageSize) {
	const start = (pageNumber - 1) * pageSize;
	return { PageNumber: pageNumber, PageSize: pageSize, TotalCount: all.length, List: all.slice(start, start + pageSize) };
}

module.exports = { fail, checkRequired, parsePaging, pageOf };
