'use strict';

/**
 * The IVR trace scenarios of the emulator's calls, by JobId (all in ccc-test): scripts over the PIN
 * verification flow's nodes (what the caller does and how each node exits), the rows some calls already
 * have before the launch, and each scenario's job in emulator/fixtures.json's job format (LAUNCHABLE_JOBS),
 * so LaunchAuthentication accepts them. ivrTrace.js turns a script into rows on a clock; the rule by which
 * a run's end shows is in its header. The README's "IVR traces" table lists the scenarios.
 */

const { AUTH_FLOW_ID, MAIN_FLOW_ID } = require('./contactFlows');

/**
 * @typedef {{ key: string, exit?: string, vars?: Record<string, string>, channel?: Record<string, string>, open?: boolean }} Step
 *   key: node of the PIN verification flow; exit: its NodeExitCode; vars: NodeVariables; channel: channel
 *   variables the node sets; open: the caller never leaves this node
 * @typedef {Step & { flowId: string, enter: number, leave: number }} HistoryStep
 *   enter/leave: milliseconds relative to the moment the job was first seen (negative: before)
 */

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

module.exports = { SCENARIOS, LAUNCHABLE_JOBS, PASS_SCRIPT, scenarioOf };
