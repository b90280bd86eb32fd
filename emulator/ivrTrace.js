'use strict';

/**
 * The IVR trace of the emulator's calls: ListIvrTrackingDetails and GetIvrTrackingSummary (CCC API
 * 2020-07-01), pure logic on an injected clock. After a LaunchAuthentication the trace of the call grows:
 * row k (0-based) of the job's scenario enters at launch time + k * stepMs and leaves when row k+1 enters.
 *
 *   const { createTraceStore } = require('./ivrTrace');
 *   const trace = createTraceStore({ now: () => clock, stepMs: 1000 });
 *   trace.recordLaunch({ instanceId: 'ccc-test', jobId: 'job-auth-pass', contactFlowId: AUTH_FLOW_ID, at: clock });
 *   trace.listIvrTrackingDetails({ InstanceId: 'ccc-test', ContactId: 'job-auth-pass', PageNumber: '1', PageSize: '100' });
 *   // -> { data: { PageNumber: 1, PageSize: 100, TotalCount: n, List: [...] } } or { error: { status, code, message } }
 *
 * Documented (https://help.aliyun.com/zh/ccs/developer-reference/api-ccc-2020-07-01-listivrtrackingdetails,
 * JSON example and errors https://help.aliyun.com/document_detail/439670.html; every page and assumption in
 * emulator/NOTES.md):
 *   - request InstanceId, ContactId (the call's JobId), PageNumber 1-100, PageSize 1-100, all required;
 *   - row fields, in the example's order: Instance, Callee, EnterTime, NodeVariables, NodeExitCode, FlowName,
 *     FlowId, NodeProperties, NodeType, Caller, NodeName, ContactId, LeaveTime, ChannelVariables, ChannelId,
 *     NodeId. EnterTime / LeaveTime are JSON numbers, Unix milliseconds; NodeVariables / NodeProperties are
 *     objects; ChannelVariables is a string "A=B;C=D";
 *   - NodeExitCode: Success, Failure, Timeout (queue/function/digit collection), Hangup (the customer hung up),
 *     Branch-A/B/C (exits of a decision), Default (its default exit), Overflow (queue overflow);
 *   - NodeType: ASR, SUB, INCOMING_CALL (start), GATHER_INPUT (collect digits), SUB_END, BLIND_TRANSFER,
 *     JSON_PARSER, SUB_START, SATISFACTION_RATING, TRANSFER_TO_AGENT, SPLIT, SET_VARIABLES, VOICE_NAVIGATOR,
 *     PLAY_SAY. There is no HANGUP / END node type in this enum;
 *   - errors: 400 Parameter.Format "The format of parameter %s is invalid. %s", 500 InternalService.Common;
 *   - GetIvrTrackingSummary (https://help.aliyun.com/zh/ccs/developer-reference/api-ccc-2020-07-01-getivrtrackingsummary):
 *     InstanceId, ContactId; Data is a string (its only example: "无"). Its format is not documented.
 *
 * HOW "THE AUTHENTICATION FLOW FINISHED" SHOWS IN THIS TRACE. The docs define no "flow finished" field and
 * no end node type; the rule below is what the emulator guarantees, and our assumption about CCC:
 *   1. Keep the rows whose FlowId is the launched ContactFlowId and whose EnterTime >= the launch time (ms).
 *      Rows of other flows (the main inbound IVR that routed the call to the agent) and of earlier runs of the
 *      same flow all entered before the launch (job-auth-other-flows).
 *   2. No such row yet: the flow has not started. The first row of a run is its INCOMING_CALL ("Start") node,
 *      entered at the launch time.
 *   3. The row of the node the caller is in has NO LeaveTime and NO NodeExitCode (both keys absent): the run
 *      is still going (job-auth-never stays so for ever: the caller never leaves GATHER_INPUT).
 *      [assumption: the docs do not say whether such a row exists before the node is left]
 *   4. When the row with the greatest EnterTime has a LeaveTime, the run has ended; its NodeExitCode is the
 *      outcome: Success (job-auth-pass, -other-flows, -long, -throttled: last node SET_VARIABLES
 *      authResult=PASS), Failure (job-auth-fail: last node SET_VARIABLES authResult=FAIL after three wrong
 *      PINs), Hangup (job-auth-hangup: the caller hung up in GATHER_INPUT, documented meaning of Hangup).
 *      `authResult` (in that row's NodeVariables and in ChannelVariables) is our flow's own variable, not a
 *      CCC convention; a real flow may name it differently. [assumption]
 *   Rows are listed by EnterTime ascending [assumption: order not documented]. A ContactId with no IVR rows
 *   (never launched, unknown) answers an empty list, not an error [assumption]. `authOutcome()` below is
 *   this rule as code.
 *
 *   An unknown InstanceId is 404 NotExists.InstanceId [assumption: not in this page's error table; the code
 *   and message of the other CCC pages].
 *
 * Scenarios (all in ccc-test) are scripts over the PIN verification flow's nodes; whatever ContactFlowId is
 * launched, the rows carry that FlowId, its FlowName and NodeIds of that flow (node names/types come from
 * the launched flow when it has a node of the same key, else from the PIN flow). SCENARIOS lists them,
 * LAUNCHABLE_JOBS gives each job in emulator/fixtures.json's job format (one channel, the agent
 * user-test@ccc-test) so LaunchAuthentication can accept them. Any other job that is launched follows the
 * job-auth-pass script. A second launch on the same call cuts the previous run at the new launch time
 * (the interrupted node gets that LeaveTime and no NodeExitCode). Deterministic: time comes only from `now`
 * (Date.now unless injected) and the launch times, and nothing is random.
 */

