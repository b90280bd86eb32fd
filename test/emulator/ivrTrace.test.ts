/**
 * emulator/ivrTrace.js: the IVR trace that grows after a LaunchAuthentication, on an injected clock
 * (ListIvrTrackingDetails, GetIvrTrackingSummary), every scenario's end state, paging, errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REQUIRED, authOutcome, createTraceStore } from '../../emulator/ivrTrace';
import { LAUNCHABLE_JOBS, SCENARIOS } from '../../emulator/ivrScenarios';
import { formatChannelVariables, parseChannelVariables } from '../../emulator/ivrRows';
import { AUTH_FLOW_ID, MAIN_FLOW_ID } from '../../emulator/contactFlows';
import { listContactFlows } from '../../emulator/directory';

type ApiError = { status: number; code: string; message: string };
type Row = Record<string, any>;
type Page = { PageNumber: number; PageSize: number; TotalCount: number; List: Row[] };

const T0 = 1_700_000_000_000;
const STEP = 1000;

/** A store on a clock the test moves. */
function setup(stepMs = STEP) {
	const clock = { t: T0 };
	const store = createTraceStore({ now: () => clock.t, stepMs });
	const list = (jobId: string, extra: Record<string, string> = {}) => {
		const r = store.listIvrTrackingDetails({ InstanceId: 'ccc-test', ContactId: jobId, PageNumber: '1', PageSize: '100', ...extra });
		expect(r.error).toBeUndefined();
		return r.data as Page;
	};
	const launch = (jobId: string, contactFlowId = AUTH_FLOW_ID, extra: Record<string, unknown> = {}) =>
		store.recordLaunch({ instanceId: 'ccc-test', jobId, contactFlowId, at: clock.t, ...extra });
	/** Every row, all pages. */
	const all = (jobId: string) => {
		const rows: Row[] = [];
		for (let n = 1; ; n++) {
			const page = list(jobId, { PageNumber: String(n) });
			rows.push(...page.List);
			if (page.List.length < 100) return rows;
		}
	};
	return { clock, store, list, launch, all };
}

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

const outcome = (rows: Row[], launchedAt = T0, contactFlowId = AUTH_FLOW_ID) => authOutcome(rows as any, { contactFlowId, launchedAt });

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

