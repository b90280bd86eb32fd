import type { IDataObject } from 'n8n-workflow';

import { authentication, crmItem, crmWorkflowWith, DOC, emulatorCredential, LAUNCH, launchItems, run, runAndStopWhen, useEmulator, type Emulator } from './harness';

/**
 * Issue 19: the result is right on a relaunch, hostile or odd trace answers end as a clear Unknown (never a
 * silent Pending/Timeout, never a JS "Invalid time value"), what one read holds is bounded, Result Timeout
 * ends a read under way, launches go first under a rate cap, and Concurrency caps every request in flight.
 * Run through n8n's engine against the emulator; hostile answers come from its faults (bad-data, no-data,
 * latency) and its job-auth-relaunch scenario.
 */
const emu = useEmulator();
type Fault = NonNullable<Parameters<Emulator['setFaults']>[0]>[number];
const WAIT = { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 2 };

beforeEach(() => emu.setTraceStepMs(25));

const launchAndWait = (jobs: string[], options: IDataObject = {}) => launchItems(emu, jobs, { ...WAIT, ...options });

function getResult(jobs: string[], options: IDataObject, onError?: 'continueRegularOutput') {
	const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), typeVersion: 2, withNotify: false, onError, parameters: { operation: 'getResult', resultOptions: options } });
	return run(wf, emulatorCredential(emu));
}

/** A trace answer (ListIvrTrackingDetails Data) the emulator sends instead of the real one. */
function traceAnswer(list: unknown, totalCount?: number): Fault {
	return { type: 'bad-data', action: 'ListIvrTrackingDetails', data: { PageNumber: 1, PageSize: 100, TotalCount: totalCount ?? (Array.isArray(list) ? list.length : 0), List: list } } as Fault;
}

const flowRow = (fields: IDataObject): IDataObject => ({ FlowId: DOC.contactFlowId, NodeName: 'Set result', NodeType: 'SET_VARIABLES', NodeVariables: {}, ChannelVariables: '', ...fields });

describe('a relaunch right after a failed attempt (item 1)', () => {
	it('the second launch reports its own run (Passed), not the failed run that ended 1 s before it', async () => {
		const [first] = await launchAndWait(['job-auth-relaunch'], { resultTimeoutSeconds: 10 });
		expect(authentication(first)).toMatchObject({ Status: 'Failed', ExitCode: 'Failure' });
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const relaunchedAt = Date.now();
		const [second] = await launchAndWait(['job-auth-relaunch'], { resultTimeoutSeconds: 10 });
		expect(authentication(second)).toMatchObject({ Status: 'Passed', ExitCode: 'Success', Variables: expect.objectContaining({ authResult: 'PASS' }) });
		expect(Date.parse(String(authentication(second).StartedAt))).toBeGreaterThanOrEqual(relaunchedAt);
		expect(emu.launchCount('job-auth-relaunch')).toBe(2);
	});

	it('an old row with authResult=PASS (Flow Variable Equals) or an old Hangup 4 s before the launch decides nothing', async () => {
		const t = Date.now();
		for (const exit of [{ NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } }, { NodeExitCode: 'Hangup' }]) {
			emu.setFaults([traceAnswer([flowRow({ NodeType: 'INCOMING_CALL', EnterTime: t - 4300, LeaveTime: t - 4200, NodeExitCode: 'Success' }), flowRow({ EnterTime: t - 4200, LeaveTime: t - 4000, ...exit })])]);
			const [item] = await launchAndWait(['job-auth-pass'], { passRule: 'variableEquals', passVariableName: 'authResult', passVariableValue: 'PASS' });
			expect(authentication(item)).toMatchObject({ Status: 'Timeout', Reason: expect.stringMatching(/not started yet/) });
		}
	});

	it('a single instantaneous old row (no duration to rule it out) decides nothing either: CCC’s own clock, from its answer’s Date, places it before the launch', async () => {
		const t = Date.now();
		for (const exit of [{ NodeExitCode: 'Hangup' }, { NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } }]) {
			emu.setFaults([traceAnswer([flowRow({ NodeType: 'INCOMING_CALL', EnterTime: t - 2500, ...exit })])]);
			const [item] = await launchAndWait(['job-auth-pass'], { passRule: 'variableEquals', passVariableName: 'authResult', passVariableValue: 'PASS' });
			expect(authentication(item)).toMatchObject({ Status: 'Timeout', Reason: expect.stringMatching(/not started yet/) });
		}
	});
});

