/**
 * emulator/ivrTrace.js: the IVR trace that grows after a LaunchAuthentication, on an injected clock
 * (ListIvrTrackingDetails, GetIvrTrackingSummary): request checks, paging, every scenario's end state.
 * Rows and flows, the summary, the launchable jobs: ivrTraceRows.test.ts.
 */
import { REQUIRED, createTraceStore } from '../../emulator/ivrTrace';
import { LAUNCHABLE_JOBS, SCENARIOS } from '../../emulator/ivrScenarios';
import { parseChannelVariables } from '../../emulator/ivrRows';
import { AUTH_FLOW_ID, MAIN_FLOW_ID } from '../../emulator/contactFlows';
import { STEP, T0, outcome, setup, type Row } from './support/traceStore';

type ApiError = { status: number; code: string; message: string };

const ROW_KEYS = [
	'Instance', 'Callee', 'EnterTime', 'NodeVariables', 'NodeExitCode', 'FlowName', 'FlowId', 'NodeProperties',
	'NodeType', 'Caller', 'NodeName', 'ContactId', 'LeaveTime', 'ChannelVariables', 'ChannelId', 'NodeId',
];
const NODE_TYPES = [
	'ASR', 'SUB', 'INCOMING_CALL', 'GATHER_INPUT', 'SUB_END', 'BLIND_TRANSFER', 'JSON_PARSER', 'SUB_START',
	'SATISFACTION_RATING', 'TRANSFER_TO_AGENT', 'SPLIT', 'SET_VARIABLES', 'VOICE_NAVIGATOR', 'PLAY_SAY',
];
const EXIT_CODES = /^(Timeout|Hangup|Default|Branch-[A-Z]|Success|Failure|Overflow)$/;

/** The documented row shape; a row the caller is still in has neither NodeExitCode nor LeaveTime. */
function expectDocumentedRow(row: Row, jobId: string) {
	const open = row.LeaveTime === undefined;
	expect(Object.keys(row)).toEqual(open ? ROW_KEYS.filter((k) => k !== 'NodeExitCode' && k !== 'LeaveTime') : ROW_KEYS);
	expect(row).toMatchObject({ Instance: 'ccc-test', ContactId: jobId, Callee: '0571xxxx8888' });
	expect(Number.isSafeInteger(row.EnterTime)).toBe(true);
	if (!open) {
		expect(Number.isSafeInteger(row.LeaveTime)).toBe(true);
		expect(row.LeaveTime).toBeGreaterThanOrEqual(row.EnterTime);
		expect(row.NodeExitCode).toMatch(EXIT_CODES);
	}
	expect(row.NodeVariables).toEqual(expect.any(Object));
	expect(Array.isArray(row.NodeVariables)).toBe(false);
	expect(row.NodeProperties).toEqual(expect.any(Object));
	expect(typeof row.ChannelVariables).toBe('string');
	expect(row.ChannelVariables).toMatch(/^([^=;]+=[^;]*(;[^=;]+=[^;]*)*)?$/);
	expect(NODE_TYPES).toContain(row.NodeType);
	for (const k of ['FlowName', 'FlowId', 'Caller', 'NodeName', 'ChannelId', 'NodeId']) expect([k, typeof row[k]]).toEqual([k, 'string']);
	expect(row.NodeId).toMatch(/^[0-9a-f]{8}$/);
}

