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
 * Scenarios (all in ccc-test, ivrScenarios.js) are scripts over the PIN verification flow's nodes; the rows
 * are built in ivrRows.js. Whatever ContactFlowId is launched, the rows carry that FlowId, its FlowName and NodeIds of that flow (node names/types come from
 * the launched flow when it has a node of the same key, else from the PIN flow). SCENARIOS lists them,
 * LAUNCHABLE_JOBS gives each job in emulator/fixtures.json's job format (one channel, the agent
 * user-test@ccc-test) so LaunchAuthentication can accept them. Any other job that is launched follows the
 * job-auth-pass script. A second launch on the same call cuts the previous run at the new launch time
 * (the interrupted node gets that LeaveTime and no NodeExitCode). Deterministic: time comes only from `now`
 * (Date.now unless injected) and the launch times, and nothing is random.
 */

const { checkRequired, fail, pageOf } = require('./paging');
const { hasInstance, instanceNotFound, startInstanceList } = require('./directory');
const { PASS_SCRIPT, scenarioOf } = require('./ivrScenarios');
const { flowVariables, historyRows, makeRow, parseChannelVariables, runRows } = require('./ivrRows');
const { stableUuid } = require('./stableIds');

const DEFAULT_CALLEE = '0571xxxx8888';

/**
 * @typedef {import('./paging').ApiError} ApiError
 * @typedef {import('./paging').Params} Params
 * @typedef {import('./paging').ListResult} ListResult
 * @typedef {import('./ivrScenarios').Step} Step
 * @typedef {import('./ivrScenarios').HistoryStep} HistoryStep
 * @typedef {import('./ivrRows').IvrTracking} IvrTracking
 * @typedef {import('./ivrRows').CallInfo} CallInfo
 */

/** Required parameters of each action (the caller answers Missing<Name> for an absent or empty one). */
const REQUIRED = Object.freeze({
	ListIvrTrackingDetails: Object.freeze(['InstanceId', 'ContactId', 'PageNumber', 'PageSize']),
	GetIvrTrackingSummary: Object.freeze(['InstanceId', 'ContactId']),
});

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
	fail(400, 'Parameter.Format', `The format of parameter ${name} is invalid. It must be an integer.`);

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
					channelId: stableUuid(`ivr-channel/${instanceId}/${jobId}`),
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
			const start = startInstanceList(REQUIRED.ListIvrTrackingDetails, params, formatError);
			if (start.error) return start;
			const rows = rowsOf(start.instanceId, String(params.ContactId));
			return { data: pageOf(rows, start.pageNumber, start.pageSize) };
		},

		/**
		 * GetIvrTrackingSummary: InstanceId, ContactId. Data: one line per flow run,
		 * "<FlowName>: <NodeName>[<NodeExitCode>] > ..." ("in progress" for the node the caller is in), or "无"
		 * (the page's example) when the call has no IVR rows. The format is ours: the docs show none.
		 * @param {Params} params
		 * @returns {{ data: string, error?: undefined } | { error: ApiError, data?: undefined }}
		 */
		getIvrTrackingSummary(params) {
			const missing = checkRequired(REQUIRED.GetIvrTrackingSummary, params);
			if (missing) return missing;
			const instanceId = String(params.InstanceId);
			if (!hasInstance(instanceId)) return instanceNotFound(instanceId);
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

module.exports = { REQUIRED, createTraceStore, authOutcome };
