import type { IDataObject } from 'n8n-workflow';

import { crmItem, crmWorkflowWith, emulatorCredential, LAUNCH, run, runAndStopWhen, useEmulator, type Emulator } from './harness';

/**
 * What must hold on a live call whatever the endpoint answers: Stop stops, a handled request is never sent
 * twice, every answer is read within one size limit, odd answers are errors that keep their HTTP status,
 * and a failed run says what it had already launched. Launches are counted at the emulator.
 */
const emu = useEmulator();
type Fault = NonNullable<Parameters<Emulator['setFaults']>[0]>[number];

const JOBS = Array.from({ length: 6 }, (_, i) => `job-load-${i}`);
const FAULTY = 'job-load-2';

function launchRequests(jobId?: string) {
	return emu.requests.filter((r) => r.action === 'LaunchAuthentication' && (jobId === undefined || r.params.JobId === jobId));
}

function totalLaunches(): number {
	return JOBS.concat(Array.from({ length: 60 }, (_, i) => `job-load-${100 + i}`)).reduce((n, job) => n + emu.launchCount(job), 0);
}

/** Runs the six jobs with a fault on one of them, Continue On Fail on; returns that job's item and its request count. */
async function runFaulty(fault: Record<string, unknown>, options: IDataObject = {}) {
	emu.setFaults([{ action: 'LaunchAuthentication', jobId: FAULTY, ...fault } as Fault]);
	const wf = crmWorkflowWith({ items: JOBS.map((j) => crmItem(j)), options: { maxRetries: 3, readTimeoutMs: 400, ...options }, onError: 'continueRegularOutput', withNotify: false });
	const result = await run(wf, emulatorCredential(emu));
	expect(result.error).toBeUndefined();
	const items = result.outputs(LAUNCH);
	expect(items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(JOBS.map((_, i) => i));
	const faulty = items[JOBS.indexOf(FAULTY)].json;
	return { faulty, attempts: launchRequests(FAULTY).length, launches: emu.launchCount(FAULTY) };
}

describe('Stop (cancelling the execution) stops the launches', () => {
	it('starts nothing new, drops the rate limiter’s queue and aborts what is in flight', async () => {
		emu.setLatency(30);
		const items = Array.from({ length: 60 }, (_, i) => crmItem(`job-load-${100 + i}`));
		const wf = crmWorkflowWith({ items, options: { concurrency: 2, maxRequestsPerSecond: 20 }, withNotify: false });
		const { result, sentAtCancel } = await runAndStopWhen(wf, emulatorCredential(emu), () => launchRequests().length >= 4, launchRequests);
		expect(sentAtCancel).toBeGreaterThanOrEqual(4);
		expect(result.status).toBe('canceled');
		// Nothing starts after Stop; at most the requests already on their way (Concurrency 2) still arrive.
		expect(launchRequests().length).toBeLessThanOrEqual(sentAtCancel + 2);
		await new Promise((resolve) => setTimeout(resolve, 300)); // longer than two rate-limit gaps
		expect(launchRequests().length).toBeLessThanOrEqual(sentAtCancel + 2);
		expect(totalLaunches()).toBeLessThan(10);
		expect(String(result.error?.message)).toMatch(/^The execution was canceled: \d+ item\(s\) launched, \d+ may have been launched, \d+ not sent\.$/);
	});

	it('ends a retry backoff at once: no attempt after Stop', async () => {
		emu.setFaults([{ type: 'throttle', action: 'LaunchAuthentication' } as Fault]);
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0')], options: { maxRetries: 5, retryBudgetSeconds: 60 }, withNotify: false });
		const { result, sentAtCancel } = await runAndStopWhen(wf, emulatorCredential(emu), () => launchRequests().length >= 1, launchRequests);
		expect(sentAtCancel).toBe(1);
		expect(result.status).toBe('canceled');
		// Without cancellation the next attempt would come within 300-600 ms (first backoff, with jitter).
		await new Promise((resolve) => setTimeout(resolve, 1000));
		expect(launchRequests().length).toBe(sentAtCancel);
	});

	it('Stop during a retry backoff after a 5xx (Retry on Server Errors): reported as possibly launched, not as not sent', async () => {
		// A 5xx may mean CCC started the flow; the backoff that follows is not "before this item's request started".
		emu.setFaults([{ type: 'error-no-code', status: 500, action: 'LaunchAuthentication' } as Fault]);
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0')], options: { retryOnServerErrors: true, maxRetries: 5, retryBudgetSeconds: 60 }, withNotify: false });
		// Stop 150 ms after the first request: its 500 came back at once and the first backoff lasts 300-600 ms, so
		// Stop lands in the backoff. (Were it ever earlier or later, Stop would meet the request in flight, which
		// is also "may have been launched": the expectations hold either way.)
		let firstSeenAt: number | undefined;
		const { result, sentAtCancel } = await runAndStopWhen(
			wf,
			emulatorCredential(emu),
			() => launchRequests().length >= 1 && Date.now() - (firstSeenAt ??= Date.now()) >= 150,
			launchRequests,
		);
		expect(result.status).toBe('canceled');
		expect(result.error?.message).toBe('The execution was canceled: 0 item(s) launched, 1 may have been launched, 0 not sent.');
		expect(result.error?.description).toMatch(/May have been launched \(no clear answer\): 1 item\(s\), JobId job-load-0\./);
		await new Promise((resolve) => setTimeout(resolve, 700)); // longer than the first backoff
		expect(launchRequests().length).toBe(sentAtCancel);
	});

	it('an in-flight request cut off by Stop is reported as possibly launched', async () => {
		emu.setLatency(2000);
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0')], withNotify: false });
		const { result } = await runAndStopWhen(wf, emulatorCredential(emu), () => emu.maxInFlight() >= 1);
		expect(result.status).toBe('canceled');
		expect(result.error?.message).toBe('The execution was canceled: 0 item(s) launched, 1 may have been launched, 0 not sent.');
		expect(result.error?.description).toMatch(/May have been launched \(no clear answer\): 1 item\(s\), JobId job-load-0\./);
	});
});

describe('a handled request is never sent twice, and odd answers are errors with their HTTP status', () => {
	it.each([
		['truncated-2xx', { type: 'truncated-2xx' }, /^The endpoint answered HTTP 200 but with a body that was incomplete/, 1],
		['drip-2xx', { type: 'drip-2xx', delayMs: 150 }, /^The endpoint answered HTTP 200 but with a body that did not arrive within \d+ ms \(Connect Timeout \+ Read Timeout/, 1],
		['redirect with a valid CCC body', { type: 'redirect' }, /^The endpoint answered HTTP 302 \(a redirect/, 0],
		['Data {}', { type: 'bad-data', data: {} }, /no usable UserContext and CallContext \(UserContext: missing, CallContext: missing\)/, 1],
		['contexts that are not objects', { type: 'bad-data', data: { UserContext: 'x', CallContext: 5 } }, /\(UserContext: string, CallContext: number\)/, 1],
		['a list as CallContext', { type: 'bad-data', data: { UserContext: {}, CallContext: [] } }, /\(UserContext: object, CallContext: a list\)/, 1],
	])('%s: one request even with Retry on Server Errors, and a clear error', async (_name, fault, message, launches) => {
		const r = await runFaulty(fault, { retryOnServerErrors: true });
		expect(String(r.faulty.error)).toMatch(message);
		expect(r.faulty.ChannelId).toBeUndefined();
		expect(r.attempts).toBe(1);
		expect(r.launches).toBe(launches);
	});

	it.each(['{}', '[]', 'null', '{"message":"denied by WAF"}'])('HTTP 403 with %s and no Code: named with its status, never retried', async (body) => {
		const r = await runFaulty({ type: 'error-no-code', status: 403, body }, { retryOnServerErrors: true });
		expect(String(r.faulty.error)).toMatch(/^The endpoint answered HTTP 403 with JSON without a CCC error code: .*The request was refused; nothing was carried out\./);
		expect(String(r.faulty.error)).not.toMatch(/undefined/);
		expect(r.attempts).toBe(1);
		expect(r.launches).toBe(0);
	});

	it.each([
		['error-no-code 500', { type: 'error-no-code', status: 500, times: 1 }, /^The endpoint answered HTTP 500 with JSON without a CCC error code/],
		['error-xml 500', { type: 'error-xml', status: 500, times: 1 }, /^The endpoint answered HTTP 500 with an error whose body is not JSON/],
	])('%s keeps its status; retried only with Retry on Server Errors', async (_name, fault, message) => {
		const off = await runFaulty(fault);
		expect(String(off.faulty.error)).toMatch(message);
		expect(off.attempts).toBe(1);
		emu.reset();
		const on = await runFaulty(fault, { retryOnServerErrors: true });
		expect(on.faulty.ChannelId).toBeDefined();
		expect(on.attempts).toBe(2);
	});

	it('a lone surrogate in a field is a parameter error naming the field and the item; nothing is sent', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0'), crmItem('job-\uD800')], onError: 'continueRegularOutput', withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		const [, bad] = result.outputs(LAUNCH);
		expect(bad.json.error).toBe('"Job ID" (parameter "jobId") of item 1 contains invalid text (a broken Unicode character, such as a lone surrogate)');
		expect(launchRequests().map((r) => r.params.JobId)).toEqual(['job-load-0']);
	});
});

describe('every answer is read within one size limit', () => {
	it.each([
		['a 50 MB error answer', { type: 'huge-error', status: 500 }],
		['an endless answer', { type: 'endless', status: 200 }],
	])('%s is cut off at 1 MB with a clear error', async (_name, fault) => {
		const r = await runFaulty(fault, { readTimeoutMs: 30_000 });
		expect(String(r.faulty.error)).toMatch(/more than the 1048576 bytes a CCC answer can be; refused/);
		expect(r.attempts).toBe(1);
	});
});

describe('answer data cannot reshape objects', () => {
	it('an answer key "__proto__" stays a plain field: nothing is inherited', async () => {
		const data = JSON.parse('{"UserContext":{"UserId":"u","__proto__":{"isAdmin":true}},"CallContext":{"JobId":"j","ChannelContexts":[{"ChannelId":"c","__proto__":{"isAdmin":true}}]}}');
		const r = await runFaulty({ type: 'bad-data', data });
		expect(r.faulty.ChannelId).toBe('c');
		const user = r.faulty.UserContext as IDataObject;
		expect(user.UserId).toBe('u');
		expect(user.isAdmin).toBeUndefined();
		expect(r.faulty.isAdmin).toBeUndefined();
		expect(Object.getPrototypeOf(user)).toBe(Object.prototype);
	});
});

describe('a failed run says what it had already launched', () => {
	it('lists the launched JobIds in the error, so that a rerun does not ask those callers twice', async () => {
		emu.setFaults([{ type: 'throttle', action: 'LaunchAuthentication', jobId: 'job-load-3' } as Fault]);
		const wf = crmWorkflowWith({ items: JOBS.map((j) => crmItem(j)), options: { concurrency: 1, maxRetries: 1 }, withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toMatch(/^CCC error Throttling\.User/);
		expect(result.error?.description).toContain('Already launched before this failure: 3 item(s), JobId job-load-0, job-load-1, job-load-2.');
		expect(result.error?.description).toContain('Running the workflow again would ask these callers again');
		expect(launchRequests().map((r) => r.params.JobId)).toEqual(['job-load-0', 'job-load-1', 'job-load-2', 'job-load-3', 'job-load-3']);
	});

	it('an item in a retry backoff after a 5xx when another item fails is named as possibly launched, and the real failure is the error', async () => {
		emu.setFaults([
			{ type: 'error-no-code', status: 500, action: 'LaunchAuthentication', jobId: 'job-load-0' } as Fault,
			{ type: 'error-no-code', status: 403, body: '{}', action: 'LaunchAuthentication', jobId: 'job-load-1' } as Fault,
		]);
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0'), crmItem('job-load-1')], options: { retryOnServerErrors: true, maxRetries: 3 }, withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toMatch(/^The endpoint answered HTTP 403/);
		expect(result.error?.description).toContain('May have been launched (no clear answer): 1 item(s), JobId job-load-0.');
		// job-load-0's retry was never sent: the node stopped at the 403.
		expect(launchRequests('job-load-0')).toHaveLength(1);
	});
});