const directory = require('./directory');

const { AUTH_FLOW_ID } = directory;
const MAIN_FLOW_ID = '5e1b7c3a-2d4f-4b8e-9a61-0c7d3f2e8b14';
const DEFAULT_CALLEE = '0571xxxx8888';

/**
 * @typedef {import('./directory').ApiError} ApiError
 * @typedef {import('./directory').Params} Params
 * @typedef {import('./directory').ListResult} ListResult
 * @typedef {{ key: string, exit?: string, vars?: Record<string, string>, channel?: Record<string, string>, open?: boolean }} Step
 *   key: node of the PIN verification flow; exit: its NodeExitCode; vars: NodeVariables; channel: channel
 *   variables the node sets; open: the caller never leaves this node
 * @typedef {Step & { flowId: string, enter: number, leave: number }} HistoryStep
 *   enter/leave: milliseconds relative to the moment the job was first seen (negative: before)
 * @typedef {{ Instance: string, Callee: string, EnterTime: number, NodeVariables: Record<string, unknown>,
 *   NodeExitCode?: string, FlowName: string, FlowId: string, NodeProperties: Record<string, unknown>,
 *   NodeType: string, Caller: string, NodeName: string, ContactId: string, LeaveTime?: number,
 *   ChannelVariables: string, ChannelId: string, NodeId: string }} IvrTracking
 */

/** Required parameters of each action (the caller answers Missing<Name> for an absent or empty one). */
const REQUIRED = Object.freeze({
	ListIvrTrackingDetails: Object.freeze(['InstanceId', 'ContactId', 'PageNumber', 'PageSize']),
	GetIvrTrackingSummary: Object.freeze(['InstanceId', 'ContactId']),
});

/* ------------------------------------------------------------------------------------------ */
/* Scenario scripts                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** @type {Step} */
const START = { key: 'start', exit: 'Success' };

/**
 * One PIN attempt: the caller types `digits`, the CRM answers `status`, the decision takes `branch`.
 * @param {number} n attempt number
 * @param {string} digits
 * @param {string} status MATCH | MISMATCH | PENDING
 * @param {string} branch
 * @returns {Step[]}
 */
function attempt(n, digits, status, branch) {
	return [
		{ key: 'gather', exit: 'Success', vars: { digits }, channel: { authAttempts: String(n) } },
		{ key: 'verify', exit: 'Success', vars: { status } },
		{ key: 'check', exit: branch },
	];
}

/**
 * @param {'PASS' | 'FAIL'} result
 * @returns {Step}
 */
function setResult(result) {
	return {
		key: result === 'PASS' ? 'setPass' : 'setFail',
		exit: result === 'PASS' ? 'Success' : 'Failure',
		vars: { authResult: result },
		channel: { authResult: result },
	};
}