describe('odd trace answers end as a clear Unknown, never a silent Pending or a crash (items 2, 3, 4)', () => {
	it('LeaveTime 0 is "not left": the run goes on (Timeout), never Failed at 1970-01-01', async () => {
		const t = Date.now();
		emu.setFaults([traceAnswer([flowRow({ NodeType: 'INCOMING_CALL', EnterTime: t, LeaveTime: t, NodeExitCode: 'Success' }), flowRow({ EnterTime: t, LeaveTime: 0, NodeExitCode: 'Failure' })])]);
		const [item] = await launchAndWait(['job-auth-pass']);
		expect(authentication(item)).toMatchObject({ Status: 'Timeout', FinishedAt: null });
	});

	it('an OK answer without Data, or with Data.List not a list, is Unknown with the reason at the first poll', async () => {
		for (const [fault, why] of [
			[{ type: 'no-data', action: 'ListIvrTrackingDetails' } as Fault, /without Data/],
			[traceAnswer({ rows: [] }), /Data\.List that is not a list/],
			[traceAnswer(null), /Data\.List that is not a list/],
		] as const) {
			emu.reset();
			emu.setFaults([fault]);
			const [item] = await launchAndWait(['job-load-77'], { resultTimeoutSeconds: 60 });
			expect(authentication(item)).toMatchObject({ Status: 'Unknown', Reason: expect.stringMatching(why) });
			// Decided at the first poll (polls of other tests' items, still under way, do not count).
			expect(emu.requests.filter((r) => r.action === 'ListIvrTrackingDetails' && r.params.ContactId === 'job-load-77')).toHaveLength(1);
		}
	});

	it('times out of range are Unknown naming the field, on Wait for Result and on Get Result (no item error)', async () => {
		const t = Date.now();
		for (const bad of [{ EnterTime: 1e20 }, { EnterTime: t, LeaveTime: 1e20 }, { EnterTime: '2026-02-30T10:00:00Z' }]) {
			emu.setFaults([traceAnswer([flowRow({ NodeType: 'INCOMING_CALL', EnterTime: t, LeaveTime: t, NodeExitCode: 'Success' }), flowRow({ NodeExitCode: 'Success', ...bad })])]);
			const [waited] = await launchAndWait(['job-auth-pass']);
			expect(authentication(waited)).toMatchObject({ Status: 'Unknown', Reason: expect.stringMatching(/has (EnterTime|LeaveTime) .*cannot be read as a time/) });
			const read = await getResult(['job-auth-pass'], {});
			expect(read.error).toBeUndefined();
			expect(authentication(read.outputs(LAUNCH)[0])).toMatchObject({ Status: 'Unknown', Reason: expect.stringMatching(/cannot be read as a time/) });
		}
	});

	it('rows written in seconds or as ISO text with a zone are read, not dropped', async () => {
		const t = Date.now();
		for (const time of [(ms: number) => ms / 1000, (ms: number) => new Date(ms).toISOString()]) {
			emu.setFaults([traceAnswer([flowRow({ NodeType: 'INCOMING_CALL', EnterTime: time(t), LeaveTime: time(t), NodeExitCode: 'Success' }), flowRow({ EnterTime: time(t), LeaveTime: time(t), NodeExitCode: 'Success' })])]);
			const [item] = await launchAndWait(['job-auth-pass']);
			expect(authentication(item)).toMatchObject({ Status: 'Passed', StartedAt: new Date(t).toISOString() });
		}
	});
});