describe('rows and flows', () => {
	it('NodeIds are activity ids of the launched flow’s Definition; FlowName is its name', () => {
		const s = setup();
		s.launch('job-auth-fail');
		s.clock.t += 60_000;
		const flow = (listContactFlows({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '100' }).data as Page).List.find((f) => f.ContactFlowId === AUTH_FLOW_ID)!;
		const activities = new Map(JSON.parse(flow.Definition).activities.map((a: any) => [a.id, a]));
		for (const row of s.list('job-auth-fail').List) {
			const a: any = activities.get(row.NodeId);
			expect(a).toBeDefined();
			expect([a.type, a.name]).toEqual([row.NodeType, row.NodeName]);
		}
	});

	it('another flow launched on a scenario job: rows carry that FlowId and FlowName', () => {
		const s = setup();
		const voice = '9d3e51c2-7a0b-4c6f-8e2d-4b1a6f0c9e37';
		s.launch('job-auth-pass', voice);
		s.clock.t += 60_000;
		const rows = s.list('job-auth-pass').List;
		expect(rows.every((r) => r.FlowId === voice && r.FlowName === 'Voiceprint / ID card check')).toBe(true);
		expect(outcome(rows, T0, voice)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS' });
		expect(outcome(rows, T0, AUTH_FLOW_ID)).toEqual({ state: 'not-started' });
	});

	it('a job without a scenario follows the pass script; an unknown or never-launched job has no rows', () => {
		const s = setup();
		expect(s.list('job-65382141036853491').TotalCount).toBe(0);
		expect(s.list('job-never-heard-of').TotalCount).toBe(0);
		expect(s.launch('job-65382141036853491')).toMatchObject({ scenario: 'default', rows: 5 });
		s.clock.t += 60_000;
		expect(outcome(s.list('job-65382141036853491').List)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS' });
		const e2 = s.store.recordLaunch({ instanceId: 'ccc-emulator-2', jobId: 'job-auth-fail', contactFlowId: '274601be-a6d5-4429-bcef-32b51d031c6e', at: s.clock.t });
		expect(e2.scenario).toBe('default');
		expect(s.store.listIvrTrackingDetails({ InstanceId: 'ccc-emulator-2', ContactId: 'job-auth-fail', PageNumber: '1', PageSize: '10' }).data?.TotalCount).toBe(1);
	});

	it('ContactFlowVariables of the launch show in ChannelVariables ("A=B;C=D"), special characters encoded', () => {
		const s = setup();
		s.launch('job-auth-pass', AUTH_FLOW_ID, { contactFlowVariables: JSON.stringify({ orderId: 'A-1001', note: 'a=b;c', n: 3 }) });
		s.clock.t += 60_000;
		const rows = s.list('job-auth-pass').List;
		expect(rows[0].ChannelVariables).toBe('orderId=A-1001;note=a%3Db%3Bc;n=3');
		expect(parseChannelVariables(rows[4].ChannelVariables)).toEqual({ orderId: 'A-1001', note: 'a=b;c', n: '3', authAttempts: '1', authResult: 'PASS' });
		expect(formatChannelVariables(new Map([['A', 'B'], ['C', 'D']]))).toBe('A=B;C=D');
	});

	it('caller and callee can come from the launch', () => {
		const s = setup();
		s.launch('job-auth-pass', AUTH_FLOW_ID, { caller: '139xxxx0501', callee: '083xxxx0019' });
		expect(s.list('job-auth-pass').List[0]).toMatchObject({ Caller: '139xxxx0501', Callee: '083xxxx0019' });
	});

	it('a second launch cuts the first run: its current node is left at the new launch, without exit code', () => {
		const s = setup();
		s.launch('job-auth-never');
		s.clock.t = T0 + 30_000;
		s.launch('job-auth-never');
		s.clock.t = T0 + 30_000 + 5 * STEP;
		const rows = s.list('job-auth-never').List;
		expect(rows.map((r) => [r.EnterTime - T0, r.NodeType, r.LeaveTime === undefined ? null : r.LeaveTime - T0, r.NodeExitCode ?? null])).toEqual([
			[0, 'INCOMING_CALL', 1000, 'Success'],
			[1000, 'GATHER_INPUT', 30000, null],
			[30000, 'INCOMING_CALL', 31000, 'Success'],
			[31000, 'GATHER_INPUT', null, null],
		]);
		expect(outcome(rows, T0 + 30_000)).toMatchObject({ state: 'running', nodeName: 'Enter PIN', rows: 2 });
	});

	it('deterministic: two stores on the same clock give the same answers; reset forgets', () => {
		const a = setup();
		const b = setup();
		for (const s of [a, b]) {
			s.launch('job-auth-other-flows');
			s.launch('job-auth-long');
			s.clock.t += 42_500;
		}
		expect(a.all('job-auth-other-flows')).toEqual(b.all('job-auth-other-flows'));
		expect(a.all('job-auth-long')).toEqual(b.all('job-auth-long'));
		a.store.reset();
		expect(a.list('job-auth-long').TotalCount).toBe(0);
	});

	it('answers are copies', () => {
		const s = setup();
		s.launch('job-auth-pass');
		s.clock.t += 60_000;
		const first = s.list('job-auth-pass').List[1];
		first.NodeProperties.say = 'changed';
		first.NodeVariables.digits = 'x';
		expect(s.list('job-auth-pass').List[1]).toMatchObject({ NodeVariables: { digits: '482193' } });
		expect(s.list('job-auth-pass').List[1].NodeProperties.say).not.toBe('changed');
	});
});

describe('GetIvrTrackingSummary', () => {
	it('"无" without rows, then one line per flow run; Data is a string', () => {
		const s = setup();
		const summary = () => s.store.getIvrTrackingSummary({ InstanceId: 'ccc-test', ContactId: 'job-auth-other-flows' }).data;
		expect(s.store.getIvrTrackingSummary({ InstanceId: 'ccc-test', ContactId: 'job-auth-pass' }).data).toBe('无');
		s.launch('job-auth-other-flows');
		s.clock.t += 1500;
		expect(summary()).toBe(
			[
				'Inbound main menu: Start[Success] > Welcome[Success] > Main menu[Success] > Route by key[Branch-B] > Transfer to agent[Success]',
				'PIN verification: Start[Success] > Enter PIN[Timeout] > authResult = FAIL[Failure]',
				'PIN verification: Start[Success] > Enter PIN[in progress]',
			].join('\n'),
		);
		s.clock.t += 60_000;
		expect(summary()!.split('\n')[2]).toBe(
			'PIN verification: Start[Success] > Enter PIN[Success] > Verify PIN with CRM[Success] > PIN check result[Branch-A] > authResult = PASS[Success]',
		);
	});
});

describe('LAUNCHABLE_JOBS', () => {
	const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '../../emulator/fixtures.json'), 'utf8'));
	const documented = fixtures.instances[0].jobs.find((j: any) => j.JobId === 'job-65382141036853491');

	it('each job is in the fixtures’ job format with one channel of the documented shape', () => {
		const existing = new Set(fixtures.instances.flatMap((i: any) => i.jobs.map((j: any) => j.JobId)));
		for (const job of LAUNCHABLE_JOBS) {
			expect(existing.has(job.JobId)).toBe(false);
			expect(Object.keys(job)).toEqual(['JobId', 'CallType', 'UserId', 'ChannelContexts']);
			expect(job.ChannelContexts).toHaveLength(1);
			const [ch] = job.ChannelContexts;
			expect(Object.keys(ch)).toEqual(Object.keys(documented.ChannelContexts[0]));
			for (const [k, v] of Object.entries(documented.ChannelContexts[0])) expect([k, typeof (ch as any)[k]]).toEqual([k, typeof v]);
			expect(ch).toMatchObject({ JobId: job.JobId, UserId: 'user-test@ccc-test', UserExtension: '80326034', Originator: SCENARIOS[job.JobId].caller });
			expect(ch.ChannelId).toBe(`ch:user:${ch.Originator}->80326034:${ch.ChannelId.split(':')[3]}:${job.JobId}`);
		}
	});
});