/** @type {Step[]} */
const PASS_SCRIPT = [START, ...attempt(1, '482193', 'MATCH', 'Branch-A'), setResult('PASS')];

/** @type {Step[]} three wrong PINs */
const FAIL_SCRIPT = [
	START,
	...attempt(1, '111111', 'MISMATCH', 'Branch-B'),
	...attempt(2, '123456', 'MISMATCH', 'Branch-B'),
	...attempt(3, '000000', 'MISMATCH', 'Default'),
	setResult('FAIL'),
];

/** @returns {Step[]} the CRM answers PENDING 40 times before MATCH: 128 rows */
function longScript() {
	/** @type {Step[]} */
	const steps = [START, ...attempt(1, '482193', 'PENDING', 'Branch-C')];
	for (let i = 0; i < 40; i++) {
		steps.push({ key: 'hold', exit: 'Success' }, { key: 'verify', exit: 'Success', vars: { status: 'PENDING' } }, { key: 'check', exit: 'Branch-C' });
	}
	steps.push({ key: 'hold', exit: 'Success' }, { key: 'verify', exit: 'Success', vars: { status: 'MATCH' } }, { key: 'check', exit: 'Branch-A' }, setResult('PASS'));
	return steps;
}

/**
 * Rows of job-auth-other-flows before the launch: the main inbound IVR that routed the call to the agent,
 * then an earlier run of the PIN verification flow in which the caller typed nothing (Timeout, FAIL).
 * @type {HistoryStep[]}
 */
const OTHER_FLOWS_HISTORY = [
	{ flowId: MAIN_FLOW_ID, key: 'start', exit: 'Success', enter: -180000, leave: -179600 },
	{ flowId: MAIN_FLOW_ID, key: 'welcome', exit: 'Success', enter: -179600, leave: -173200 },
	{ flowId: MAIN_FLOW_ID, key: 'menu', exit: 'Success', vars: { digits: '2' }, channel: { menuChoice: '2' }, enter: -173200, leave: -166900 },
	{ flowId: MAIN_FLOW_ID, key: 'route', exit: 'Branch-B', enter: -166900, leave: -166850 },
	{ flowId: MAIN_FLOW_ID, key: 'toAgent', exit: 'Success', vars: { skillGroupId: 'skg-test1@ccc-test', agentId: 'user-test@ccc-test' }, enter: -166850, leave: -151300 },
	{ flowId: AUTH_FLOW_ID, key: 'start', exit: 'Success', enter: -90000, leave: -89800 },
	{ flowId: AUTH_FLOW_ID, key: 'gather', exit: 'Timeout', enter: -89800, leave: -79800 },
	{ flowId: AUTH_FLOW_ID, key: 'setFail', exit: 'Failure', vars: { authResult: 'FAIL' }, channel: { authResult: 'FAIL' }, enter: -79800, leave: -79750 },
];

/**
 * @typedef {{ description: string, script: Step[], history: HistoryStep[], caller: string,
 *   finalExitCode: string | null, authResult: string | null, throttleFirstPolls: number,
 *   relaunchScript?: Step[], startDelayMs?: number }} Scenario
 *   finalExitCode / authResult: the end state after the (first) launch (null: never ends / no result);
 *   relaunchScript: the script of the second and later launches on the call (default: script);
 *   startDelayMs: the run starts this long after its launch (default 0: at the launch);
 *   throttleFirstPolls: a hint for the server (answer Throttling for the first N trace polls)
 */

