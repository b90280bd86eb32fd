'use strict';

/**
 * The rows of an IVR trace (ListIvrTrackingDetails' IvrTracking items, fields in the documented order) built
 * from a scenario's steps at a time `t`: a run's rows (a step entered and not yet left has neither LeaveTime
 * nor NodeExitCode), the rows of a call's history, and the ChannelVariables string "A=B;C=D".
 * Sources and the documented fields: ivrTrace.js's header and emulator/NOTES.md.
 */

const { AUTH_FLOW_ID, getContactFlow } = require('./contactFlows');
const { nodeId } = require('./stableIds');

/**
 * @typedef {import('./ivrScenarios').Step} Step
 * @typedef {import('./ivrScenarios').HistoryStep} HistoryStep
 * @typedef {{ Instance: string, Callee: string, EnterTime: number, NodeVariables: Record<string, unknown>,
 *   NodeExitCode?: string, FlowName: string, FlowId: string, NodeProperties: Record<string, unknown>,
 *   NodeType: string, Caller: string, NodeName: string, ContactId: string, LeaveTime?: number,
 *   ChannelVariables: string, ChannelId: string, NodeId: string }} IvrTracking
 */

/**
 * "A=B;C=D". The docs do not say how `;` or `=` in a value are written: they are percent-encoded here.
 * @param {Map<string, string>} vars
 * @returns {string}
 */
function formatChannelVariables(vars) {
	const enc = (/** @type {string} */ s) => s.replace(/[%;=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return [...vars].map(([k, v]) => `${enc(k)}=${enc(v)}`).join(';');
}

/**
 * @param {string} text "A=B;C=D"
 * @returns {Record<string, string>}
 */
function parseChannelVariables(text) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const part of String(text || '').split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0) out[decodeURIComponent(part.slice(0, eq))] = decodeURIComponent(part.slice(eq + 1));
	}
	return out;
}

/**
 * ContactFlowVariables of LaunchAuthentication (a JSON object, or its string) as channel variables.
 * @param {unknown} value
 * @returns {Map<string, string>}
 */
function flowVariables(value) {
	let obj = value;
	if (typeof obj === 'string') {
		try {
			obj = JSON.parse(obj);
		} catch {
			obj = undefined;
		}
	}
	/** @type {Map<string, string>} */
	const vars = new Map();
	if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
		for (const [k, v] of Object.entries(obj)) vars.set(k, typeof v === 'string' ? v : JSON.stringify(v));
	}
	return vars;
}

/**
 * @typedef {{ instanceId: string, jobId: string, caller: string, callee: string, channelId: string }} CallInfo
 * @typedef {{ flowId: string, key: string, enter: number, leave: number | undefined, exit: string | undefined,
 *   vars: Record<string, string> | undefined, channel: Map<string, string> }} RowSpec
 */

/** @type {Map<string, ReturnType<typeof getContactFlow>>} */
const flowCache = new Map();

/**
 * The directory's flow (flows never change: looked up once).
 * @param {string} flowId
 */
function flowOf(flowId) {
	if (!flowCache.has(flowId)) flowCache.set(flowId, getContactFlow(flowId));
	return flowCache.get(flowId);
}

/**
 * @param {CallInfo} call
 * @param {RowSpec} r
 * @returns {IvrTracking}
 */
function makeRow(call, r) {
	const flow = flowOf(r.flowId);
	// Scenario nodes are those of the PIN verification flow unless the launched flow has that node.
	const template = flow && flow.nodes.some((n) => n.key === r.key) ? flow : flowOf(AUTH_FLOW_ID);
	const node = template && template.nodes.find((n) => n.key === r.key);
	if (!node) throw new Error(`ivrTrace: no node ${r.key} in flow ${r.flowId}`);
	/** @type {IvrTracking} */
	const row = {
		Instance: call.instanceId,
		Callee: call.callee,
		EnterTime: r.enter,
		NodeVariables: r.exit === undefined ? {} : { ...(r.vars || {}) },
		NodeExitCode: r.exit,
		FlowName: flow ? flow.Name : r.flowId,
		FlowId: r.flowId,
		NodeProperties: structuredClone(node.properties || {}),
		NodeType: node.type,
		Caller: call.caller,
		NodeName: node.name,
		ContactId: call.jobId,
		LeaveTime: r.leave,
		ChannelVariables: formatChannelVariables(r.channel),
		ChannelId: call.channelId,
		NodeId: nodeId(r.flowId, r.key),
	};
	if (row.NodeExitCode === undefined) delete row.NodeExitCode;
	if (row.LeaveTime === undefined) delete row.LeaveTime;
	return row;
}

/**
 * The rows of one run visible at time `t`.
 * @param {{ at: number, flowId: string, vars: Map<string, string>, script: Step[] }} run
 * @param {number} end the next run's launch time (Infinity: none)
 * @param {number} t
 * @param {number} stepMs
 * @returns {RowSpec[]}
 */
function runRows(run, end, t, stepMs) {
	/** @type {RowSpec[]} */
	const rows = [];
	const channel = new Map(run.vars);
	run.script.forEach((step, k) => {
		const enter = run.at + k * stepMs;
		if (enter > t || enter >= end) return;
		const leaveAt = step.open ? Infinity : run.at + (k + 1) * stepMs;
		const done = leaveAt <= t && leaveAt <= end;
		const cut = !done && end <= t;
		if (done) for (const [name, value] of Object.entries(step.channel || {})) channel.set(name, value);
		rows.push({
			flowId: run.flowId,
			key: step.key,
			enter,
			leave: done ? leaveAt : cut ? end : undefined,
			exit: done ? step.exit : undefined,
			vars: step.vars,
			channel: new Map(channel),
		});
	});
	return rows;
}

/**
 * The history rows visible at time t (a call looked at while its history is going on sees it unfinished).
 * @param {HistoryStep[]} history
 * @param {number} anchor
 * @param {number} t
 * @returns {RowSpec[]}
 */
function historyRows(history, anchor, t) {
	/** @type {RowSpec[]} */
	const rows = [];
	/** @type {Map<string, string>} */
	const channel = new Map();
	for (const h of history) {
		const enter = anchor + h.enter;
		const leave = anchor + h.leave;
		if (enter > t) break;
		const done = leave <= t;
		if (done) for (const [name, value] of Object.entries(h.channel || {})) channel.set(name, value);
		rows.push({ flowId: h.flowId, key: h.key, enter, leave: done ? leave : undefined, exit: done ? h.exit : undefined, vars: h.vars, channel: new Map(channel) });
	}
	return rows;
}

module.exports = { formatChannelVariables, parseChannelVariables, flowVariables, makeRow, runRows, historyRows };