describe('what one read holds, and how long (items 5, 6)', () => {
	it('pages of 100 rows of ~9 kB, TotalCount 10,000, last row open: the read stops at its 2 MB budget, Unknown', async () => {
		const t = Date.now();
		const big = 'x'.repeat(9000);
		const page = Array.from({ length: 100 }, (_, k) => flowRow({ EnterTime: t + k, ...(k < 99 ? { LeaveTime: t + k + 1, NodeExitCode: 'Success' } : {}), NodeProperties: { big } }));
		emu.setFaults([traceAnswer(page, 10_000)]);
		const [item] = await launchAndWait(['job-auth-pass'], { resultTimeoutSeconds: 60 });
		expect(authentication(item)).toMatchObject({ Status: 'Unknown', Reason: expect.stringMatching(/exceed 2 MB/) });
		expect(emu.requestCount('ListIvrTrackingDetails')).toBeLessThan(5);
	});

	it('rows of other flows are not kept whole: pages of 9 kB rows of another flow stay within the budget', async () => {
		const t = Date.now();
		const big = 'x'.repeat(9000);
		const page = Array.from({ length: 100 }, (_, k) => ({ ...flowRow({ EnterTime: t + k, LeaveTime: t + k + 1, NodeExitCode: 'Success', NodeProperties: { big } }), FlowId: 'main-ivr' }));
		emu.setFaults([traceAnswer(page, 400)]);
		const [item] = await launchAndWait(['job-auth-pass'], { resultTimeoutSeconds: 1 });
		// 4 pages of 900 kB each (3.6 MB) were read: no budget error, the flow has not started.
		expect(authentication(item)).toMatchObject({ Status: 'Timeout', Reason: expect.stringMatching(/not started yet/) });
	});

	it('Result Timeout ends the wait in the middle of a 100-page read', async () => {
		const t = Date.now();
		const page = Array.from({ length: 100 }, (_, k) => ({ FlowId: 'main-ivr', EnterTime: t + k }));
		emu.setFaults([traceAnswer(page, 10_000), { type: 'latency', action: 'ListIvrTrackingDetails', delayMs: 100 } as Fault]);
		const [item] = await launchAndWait(['job-auth-pass'], { resultTimeoutSeconds: 1 });
		expect(authentication(item)).toMatchObject({ Status: 'Timeout', Reason: expect.stringMatching(/did not finish within 1 s/) });
		// 100 pages at 100 ms each would take 10 s: the wait stopped reading long before.
		expect(emu.requestCount('ListIvrTrackingDetails')).toBeLessThan(50);
	});
});

describe('the request budget (item 7, item 15 Concurrency)', () => {
	it('under a rate cap every launch goes before any result poll', async () => {
		emu.setTraceStepMs(600_000);
		const jobs = Array.from({ length: 30 }, (_, i) => `job-load-${i}`);
		const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options: { ...WAIT, resultTimeoutSeconds: 600, concurrency: 5, maxRequestsPerSecond: 20 }, withNotify: false, typeVersion: 2 });
		const { result } = await runAndStopWhen(wf, emulatorCredential(emu), () => emu.launchCount() >= 30 && emu.requestCount('ListIvrTrackingDetails') >= 10);
		expect(result.status).toBe('canceled');
		const actions = emu.requests.map((r) => r.action).filter((a) => a === 'LaunchAuthentication' || a === 'ListIvrTrackingDetails');
		const lastLaunch = actions.lastIndexOf('LaunchAuthentication');
		const firstPoll = actions.indexOf('ListIvrTrackingDetails');
		expect(lastLaunch).toBe(29);
		expect(firstPoll).toBeGreaterThan(lastLaunch);
	}, 60_000);

	it('Concurrency caps launches and polls together: at most that many requests in flight at the endpoint', async () => {
		emu.setTraceStepMs(600_000);
		emu.setLatency(100);
		const jobs = Array.from({ length: 12 }, (_, i) => `job-load-${i}`);
		const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options: { ...WAIT, resultTimeoutSeconds: 600, concurrency: 3 }, withNotify: false, typeVersion: 2 });
		const { result } = await runAndStopWhen(wf, emulatorCredential(emu), () => emu.launchCount() >= 12 && emu.requestCount('ListIvrTrackingDetails') >= 24);
		expect(result.status).toBe('canceled');
		expect(emu.launchCount()).toBe(12);
		expect(emu.maxInFlight()).toBe(3);
	}, 60_000);
});