/** @type {Record<string, Scenario>} */
const SCENARIOS = {
	'job-auth-pass': {
		description: 'The caller enters the right PIN: GATHER_INPUT Success, CRM MATCH, SPLIT Branch-A, SET_VARIABLES authResult=PASS (Success).',
		script: PASS_SCRIPT,
		history: [],
		caller: '138xxxx0101',
		finalExitCode: 'Success',
		authResult: 'PASS',
		throttleFirstPolls: 0,
	},
	'job-auth-fail': {
		description: 'Three wrong PINs (GATHER_INPUT three times, SPLIT Branch-B, Branch-B, Default), then SET_VARIABLES authResult=FAIL (Failure).',
		script: FAIL_SCRIPT,
		history: [],
		caller: '138xxxx0102',
		finalExitCode: 'Failure',
		authResult: 'FAIL',
		throttleFirstPolls: 0,
	},
	'job-auth-hangup': {
		description: 'A wrong PIN, then the caller hangs up while asked again: GATHER_INPUT Hangup ends the trace.',
		script: [START, ...attempt(1, '111111', 'MISMATCH', 'Branch-B'), { key: 'gather', exit: 'Hangup' }],
		history: [],
		caller: '138xxxx0103',
		finalExitCode: 'Hangup',
		authResult: null,
		throttleFirstPolls: 0,
	},
	'job-auth-never': {
		description: 'The flow starts and the caller stays in GATHER_INPUT for ever: the last row never gets a LeaveTime.',
		script: [START, { key: 'gather', open: true }],
		history: [],
		caller: '138xxxx0104',
		finalExitCode: null,
		authResult: null,
		throttleFirstPolls: 0,
	},
	'job-auth-other-flows': {
		description: 'Before the launch the trace already holds the main inbound IVR and an earlier run of the PIN flow (Timeout, authResult=FAIL); the new run passes.',
		script: PASS_SCRIPT,
		history: OTHER_FLOWS_HISTORY,
		caller: '138xxxx0105',
		finalExitCode: 'Success',
		authResult: 'PASS',
		throttleFirstPolls: 0,
	},
	'job-auth-long': {
		description: 'The CRM answers PENDING 40 times (PLAY_SAY hold, JSON_PARSER, SPLIT Branch-C loop): 128 rows after the launch, then authResult=PASS (Success).',
		script: longScript(),
		history: [],
		caller: '138xxxx0106',
		finalExitCode: 'Success',
		authResult: 'PASS',
		throttleFirstPolls: 0,
	},
	'job-auth-relaunch': {
		description:
			'An agent relaunches right after a failed attempt: each run starts 300 ms after its launch (CCC starts the flow after answering); the first launch fails (three wrong PINs), every later launch passes.',
		script: FAIL_SCRIPT,
		relaunchScript: PASS_SCRIPT,
		startDelayMs: 300,
		history: [],
		caller: '138xxxx0108',
		finalExitCode: 'Failure',
		authResult: 'FAIL',
		throttleFirstPolls: 0,
	},
	'job-auth-throttled': {
		description: 'Passes like job-auth-pass; the server is meant to throttle the first trace polls of this job.',
		script: PASS_SCRIPT,
		history: [],
		caller: '138xxxx0107',
		finalExitCode: 'Success',
		authResult: 'PASS',
		throttleFirstPolls: 2,
	},
};

/**
 * The scenario of a call (ccc-test only); own keys only, so a ContactId such as "constructor" or "__proto__"
 * is an ordinary unknown call.
 * @param {string} instanceId
 * @param {string} jobId
 * @returns {Scenario | undefined}
 */
function scenarioOf(instanceId, jobId) {
	return instanceId === 'ccc-test' && Object.prototype.hasOwnProperty.call(SCENARIOS, jobId) ? SCENARIOS[jobId] : undefined;
}

/**
 * The scenario jobs in emulator/fixtures.json's job format: an inbound call answered by user-test@ccc-test,
 * one channel (the documented answer's shape, keys in the documented order, natural JSON types as the
 * fixtures file writes them).
 */
const LAUNCHABLE_JOBS = Object.keys(SCENARIOS).map((jobId, i) => {
	const caller = SCENARIOS[jobId].caller;
	const created = 1609139100000 + i * 60000;
	return {
		JobId: jobId,
		CallType: 'INBOUND',
		UserId: 'user-test@ccc-test',
		ChannelContexts: [
			{
				Destination: '80326034',
				ChannelState: 'ANSWERED',
				ReleaseInitiator: '',
				CallType: 'INBOUND',
				Index: 2,
				SkillGroupId: 'skg-test1@ccc-test',
				AssociatedData: '无',
				ChannelId: `ch:user:${caller}->80326034:${created}:${jobId}`,
				Timestamp: created + 420,
				ReleaseReason: '',
				Originator: caller,
				ChannelFlags: 'NONE',
				UserId: 'user-test@ccc-test',
				UserExtension: '80326034',
				JobId: jobId,
			},
		],
	};
});

/* ------------------------------------------------------------------------------------------ */
/* Rows                                                                                       */
/* ------------------------------------------------------------------------------------------ */

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

