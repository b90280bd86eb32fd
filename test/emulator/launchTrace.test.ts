/**
 * The IVR trace of a launch through the running emulator (signed requests, the whole pipeline): it grows
 * over time after each LaunchAuthentication, by scenario, and job-auth-throttled's first polls answer 429.
 * Time: only lower bounds and "poll until" with a generous overall limit, never an upper bound.
 */
import { authOutcome } from '../../emulator/ivrTrace';
import { SCENARIOS } from '../../emulator/ivrScenarios';
import { AUTH_FLOW_ID, MAIN_FLOW_ID } from '../../emulator/contactFlows';
import { DOC_PARAMS } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';
import { expectCode, expectOk, pollUntil, readCalls, sleep } from './support/readCalls';

const emu = useEmulator();
const { call, trace, launch, allRows } = readCalls(emu);

describe('the IVR trace of a launch', () => {
	const PASS = SCENARIOS['job-auth-pass'];
	const PASS_TYPES = ['INCOMING_CALL', 'GATHER_INPUT', 'JSON_PARSER', 'SPLIT', 'SET_VARIABLES'];
	const PASS_EXITS = ['Success', 'Success', 'Success', 'Branch-A', 'Success'];

	/**
	 * A snapshot of a run, as the rule of ivrTrace.js's header reads it: every row but the last has been left
	 * (LeaveTime and NodeExitCode, the next row entering when it is left); the last row is still running unless
	 * it is the run's last node (then either).
	 */
	function expectConsistent(rows: any[], total: number) {
		rows.forEach((r, i) => {
			if (i > 0) expect(r.EnterTime).toBe(rows[i - 1].LeaveTime);
			if (i === total - 1) return;
			const left = i < rows.length - 1;
			expect([i, 'LeaveTime' in r, 'NodeExitCode' in r]).toEqual([i, left, left]);
		});
	}

	it('grows row by row after a launch until job-auth-pass ends (Success, authResult=PASS)', async () => {
		emu.setTraceStepMs(25);
		expect(emu.traceStepMs).toBe(25);
		expect(expectOk(await trace('job-auth-pass')).TotalCount).toBe(0);
		const before = Date.now();
		expectOk(await launch('job-auth-pass', { ContactFlowVariables: JSON.stringify({ customerID: '2088****' }) }));
		const snapshots = await pollUntil(
			async () => expectOk(await trace('job-auth-pass')).List as any[],
			(rows) => authOutcome(rows, { contactFlowId: AUTH_FLOW_ID, launchedAt: before }).state === 'finished',
		);
		const sizes = snapshots.map((rows) => rows.length);
		expect([...sizes].sort((a, b) => a - b)).toEqual(sizes); // never shrinks
		expect(sizes[0]).toBeGreaterThanOrEqual(1); // the Start row is there as soon as the launch is answered
		for (const rows of snapshots) expectConsistent(rows, PASS.script.length);
		const final = snapshots[snapshots.length - 1];
		// Each snapshot is a prefix of the final trace (same nodes, same EnterTime).
		for (const rows of snapshots) expect(rows.map((r) => [r.NodeId, r.EnterTime])).toEqual(final.slice(0, rows.length).map((r) => [r.NodeId, r.EnterTime]));
		expect(final.map((r) => r.NodeType)).toEqual(PASS_TYPES);
		expect(final.map((r) => r.NodeExitCode)).toEqual(PASS_EXITS);
		expect(final[0].EnterTime).toBeGreaterThanOrEqual(before);
		expect(final.every((r) => r.FlowId === AUTH_FLOW_ID && r.FlowName === 'PIN verification' && r.ContactId === 'job-auth-pass' && r.Instance === 'ccc-test')).toBe(true);
		expect(final[4].NodeVariables).toEqual({ authResult: 'PASS' });
		expect(final[4].ChannelVariables).toContain('authResult=PASS');
		expect(final[0].ChannelVariables).toContain('customerID=2088****');
		expect(final[4].LeaveTime - final[0].EnterTime).toBe(5 * 25);
		expect(authOutcome(final, { contactFlowId: AUTH_FLOW_ID, launchedAt: before })).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS', rows: 5 });
		// The summary tells the same story.
		const summary = expectOk(await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: 'job-auth-pass' }));
		expect(summary).toBe('PIN verification: Start[Success] > Enter PIN[Success] > Verify PIN with CRM[Success] > PIN check result[Branch-A] > authResult = PASS[Success]');
	});

	it('a long step: right after the launch only the Start row, still running', async () => {
		// 60 s a node: longer than the test may run, so the next row cannot have entered yet.
		emu.setTraceStepMs(60_000);
		expectOk(await launch('job-auth-pass'));
		const rows = expectOk(await trace('job-auth-pass')).List;
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ NodeType: 'INCOMING_CALL', NodeName: 'Start' });
		expect(rows[0]).not.toHaveProperty('LeaveTime');
		expect(rows[0]).not.toHaveProperty('NodeExitCode');
		expect(expectOk(await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: 'job-auth-pass' }))).toBe('PIN verification: Start[in progress]');
	});

	it('every scenario ends as SCENARIOS says (job-auth-long over two pages)', async () => {
		emu.setTraceStepMs(10);
		const ending = Object.keys(SCENARIOS).filter((job) => SCENARIOS[job].finalExitCode !== null);
		const before = Date.now();
		for (const job of ending) expectOk(await launch(job));
		// job-auth-throttled's first polls are throttled: take them out of the way.
		for (let i = 0; i < SCENARIOS['job-auth-throttled'].throttleFirstPolls; i++) expectCode(await trace('job-auth-throttled'), 429, 'Throttling.User');
		await Promise.all(
			ending.map(async (job) => {
				const [rows] = (
					await pollUntil(
						() => allRows(job),
						(r) => authOutcome(r, { contactFlowId: AUTH_FLOW_ID, launchedAt: before }).state === 'finished',
					)
				).slice(-1);
				const own = rows.filter((r) => r.EnterTime >= before);
				expect([job, own.length]).toEqual([job, SCENARIOS[job].script.length]);
				expect([job, authOutcome(rows, { contactFlowId: AUTH_FLOW_ID, launchedAt: before })]).toEqual([
					job,
					expect.objectContaining({ exitCode: SCENARIOS[job].finalExitCode, authResult: SCENARIOS[job].authResult ?? undefined }),
				]);
				const enter = rows.map((r) => r.EnterTime);
				expect([...enter].sort((a, b) => a - b)).toEqual(enter);
			}),
		);
		const long = await trace('job-auth-long', 2);
		expect(expectOk(long)).toMatchObject({ PageNumber: 2, TotalCount: 128 });
		expect(long.json.Data.List).toHaveLength(28);
	});

	it('job-auth-other-flows: the older rows of other flows and runs come first, before the launch', async () => {
		emu.setTraceStepMs(10);
		const history = expectOk(await trace('job-auth-other-flows')).List;
		expect(history.map((r: any) => r.FlowId)).toEqual([...Array(5).fill(MAIN_FLOW_ID), ...Array(3).fill(AUTH_FLOW_ID)]);
		expect(history.every((r: any) => 'LeaveTime' in r)).toBe(true);
		const before = Date.now();
		expectOk(await launch('job-auth-other-flows'));
		const [rows] = (await pollUntil(() => allRows('job-auth-other-flows'), (r) => r.length === 8 + 5 && 'LeaveTime' in r[12])).slice(-1);
		expect(rows.slice(0, 8).map((r) => r.NodeId)).toEqual(history.map((r: any) => r.NodeId));
		expect(rows.slice(0, 8).every((r) => r.EnterTime < before)).toBe(true);
		expect(authOutcome(rows, { contactFlowId: AUTH_FLOW_ID, launchedAt: before })).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS', rows: 5 });
	});

	it('job-auth-never: the caller stays in GATHER_INPUT, the last row never gets a LeaveTime', async () => {
		emu.setTraceStepMs(10);
		expectOk(await launch('job-auth-never'));
		await pollUntil(async () => expectOk(await trace('job-auth-never')).List.length, (n) => n === 2);
		await sleep(100); // ten steps later: still there
		const rows = expectOk(await trace('job-auth-never')).List;
		expect(rows.map((r: any) => r.NodeType)).toEqual(['INCOMING_CALL', 'GATHER_INPUT']);
		expect(rows[1]).not.toHaveProperty('LeaveTime');
		expect(rows[1]).not.toHaveProperty('NodeExitCode');
	});

	it('job-load-<n> and the documented job are traced like job-auth-pass, with their own ContactId', async () => {
		emu.setTraceStepMs(10);
		const before = Date.now();
		for (const job of ['job-load-77', DOC_PARAMS.JobId]) {
			expectOk(await launch(job));
			const [rows] = (await pollUntil(() => allRows(job), (r) => authOutcome(r, { contactFlowId: AUTH_FLOW_ID, launchedAt: before }).state === 'finished')).slice(-1);
			expect(rows.map((r) => [r.NodeType, r.NodeExitCode, r.ContactId])).toEqual(PASS_TYPES.map((t, i) => [t, PASS_EXITS[i], job]));
		}
	});

	it('a launch carried out under a fault (truncated-2xx) is traced; one refused before the action is not', async () => {
		emu.setTraceStepMs(60_000);
		emu.setFaults([
			{ type: 'truncated-2xx', jobId: 'job-auth-pass', times: 1 },
			{ type: 'throttle', jobId: 'job-auth-fail', times: 1 },
		]);
		await launch('job-auth-pass').catch(() => undefined);
		expectCode(await launch('job-auth-fail'), 429, 'Throttling.User');
		expect(expectOk(await trace('job-auth-pass')).TotalCount).toBe(1);
		expect(expectOk(await trace('job-auth-fail')).TotalCount).toBe(0);
		expect(emu.launchCount()).toBe(1);
	});

	it('emu.reset() forgets the launches; setTraceStepMs() starts a fresh trace too', async () => {
		emu.setTraceStepMs(60_000);
		expectOk(await launch('job-auth-pass'));
		expect(expectOk(await trace('job-auth-pass')).TotalCount).toBe(1);
		emu.reset();
		expect(emu.traceStepMs).toBe(60_000); // kept
		expect(expectOk(await trace('job-auth-pass')).TotalCount).toBe(0);
		expect(expectOk(await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: 'job-auth-pass' }))).toBe('无');
		expectOk(await launch('job-auth-pass'));
		emu.setTraceStepMs(60_000);
		expect(expectOk(await trace('job-auth-pass')).TotalCount).toBe(0);
	});
});