describe('request checks', () => {
	it('REQUIRED: all four parameters of ListIvrTrackingDetails, both of GetIvrTrackingSummary', () => {
		expect(REQUIRED).toEqual({
			ListIvrTrackingDetails: ['InstanceId', 'ContactId', 'PageNumber', 'PageSize'],
			GetIvrTrackingSummary: ['InstanceId', 'ContactId'],
		});
	});

	it('a missing parameter is Missing<Name>; both actions', () => {
		const { store } = setup();
		const full = { InstanceId: 'ccc-test', ContactId: 'job-auth-pass', PageNumber: '1', PageSize: '10' };
		for (const name of REQUIRED.ListIvrTrackingDetails) {
			expect(store.listIvrTrackingDetails({ ...full, [name]: '' }).error).toEqual({ status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.` });
		}
		for (const name of REQUIRED.GetIvrTrackingSummary) {
			expect(store.getIvrTrackingSummary({ ...full, [name]: undefined }).error?.code).toBe(`Missing${name}`);
		}
	});

	it.each([
		['PageNumber', 'one', 400, 'Parameter.Format'],
		['PageSize', '10.0', 400, 'Parameter.Format'],
		['PageNumber', '0', 400, 'Parameter.Minimum'],
		['PageSize', '0', 400, 'Parameter.Minimum'],
		['PageNumber', '101', 400, 'Parameter.Maximum'],
		['PageSize', '101', 400, 'Parameter.Maximum'],
		['InstanceId', 'ccc-nope', 404, 'NotExists.InstanceId'],
	])('%s=%s -> %i %s', (name, value, status, code) => {
		const { store } = setup();
		const e = store.listIvrTrackingDetails({ InstanceId: 'ccc-test', ContactId: 'job-auth-pass', PageNumber: '1', PageSize: '10', [name]: value }).error as ApiError;
		expect(e).toMatchObject({ status, code });
		expect(e.message).toContain(name === 'InstanceId' ? value : name);
	});

	it('GetIvrTrackingSummary: unknown instance is 404 NotExists.InstanceId', () => {
		const { store } = setup();
		expect(store.getIvrTrackingSummary({ InstanceId: 'ccc-nope', ContactId: 'job-auth-pass' }).error).toEqual({
			status: 404,
			code: 'NotExists.InstanceId',
			message: 'The specified instance ccc-nope does not exist.',
		});
	});

	it('stepMs must be positive', () => {
		expect(() => createTraceStore({ stepMs: 0 })).toThrow(RangeError);
		expect(() => createTraceStore({ stepMs: -5 })).toThrow(RangeError);
	});
});

describe('the trace grows after the launch (injected clock)', () => {
	it('before the launch: empty; then one row per step, the current node open; then the flow ends', () => {
		const { clock, list, launch } = setup();
		expect(list('job-auth-pass')).toEqual({ PageNumber: 1, PageSize: 100, TotalCount: 0, List: [] });
		clock.t += 60_000;
		const launchedAt = clock.t;
		expect(launch('job-auth-pass')).toEqual({ scenario: 'job-auth-pass', rows: 5, endsAt: launchedAt + 5 * STEP });
		const seen: number[] = [];
		for (let k = 0; k <= 7; k++) {
			clock.t = launchedAt + k * STEP;
			const page = list('job-auth-pass');
			seen.push(page.TotalCount);
			page.List.forEach((row, i) => {
				expectDocumentedRow(row, 'job-auth-pass');
				expect(row.EnterTime).toBe(launchedAt + i * STEP);
				// Only the last row, while k < 5, is open.
				const open = i === page.List.length - 1 && k < 5;
				expect([i, row.LeaveTime]).toEqual([i, open ? undefined : launchedAt + (i + 1) * STEP]);
			});
			// Just before the next step nothing changes.
			clock.t = launchedAt + (k + 1) * STEP - 1;
			expect(list('job-auth-pass').TotalCount).toBe(page.TotalCount);
		}
		expect(seen).toEqual([1, 2, 3, 4, 5, 5, 5, 5]);
	});

	it('outcome while running: not-started, then running with the current node, then finished', () => {
		const { clock, list, launch } = setup();
		expect(outcome(list('job-auth-pass').List)).toEqual({ state: 'not-started' });
		launch('job-auth-pass');
		expect(outcome(list('job-auth-pass').List)).toEqual({ state: 'running', nodeName: 'Start', rows: 1 });
		clock.t += 1.5 * STEP;
		expect(outcome(list('job-auth-pass').List)).toEqual({ state: 'running', nodeName: 'Enter PIN', rows: 2 });
		clock.t = T0 + 5 * STEP;
		expect(outcome(list('job-auth-pass').List)).toEqual({ state: 'finished', exitCode: 'Success', authResult: 'PASS', rows: 5, leaveTime: T0 + 5 * STEP });
	});

	it('a node gets its NodeVariables and exit code only when it is left', () => {
		const { clock, list, launch } = setup();
		launch('job-auth-pass');
		clock.t += STEP;
		const gatherOpen = list('job-auth-pass').List[1];
		expect(gatherOpen).toMatchObject({ NodeType: 'GATHER_INPUT', NodeVariables: {} });
		expect('NodeExitCode' in gatherOpen).toBe(false);
		clock.t += STEP;
		expect(list('job-auth-pass').List[1]).toMatchObject({ NodeVariables: { digits: '482193' }, NodeExitCode: 'Success', LeaveTime: T0 + 2 * STEP });
	});

	it('stepMs sets the pace', () => {
		const { clock, list, launch } = setup(250);
		launch('job-auth-fail');
		clock.t += 1000;
		expect(list('job-auth-fail').TotalCount).toBe(5);
		expect(list('job-auth-fail').List.map((r) => r.EnterTime - T0)).toEqual([0, 250, 500, 750, 1000]);
	});
});

describe('scenarios: end state', () => {
	/** Launch at T0 and read the trace long after the end. */
	function finalTrace(jobId: string) {
		const s = setup();
		s.launch(jobId);
		s.clock.t = T0 + 3_600_000;
		return { ...s, rows: s.all(jobId) };
	}

	it('SCENARIOS and LAUNCHABLE_JOBS list the same eight jobs', () => {
		const jobs = ['job-auth-pass', 'job-auth-fail', 'job-auth-hangup', 'job-auth-never', 'job-auth-other-flows', 'job-auth-long', 'job-auth-relaunch', 'job-auth-throttled'];
		expect(Object.keys(SCENARIOS)).toEqual(jobs);
		expect(LAUNCHABLE_JOBS.map((j) => j.JobId)).toEqual(jobs);
	});

	it('every scenario ends as its table says, every row documented', () => {
		for (const [jobId, scenario] of Object.entries(SCENARIOS)) {
			const { rows } = finalTrace(jobId);
			rows.forEach((r) => expectDocumentedRow(r, jobId));
			const after = rows.filter((r) => r.EnterTime >= T0);
			expect([jobId, after.length]).toEqual([jobId, scenario.script.length]);
			const o = outcome(rows);
			if (scenario.finalExitCode === null) {
				expect([jobId, o.state]).toEqual([jobId, 'running']);
			} else {
				expect([jobId, o]).toEqual([jobId, expect.objectContaining({ state: 'finished', exitCode: scenario.finalExitCode, authResult: scenario.authResult ?? undefined })]);
			}
			expect(after.every((r) => r.FlowId === AUTH_FLOW_ID && r.FlowName === 'PIN verification' && r.Caller === scenario.caller)).toBe(true);
			expect(after[0].NodeType).toBe('INCOMING_CALL');
		}
	});

	it('job-auth-pass: GATHER_INPUT Success, SPLIT Branch-A, SET_VARIABLES authResult=PASS, ends with Success', () => {
		const { rows } = finalTrace('job-auth-pass');
		expect(rows.map((r) => [r.NodeType, r.NodeExitCode])).toEqual([
			['INCOMING_CALL', 'Success'],
			['GATHER_INPUT', 'Success'],
			['JSON_PARSER', 'Success'],
			['SPLIT', 'Branch-A'],
			['SET_VARIABLES', 'Success'],
		]);
		expect(rows[4].NodeVariables).toEqual({ authResult: 'PASS' });
		expect(parseChannelVariables(rows[4].ChannelVariables)).toEqual({ authAttempts: '1', authResult: 'PASS' });
	});

	it('job-auth-fail: three GATHER_INPUTs with wrong PINs, ends with Failure and authResult=FAIL', () => {
		const { rows } = finalTrace('job-auth-fail');
		const gathers = rows.filter((r) => r.NodeType === 'GATHER_INPUT');
		expect(gathers.map((r) => [r.NodeExitCode, r.NodeVariables.digits])).toEqual([['Success', '111111'], ['Success', '123456'], ['Success', '000000']]);
		expect(rows.filter((r) => r.NodeType === 'SPLIT').map((r) => r.NodeExitCode)).toEqual(['Branch-B', 'Branch-B', 'Default']);
		expect(rows[rows.length - 1]).toMatchObject({ NodeType: 'SET_VARIABLES', NodeExitCode: 'Failure', NodeVariables: { authResult: 'FAIL' } });
		expect(parseChannelVariables(rows[rows.length - 1].ChannelVariables)).toEqual({ authAttempts: '3', authResult: 'FAIL' });
	});

	it('job-auth-hangup: the last row is GATHER_INPUT with NodeExitCode Hangup and a LeaveTime', () => {
		const { rows } = finalTrace('job-auth-hangup');
		const last = rows[rows.length - 1];
		expect(last).toMatchObject({ NodeType: 'GATHER_INPUT', NodeExitCode: 'Hangup', LeaveTime: T0 + rows.length * STEP });
		expect(rows.some((r) => 'authResult' in parseChannelVariables(r.ChannelVariables))).toBe(false);
	});

	it('job-auth-never: stays in GATHER_INPUT for ever', () => {
		const s = setup();
		s.launch('job-auth-never');
		for (const t of [T0 + STEP, T0 + 10 * STEP, T0 + 86_400_000]) {
			s.clock.t = t;
			const rows = s.list('job-auth-never').List;
			expect(rows.map((r) => r.NodeType)).toEqual(['INCOMING_CALL', 'GATHER_INPUT']);
			expect(rows[1].LeaveTime).toBeUndefined();
			expect(rows[1].NodeExitCode).toBeUndefined();
		}
		expect(s.launch('job-auth-never').endsAt).toBeNull();
	});

	it('job-auth-other-flows: rows of the main IVR and of an earlier run of the same flow, all before the launch; the new run passes', () => {
		const s = setup();
		const before = s.list('job-auth-other-flows').List;
		expect(before.map((r) => r.FlowName)).toEqual([...Array(5).fill('Inbound main menu'), ...Array(3).fill('PIN verification')]);
		expect(before.every((r) => r.EnterTime < T0 && r.LeaveTime <= T0)).toBe(true);
		expect(before[4]).toMatchObject({ FlowId: MAIN_FLOW_ID, NodeType: 'TRANSFER_TO_AGENT', NodeExitCode: 'Success' });
		// The earlier run of the auth flow ended badly: a poller must not take it for the new run.
		expect(before.slice(5).map((r) => r.NodeExitCode)).toEqual(['Success', 'Timeout', 'Failure']);
		expect(outcome(before, -Infinity)).toMatchObject({ state: 'finished', exitCode: 'Failure', authResult: 'FAIL' });
		s.clock.t += 30_000;
		expect(s.list('job-auth-other-flows').List).toEqual(before);
		const launchedAt = s.clock.t;
		s.launch('job-auth-other-flows');
		expect(outcome(s.list('job-auth-other-flows').List, launchedAt)).toMatchObject({ state: 'running', nodeName: 'Start' });
		s.clock.t += 60_000;
		const rows = s.list('job-auth-other-flows').List;
		expect(rows.slice(0, 8)).toEqual(before);
		expect(rows.length).toBe(13);
		expect(outcome(rows, launchedAt)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS', rows: 5 });
		// Main IVR rows are of another flow: not counted even with an early launch time.
		expect(outcome(rows, -Infinity, MAIN_FLOW_ID)).toMatchObject({ state: 'finished', exitCode: 'Success', rows: 5 });
	});

	it('job-auth-other-flows: a poll while its history is recent shows it as history, not as the new run', () => {
		const s = setup();
		s.launch('job-auth-other-flows');
		const rows = s.list('job-auth-other-flows').List;
		expect(rows.filter((r) => r.EnterTime < T0)).toHaveLength(8);
		expect(rows.filter((r) => r.EnterTime >= T0)).toHaveLength(1);
	});

	it('job-auth-long: 128 rows after the launch, TotalCount spans two pages of 100, ends with Success', () => {
		const { list, rows } = finalTrace('job-auth-long');
		expect(rows).toHaveLength(128);
		const p1 = list('job-auth-long');
		const p2 = list('job-auth-long', { PageNumber: '2' });
		expect([p1.TotalCount, p1.List.length, p2.TotalCount, p2.List.length]).toEqual([128, 100, 128, 28]);
		expect([...p1.List, ...p2.List]).toEqual(rows);
		expect(list('job-auth-long', { PageNumber: '3' }).List).toEqual([]);
		const small = [1, 2, 3, 4, 5, 6, 7].flatMap((n) => list('job-auth-long', { PageNumber: String(n), PageSize: '20' }).List);
		expect(small).toEqual(rows);
		expect(rows.filter((r) => r.NodeExitCode === 'Branch-C').length).toBe(41);
		expect(outcome(rows)).toEqual({ state: 'finished', exitCode: 'Success', authResult: 'PASS', rows: 128, leaveTime: T0 + 128 * STEP });
		const times = rows.map((r) => r.EnterTime);
		expect(times).toEqual([...times].sort((a, b) => a - b));
	});

	it('job-auth-long: after 100 steps the first page is full and the run is still going', () => {
		const s = setup();
		s.launch('job-auth-long');
		s.clock.t = T0 + 100 * STEP;
		expect(s.list('job-auth-long').TotalCount).toBe(101);
		expect(outcome(s.all('job-auth-long')).state).toBe('running');
	});

	it('job-auth-throttled passes; the table hints the server to throttle its first polls', () => {
		const { rows } = finalTrace('job-auth-throttled');
		expect(outcome(rows)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS' });
		expect(SCENARIOS['job-auth-throttled'].throttleFirstPolls).toBeGreaterThan(0);
		expect(Object.entries(SCENARIOS).filter(([, s]) => s.throttleFirstPolls > 0).map(([j]) => j)).toEqual(['job-auth-throttled']);
	});
});