/** @type {Map<string, ReturnType<typeof directory.getContactFlow>>} */
const flowCache = new Map();

/**
 * The directory's flow (flows never change: looked up once).
 * @param {string} flowId
 */
function flowOf(flowId) {
	if (!flowCache.has(flowId)) flowCache.set(flowId, directory.getContactFlow(flowId));
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
		NodeId: directory.nodeId(r.flowId, r.key),
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

/**
 * The outcome of an authentication run, by the rule of this file's header.
 * @param {ReadonlyArray<IvrTracking>} rows the call's rows (any order, any flows)
 * @param {{ contactFlowId: string, launchedAt: number }} launch
 * @returns {{ state: 'not-started' } | { state: 'running', nodeName: string, rows: number }
 *   | { state: 'finished', exitCode: string | undefined, authResult: string | undefined, rows: number, leaveTime: number }}
 */
function authOutcome(rows, launch) {
	const own = rows
		.filter((r) => r.FlowId === launch.contactFlowId && r.EnterTime >= launch.launchedAt)
		.sort((a, b) => a.EnterTime - b.EnterTime);
	if (own.length === 0) return { state: 'not-started' };
	const last = own[own.length - 1];
	if (last.LeaveTime === undefined) return { state: 'running', nodeName: last.NodeName, rows: own.length };
	const fromVars = last.NodeVariables.authResult;
	const authResult = typeof fromVars === 'string' ? fromVars : parseChannelVariables(last.ChannelVariables).authResult;
	return { state: 'finished', exitCode: last.NodeExitCode, authResult, rows: own.length, leaveTime: last.LeaveTime };
}

/* ------------------------------------------------------------------------------------------ */
/* Store                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** @param {string} name */
const formatError = (name) =>
	directory.fail(400, 'Parameter.Format', `The format of parameter ${name} is invalid. It must be an integer.`);

/**
 * @param {{ now?: () => number, stepMs?: number }} [options] now: the clock (ms; default Date.now);
 *   stepMs: time the caller spends in each node of a scenario (default 1000)
 */
function createTraceStore(options = {}) {
	const now = options.now || Date.now;
	const stepMs = options.stepMs === undefined ? 1000 : options.stepMs;
	if (!(stepMs > 0)) throw new RangeError('stepMs must be a positive number of milliseconds');

	/**
	 * @typedef {{ anchor: number, runs: Array<{ at: number, flowId: string, vars: Map<string, string>, script: Step[] }>,
	 *   call: CallInfo, history: HistoryStep[] }} CallState
	 */
	/** @type {Map<string, CallState>} */
	const calls = new Map();

	/**
	 * The call's state; created the first time the call is seen (its history ends before that moment).
	 * @param {string} instanceId
	 * @param {string} jobId
	 * @param {number} seenAt
	 * @returns {CallState}
	 */
	function callOf(instanceId, jobId, seenAt) {
		const key = `${instanceId}\u0000${jobId}`;
		let state = calls.get(key);
		if (!state) {
			const scenario = scenarioOf(instanceId, jobId);
			state = {
				anchor: seenAt,
				runs: [],
				history: scenario ? scenario.history : [],
				call: {
					instanceId,
					jobId,
					caller: scenario ? scenario.caller : '138xxxx0000',
					callee: DEFAULT_CALLEE,
					channelId: directory.stableUuid(`ivr-channel/${instanceId}/${jobId}`),
				},
			};
			calls.set(key, state);
		}
		return state;
	}

	/**
	 * Every row of the call visible at time t, by EnterTime.
	 * @param {string} instanceId
	 * @param {string} jobId
	 * @param {number} [t] default now()
	 * @returns {IvrTracking[]}
	 */
	function rowsOf(instanceId, jobId, t = now()) {
		// Nothing is kept for a call without launches or history (unknown ContactIds polled in bulk).
		const known = calls.has(`${instanceId}\u0000${jobId}`) || scenarioOf(instanceId, jobId)?.history.length;
		if (!known) return [];
		const state = callOf(instanceId, jobId, t);
		const specs = historyRows(state.history, state.anchor, t);
		state.runs.forEach((run, i) => {
			const next = state.runs[i + 1];
			specs.push(...runRows(run, next ? next.at : Infinity, t, stepMs));
		});
		return specs.map((r) => makeRow(state.call, r)).sort((a, b) => a.EnterTime - b.EnterTime);
	}

	return {
		stepMs,

		/**
		 * A LaunchAuthentication that succeeded: the job's scenario starts at `at`.
		 * @param {{ instanceId: string, jobId: string, contactFlowId: string, at?: number,
		 *   contactFlowVariables?: string | Record<string, unknown>, caller?: string, callee?: string }} launch
		 *   caller / callee: override the numbers shown in the rows (e.g. from the job's channel)
		 * @returns {{ scenario: string, rows: number, endsAt: number | null }} endsAt: when the last row is left (null: never)
		 */
		recordLaunch(launch) {
			const at = launch.at === undefined ? now() : launch.at;
			const state = callOf(launch.instanceId, launch.jobId, at);
			state.anchor = Math.min(state.anchor, at);
			if (launch.caller) state.call.caller = launch.caller;
			if (launch.callee) state.call.callee = launch.callee;
			const scenario = scenarioOf(launch.instanceId, launch.jobId);
			const scenarioName = scenario ? launch.jobId : 'default';
			const relaunch = state.runs.length > 0 && scenario && scenario.relaunchScript;
			const script = relaunch ? relaunch : scenario ? scenario.script : PASS_SCRIPT;
			const startsAt = at + ((scenario && scenario.startDelayMs) || 0);
			state.runs.push({ at: startsAt, flowId: launch.contactFlowId, vars: flowVariables(launch.contactFlowVariables), script });
			state.runs.sort((a, b) => a.at - b.at);
			const open = script[script.length - 1].open === true;
			return { scenario: scenarioName, rows: script.length, endsAt: open ? null : startsAt + script.length * stepMs };
		},

		/**
		 * ListIvrTrackingDetails: InstanceId, ContactId, PageNumber, PageSize.
		 * @param {Params} params
		 * @returns {ListResult}
		 */
		listIvrTrackingDetails(params) {
			const start = directory.startInstanceList(REQUIRED.ListIvrTrackingDetails, params, formatError);
			if (start.error) return start;
			const rows = rowsOf(start.instanceId, String(params.ContactId));
			return { data: directory.pageOf(rows, start.pageNumber, start.pageSize) };
		},

		/**
		 * GetIvrTrackingSummary: InstanceId, ContactId. Data: one line per flow run,
		 * "<FlowName>: <NodeName>[<NodeExitCode>] > ..." ("in progress" for the node the caller is in), or "无"
		 * (the page's example) when the call has no IVR rows. The format is ours: the docs show none.
		 * @param {Params} params
		 * @returns {{ data: string, error?: undefined } | { error: ApiError, data?: undefined }}
		 */
		getIvrTrackingSummary(params) {
			const missing = directory.checkRequired(REQUIRED.GetIvrTrackingSummary, params);
			if (missing) return missing;
			const instanceId = String(params.InstanceId);
			if (!directory.hasInstance(instanceId)) {
				return directory.fail(404, 'NotExists.InstanceId', `The specified instance ${instanceId} does not exist.`);
			}
			/** @type {Array<{ flow: string, flowId: string, nodes: string[] }>} */
			const runs = [];
			for (const row of rowsOf(instanceId, String(params.ContactId))) {
				const current = runs[runs.length - 1];
				if (!current || current.flowId !== row.FlowId || row.NodeType === 'INCOMING_CALL') {
					runs.push({ flow: row.FlowName, flowId: row.FlowId, nodes: [] });
				}
				runs[runs.length - 1].nodes.push(`${row.NodeName}[${row.NodeExitCode || 'in progress'}]`);
			}
			return { data: runs.length ? runs.map((r) => `${r.flow}: ${r.nodes.join(' > ')}`).join('\n') : '无' };
		},

		rowsOf,

		/** Forgets every call and launch. */
		reset() {
			calls.clear();
		},
	};
}

module.exports = {
	REQUIRED,
	SCENARIOS,
	LAUNCHABLE_JOBS,
	AUTH_FLOW_ID,
	MAIN_FLOW_ID,
	createTraceStore,
	authOutcome,
	parseChannelVariables,
	formatChannelVariables,
};