describe('job-auth-throttled', () => {
	const polls = SCENARIOS['job-auth-throttled'].throttleFirstPolls;

	it('the first throttleFirstPolls polls after each launch answer 429 Throttling.User, counted per launch', async () => {
		expect(polls).toBe(2);
		emu.setTraceStepMs(60_000);
		// Before any launch: not throttled.
		expectOk(await trace('job-auth-throttled'));
		expectOk(await launch('job-auth-throttled'));
		// Polls of other calls and summaries neither are throttled nor count.
		expectOk(await trace('job-auth-pass'));
		expectOk(await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: 'job-auth-throttled' }));
		for (let n = 0; n < polls; n++) {
			const res = await trace('job-auth-throttled');
			expectCode(res, 429, 'Throttling.User');
			expect(res.json.Message).toBe('Request was denied due to user flow control.');
		}
		expect(expectOk(await trace('job-auth-throttled')).TotalCount).toBe(1);
		expectOk(await trace('job-auth-throttled'));
		// A new launch: throttled again.
		expectOk(await launch('job-auth-throttled'));
		expectCode(await trace('job-auth-throttled'), 429, 'Throttling.User');
		expectCode(await trace('job-auth-throttled'), 429, 'Throttling.User');
		expectOk(await trace('job-auth-throttled'));
		const outcomes = emu.requests.filter((r) => r.action === 'ListIvrTrackingDetails' && r.params.ContactId === 'job-auth-throttled').map((r) => [r.status, r.outcome]);
		expect(outcomes).toEqual([
			[200, 'ok'],
			[429, 'Throttling.User'],
			[429, 'Throttling.User'],
			[200, 'ok'],
			[200, 'ok'],
			[429, 'Throttling.User'],
			[429, 'Throttling.User'],
			[200, 'ok'],
		]);
	});

	it('a poll missing a parameter is answered Missing<Name> and does not count; reset() ends the count', async () => {
		emu.setTraceStepMs(60_000);
		expectOk(await launch('job-auth-throttled'));
		expectCode(await call('ListIvrTrackingDetails', { InstanceId: 'ccc-test', ContactId: 'job-auth-throttled', PageNumber: '1' }), 400, 'MissingPageSize');
		expectCode(await trace('job-auth-throttled'), 429, 'Throttling.User');
		emu.reset();
		expectOk(await trace('job-auth-throttled'));
	});

	it('the trace itself passes like job-auth-pass', async () => {
		emu.setTraceStepMs(10);
		const before = Date.now();
		expectOk(await launch('job-auth-throttled'));
		const answers = await pollUntil(
			() => trace('job-auth-throttled'),
			(res) => res.status === 200 && authOutcome(res.json.Data.List, { contactFlowId: AUTH_FLOW_ID, launchedAt: before }).state === 'finished',
		);
		expect(answers.slice(0, polls).map((r) => r.status)).toEqual([429, 429]);
		expect(answers.slice(polls).every((r) => r.status === 200)).toBe(true);
		const rows = answers[answers.length - 1].json.Data.List;
		expect(authOutcome(rows, { contactFlowId: AUTH_FLOW_ID, launchedAt: before })).toMatchObject({ exitCode: 'Success', authResult: 'PASS' });
	});
});
