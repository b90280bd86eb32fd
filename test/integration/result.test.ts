import type { IDataObject } from 'n8n-workflow';

import { authentication, crmItem, crmWorkflowWith, DOC, emulatorCredential, LAUNCH, launchItems, run, runAndStopWhen, useEmulator, type Emulator } from './harness';

/**
 * The outcome of the authentication, read from the call's IVR trace: Wait for Result on Launch, and the Get
 * Result operation (never launches). The emulator's scenario jobs grow their trace over time after the launch
 * (one node every traceStepMs) and end as their names say.
 */
const emu = useEmulator();
type Fault = NonNullable<Parameters<Emulator['setFaults']>[0]>[number];

const SCENARIOS = ['job-auth-pass', 'job-auth-fail', 'job-auth-hangup', 'job-auth-never', 'job-auth-other-flows', 'job-auth-long', 'job-auth-throttled'];
const WAIT = { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 6, maxRetries: 5 };

// One node every 25 ms: the longest scenario (job-auth-long, 128 rows) ends within 3.2 s, before Result Timeout.
beforeEach(() => emu.setTraceStepMs(25));

const launchAndWait = (jobs: string[], options: IDataObject = {}) => launchItems(emu, jobs, { ...WAIT, ...options });

describe('Wait for Result', () => {
	it('tells each scenario’s outcome, never launching twice', async () => {
		const items = await launchAndWait(SCENARIOS);
		expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(SCENARIOS.map((_, i) => i));
		const byJob = Object.fromEntries(items.map((item, i) => [SCENARIOS[i], authentication(item)]));
		expect(byJob['job-auth-pass']).toMatchObject({ Status: 'Passed', ExitCode: 'Success', Variables: expect.objectContaining({ authResult: 'PASS', digits: '482193' }) });
		expect(byJob['job-auth-fail']).toMatchObject({ Status: 'Failed', ExitCode: 'Failure', Variables: expect.objectContaining({ authResult: 'FAIL' }) });
		expect(byJob['job-auth-hangup']).toMatchObject({ Status: 'Hangup', ExitCode: 'Hangup' });
		expect(byJob['job-auth-never']).toMatchObject({ Status: 'Timeout', ExitCode: null, FinishedAt: null, Reason: expect.stringMatching(/did not finish within 6 s/) });
		// The earlier run of the same flow in this call failed; only the run after this launch counts.
		expect(byJob['job-auth-other-flows']).toMatchObject({ Status: 'Passed', Variables: expect.objectContaining({ authResult: 'PASS' }) });
		expect(byJob['job-auth-long']).toMatchObject({ Status: 'Passed' });
		expect(byJob['job-auth-throttled']).toMatchObject({ Status: 'Passed' });
		for (const result of Object.values(byJob)) {
			expect(Date.parse(String(result.StartedAt))).toBeGreaterThan(0);
			if (result.Status !== 'Timeout') expect(Date.parse(String(result.FinishedAt))).toBeGreaterThanOrEqual(Date.parse(String(result.StartedAt)));
		}
		for (const job of SCENARIOS) expect(emu.launchCount(job)).toBe(1);
		// The long trace spans two pages; the throttled polls were retried.
		const traceRequests = emu.requests.filter((r) => r.action === 'ListIvrTrackingDetails');
		expect(traceRequests.some((r) => r.params.ContactId === 'job-auth-long' && r.params.PageNumber === '2')).toBe(true);
		expect(traceRequests.filter((r) => r.params.ContactId === 'job-auth-throttled' && r.status === 429)).toHaveLength(2);
	});

	it('Include Trace adds the run’s rows, typed; "Flow Variable Equals" judges by a variable', async () => {
		const items = await launchAndWait(['job-auth-pass', 'job-auth-fail'], { includeTrace: true, passRule: 'variableEquals', passVariableName: 'authResult', passVariableValue: 'PASS' });
		expect(items.map((i) => authentication(i).Status)).toEqual(['Passed', 'Failed']);
		const trace = items[0].json.Trace as IDataObject[];
		expect(trace.length).toBe(5);
		expect(trace.every((row) => row.FlowId === DOC.contactFlowId)).toBe(true);
		expect(typeof trace[0].EnterTime).toBe('number');
		expect(trace[0].NodeType).toBe('INCOMING_CALL');
		expect(trace.at(-1)?.ChannelVariables).toMatchObject({ authResult: 'PASS' });
	});

	it('every channel item of the call carries the outcome', async () => {
		const items = await launchAndWait(['job-three-channels']);
		expect(items).toHaveLength(3);
		expect(items.map((i) => authentication(i).Status)).toEqual(['Passed', 'Passed', 'Passed']);
		expect(authentication(items[0])).not.toBe(authentication(items[1]));
	});

	it('a poll that keeps failing gives Status Unknown with the reason on an otherwise successful item', async () => {
		emu.setFaults([{ type: 'server-error', action: 'ListIvrTrackingDetails' } as Fault]);
		const [item] = await launchAndWait(['job-auth-pass']);
		expect(item.json.ChannelId).toBeDefined();
		expect(authentication(item)).toMatchObject({ Status: 'Unknown', Reason: expect.stringMatching(/^Reading the IVR trace failed: CCC error InternalError/) });
		expect(emu.requests.filter((r) => r.action === 'ListIvrTrackingDetails')).toHaveLength(1);
		expect(emu.launchCount('job-auth-pass')).toBe(1);
	});

	it('Stop ends the waiting at once: no poll after it', async () => {
		emu.setTraceStepMs(60_000);
		const wf = crmWorkflowWith({ items: [crmItem('job-auth-never')], options: { ...WAIT, resultTimeoutSeconds: 60 }, withNotify: false, typeVersion: 2 });
		let pollsAtCancel = -1;
		let watch: NodeJS.Timeout | undefined;
		const polls = () => emu.requests.filter((r) => r.action === 'ListIvrTrackingDetails').length;
		const result = await run(wf, emulatorCredential(emu), {
			onStarted: ({ cancel }) => {
				watch = setInterval(() => {
					if (polls() < 2) return;
					clearInterval(watch);
					pollsAtCancel = polls();
					cancel();
				}, 1);
			},
		}).finally(() => clearInterval(watch));
		expect(result.status).toBe('canceled');
		expect(result.error?.message).toBe('The execution was canceled: 1 item(s) launched, 0 may have been launched, 0 not sent.');
		await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than the poll interval
		expect(polls()).toBe(pollsAtCancel);
	});
});

