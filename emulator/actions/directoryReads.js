'use strict';

/**
 * ListInstances, ListContactFlows, ListUsers (CCC 2020-07-01): one-line handlers over emulator/directory.js
 * (its header has the documented parameters, fields and errors). Required parameters are checked by the
 * pipeline first (actions/index.js, from directory.REQUIRED). The directory is the seeded one (2 instances,
 * 8 contact flows, 251 agents) whatever the emulator's `fixtures` option holds.
 *
 * ListInstances is read-only and cheap: the credential test uses it (PageNumber 1, PageSize 1).
 */

const directory = require('../directory');
const { readAnswer } = require('./envelope');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 * @typedef {(state: State, ctx: Ctx) => ActionResult} Handler
 */

/** @type {Handler} */
const listInstances = (_state, ctx) => readAnswer(ctx, directory.listInstances(ctx.params));
/** @type {Handler} */
const listContactFlows = (_state, ctx) => readAnswer(ctx, directory.listContactFlows(ctx.params));
/** ListUsers' JSON example also carries "Params": ["无"]. @type {Handler} */
const listUsers = (_state, ctx) => readAnswer(ctx, directory.listUsers(ctx.params), { Params: ['无'] });

module.exports = { listInstances, listContactFlows, listUsers };