describe('options given as text, Launched At (items 13, 15)', () => {
	it('numeric text for Result Timeout and Poll Interval is used, not the 60 s default', async () => {
		emu.setTraceStepMs(600_000);
		const [item] = await launchAndWait(['job-auth-never'], { pollIntervalSeconds: '1', resultTimeoutSeconds: ' 2 ' });
		expect(authentication(item)).toMatchObject({ Status: 'Timeout', Reason: expect.stringMatching(/did not finish within 2 s/) });
	});

	it('text that is not a number fails naming the option', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('job-auth-pass')], options: { ...WAIT, resultTimeoutSeconds: 'soon' }, withNotify: false, typeVersion: 2 });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toMatch(/"Result Timeout \(s\)" must be a number, not "soon"/);
		expect(emu.launchCount()).toBe(0);
	});

	it('with Continue On Fail, an option that is not a number becomes an error item for every input item; nothing is sent', async () => {
		for (const typeVersion of [1, 2]) {
			const wf = crmWorkflowWith({ items: [crmItem('job-auth-pass'), crmItem('job-auth-fail')], options: { concurrency: 'many' }, onError: 'continueRegularOutput', withNotify: false, typeVersion });
			const result = await run(wf, emulatorCredential(emu));
			expect(result.error).toBeUndefined();
			const items = result.outputs(LAUNCH);
			expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1]);
			for (const item of items) expect(item.json.error).toMatch(/"Concurrency" must be a number, not "many"/);
		}
		const read = await getResult(['job-auth-pass', 'job-auth-fail'], { pollIntervalSeconds: 'often' }, 'continueRegularOutput');
		expect(read.error).toBeUndefined();
		const items = read.outputs(LAUNCH);
		expect(items).toHaveLength(2);
		for (const item of items) expect(item.json.error).toMatch(/"Poll Interval \(s\)" must be a number, not "often"/);
		expect(emu.requestCount()).toBe(0);
	});

	it('with Continue On Fail, an item that could not be read keeps its own error beside a bad option', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('job-auth-pass'), crmItem(''), crmItem('job-auth-fail')], options: { concurrency: 'many' }, onError: 'continueRegularOutput', withNotify: false, typeVersion: 2 });
		const result = await run(wf, emulatorCredential(emu));
		const items = result.outputs(LAUNCH);
		expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual([0, 1, 2]);
		expect(items[0].json.error).toMatch(/"Concurrency" must be a number/);
		expect(items[1].json.error).toMatch(/^"Job ID" .*of item 1 is empty/);
		expect(items[2].json.error).toMatch(/"Concurrency" must be a number/);
		expect(emu.requestCount()).toBe(0);
	});

	it('Launched At: a date not on the calendar and "0" are refused; a Unix time in seconds is read as seconds', async () => {
		for (const launchedAt of ['2026-02-30T10:00:00Z', '0', 0, '2026-13-01']) {
			const result = await getResult(['job-auth-pass'], { launchedAt });
			expect(result.error?.message).toMatch(/^"Launched At" of item 0 is not a date and time/);
		}
		emu.setTraceStepMs(5);
		await launchAndWait(['job-auth-pass'], { waitForResult: false });
		const seconds = Math.floor(Date.now() / 1000) - 2;
		await new Promise((resolve) => setTimeout(resolve, 200));
		const read = await getResult(['job-auth-pass'], { launchedAt: seconds });
		expect(read.error).toBeUndefined();
		expect(authentication(read.outputs(LAUNCH)[0])).toMatchObject({ Status: 'Passed' });
		// In seconds a time 2 s ago; read as milliseconds it would be January 1970 and the read would not be the launch's.
		const future = await getResult(['job-auth-pass'], { launchedAt: seconds + 60 });
		expect(authentication(future.outputs(LAUNCH)[0])).toMatchObject({ Status: 'Pending' });
	});
});