describe('Get Result (reads the trace, never launches)', () => {
	function getResultWorkflow(jobs: string[], options: IDataObject = {}) {
		return crmWorkflowWith({
			items: jobs.map((j) => crmItem(j)),
			typeVersion: 2,
			withNotify: false,
			parameters: { operation: 'getResult', resultOptions: options },
		});
	}

	it('judges the latest run of the flow in each call; a call still in the flow is Pending', async () => {
		emu.setTraceStepMs(5);
		await launchAndWait(['job-auth-pass', 'job-auth-fail', 'job-auth-hangup', 'job-auth-never'], { waitForResult: false });
		await new Promise((resolve) => setTimeout(resolve, 300)); // the scenarios' 5 to 11 nodes, 5 ms each
		const launches = emu.launchCount();
		const result = await run(getResultWorkflow(['job-auth-pass', 'job-auth-fail', 'job-auth-hangup', 'job-auth-never', 'job-auth-other-flows']), emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		const items = result.outputs(LAUNCH);
		expect(items.map((i) => authentication(i).Status)).toEqual(['Passed', 'Failed', 'Hangup', 'Pending', 'Failed']);
		expect(items[0].json).toMatchObject({ InstanceId: 'ccc-test', ContactFlowId: DOC.contactFlowId, JobId: 'job-auth-pass' });
		expect(authentication(items[3]).Reason).toMatch(/still in the flow/);
		// job-auth-other-flows was never launched here: its trace holds only an earlier run, which failed.
		expect(emu.launchCount()).toBe(launches);
	});

	it('"Launched At" limits the run to rows from then on; Wait Until Finished polls to the end', async () => {
		emu.setTraceStepMs(40);
		const before = new Date().toISOString();
		await launchAndWait(['job-auth-other-flows'], { waitForResult: false });
		const after = await run(getResultWorkflow(['job-auth-other-flows'], { launchedAt: before, waitUntilFinished: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 10 }), emulatorCredential(emu));
		expect(authentication(after.outputs(LAUNCH)[0])).toMatchObject({ Status: 'Passed' });
		const bad = await run(getResultWorkflow(['job-auth-other-flows'], { launchedAt: 'yesterday-ish' }), emulatorCredential(emu));
		expect(bad.error?.message).toBe('"Launched At" of item 0 is not a date and time: "yesterday-ish"');
	});
});

describe('the cost of waiting', () => {
	it('1,000 items waiting at once hold no Concurrency slot: all of them launch while the first still wait', async () => {
		emu.setTraceStepMs(600_000); // no run finishes: every item would wait out its Result Timeout (600 s)
		const jobs = Array.from({ length: 1000 }, (_, i) => `job-load-${i}`);
		const wf = crmWorkflowWith({
			items: jobs.map((j) => crmItem(j)),
			options: { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 600, concurrency: 5 },
			withNotify: false,
			typeVersion: 2,
		});
		// Items holding their slot while waiting would never get past the fifth launch (each waits 600 s).
		const { result } = await runAndStopWhen(wf, emulatorCredential(emu), () => emu.launchCount() >= 1000);
		expect(result.status).toBe('canceled');
		expect(emu.launchCount()).toBe(1000);
		const [, launched, maybe, notSent] = /^The execution was canceled: (\d+) item\(s\) launched, (\d+) may have been launched, (\d+) not sent\.$/.exec(String(result.error?.message)) ?? [];
		expect(Number(launched) + Number(maybe)).toBe(1000);
		expect(notSent).toBe('0');
		// Launches and polls together share the Concurrency 5 slots, whatever the number waiting.
		expect(emu.maxInFlight()).toBeLessThanOrEqual(5);
	}, 120_000);

	it('launches and result polls together stay within Max Requests per Second', async () => {
		emu.setTraceStepMs(600_000);
		const jobs = Array.from({ length: 150 }, (_, i) => `job-load-${i}`);
		const wf = crmWorkflowWith({
			items: jobs.map((j) => crmItem(j)),
			options: { waitForResult: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 600, concurrency: 5, maxRequestsPerSecond: 100 },
			withNotify: false,
			typeVersion: 2,
		});
		const polls = () => emu.requestCount('ListIvrTrackingDetails');
		const { result } = await runAndStopWhen(wf, emulatorCredential(emu), () => emu.launchCount() >= 150 && polls() >= 300);
		expect(result.status).toBe('canceled');
		expect(emu.launchCount()).toBe(150);
		expect(emu.maxRequestsInWindow(1000, '*')).toBeLessThanOrEqual(100);
	}, 120_000);
});
