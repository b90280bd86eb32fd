import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { crmItem, crmWorkflowWith, emulatorCredential, LAUNCH, run, startEmulator, useEmulator, type Emulator } from './harness';

/**
 * Fault injection: for each fault the emulator can produce, a workflow of several items runs with
 * Continue On Fail. Every input item must end as output items or exactly one linked error item (none
 * lost, none duplicated), and the emulator's log proves how many launches each item caused.
 */
const emu = useEmulator();

const JOBS = ['job-load-0', 'job-load-1', 'job-load-2', 'job-load-3', 'job-load-4', 'job-load-5'];
const FAULTY = 'job-load-2';
const FAST_RETRIES = { maxRetries: 3, concurrency: 3, readTimeoutMs: 400, connectTimeoutMs: 400 };

function byInput(items: INodeExecutionData[]): Map<number, INodeExecutionData[]> {
	const map = new Map<number, INodeExecutionData[]>();
	for (const item of items) {
		const index = (item.pairedItem as { item: number }).item;
		map.set(index, [...(map.get(index) ?? []), item]);
	}
	return map;
}

type Fault = NonNullable<Parameters<Emulator['setFaults']>[0]>[number];

async function runFaulty(fault: Omit<Fault, 'type'> & { type: string }, options: IDataObject = {}) {
	emu.setFaults([{ action: 'LaunchAuthentication', jobId: FAULTY, ...fault } as Fault]);
	const wf = crmWorkflowWith({ items: JOBS.map((j) => crmItem(j)), options: { ...FAST_RETRIES, ...options }, onError: 'continueRegularOutput', withNotify: false });
	const result = await run(wf, emulatorCredential(emu));
	expect(result.error).toBeUndefined();
	const items = result.outputs(LAUNCH);
	const grouped = byInput(items);
	// Nothing lost, nothing duplicated: one item per input (each job has one channel, or an error).
	expect([...grouped.keys()].sort()).toEqual(JOBS.map((_, i) => i));
	for (const [, list] of grouped) expect(list).toHaveLength(1);
	// The healthy items each launched exactly once.
	for (const job of JOBS.filter((j) => j !== FAULTY)) expect(emu.launchCount(job)).toBe(1);
	const faulty = grouped.get(JOBS.indexOf(FAULTY))![0].json;
	const attempts = emu.requests.filter((r) => r.params.JobId === FAULTY).length;
	return { faulty, attempts, launches: emu.launchCount(FAULTY) };
}

describe('safe retries', () => {
	it('Throttling answers are retried with backoff until they pass: one launch', async () => {
		const r = await runFaulty({ type: 'throttle', times: 2 });
		expect(r.faulty.ChannelId).toBeDefined();
		expect(r.attempts).toBe(3);
		expect(r.launches).toBe(1);
	});

	it('endless Throttling stops after Max Retries with the code', async () => {
		const r = await runFaulty({ type: 'throttle' }, { maxRetries: 2 });
		expect(r.faulty).toEqual({ error: expect.stringContaining('Throttling.User'), code: 'Throttling.User', requestId: expect.any(String) });
		expect(r.attempts).toBe(3);
		expect(r.launches).toBe(0);
	});

	it('Retry Budget stops retries early', async () => {
		const r = await runFaulty({ type: 'throttle' }, { maxRetries: 10, retryBudgetSeconds: 0 });
		expect(r.faulty.code).toBe('Throttling.User');
		expect(r.attempts).toBe(1);
	});

	it('a refused connection (nothing sent) is retried, then reported with the endpoint', async () => {
		const closed = await startEmulator({ port: 0 });
		const endpoint = closed.endpoint;
		await closed.close();
		const wf = crmWorkflowWith({ items: [crmItem(JOBS[0])], options: { maxRetries: 2 }, onError: 'continueRegularOutput', withNotify: false });
		const result = await run(wf, emulatorCredential(emu, { endpoint }));
		const [item] = result.outputs(LAUNCH);
		expect(item.json.error).toMatch(/^Cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Nothing was sent/);
		expect(item.json.code).toBe('connect');
	});
});

describe('ambiguous failures are not retried unless asked', () => {
	it.each([
		['server-error', { type: 'server-error' }, /InternalError/, 0],
		['server-error 503', { type: 'server-error', status: 503 }, /ServiceUnavailable/, 0],
		['reset-before', { type: 'reset-before' }, /failed \(ECONNRESET\) before any answer; the request may have been sent/, 0],
		['reset-after', { type: 'reset-after' }, /failed \(ECONNRESET\) before any answer.*may or may not have been launched/, 1],
		// n8n's helper has one deadline for connecting and waiting: Connect Timeout + Read Timeout (400 + 400).
		['timeout', { type: 'timeout' }, /^Timeout: no answer from .* within 800 ms .*may or may not have been launched/, 1],
		['stall-before', { type: 'stall-before' }, /^Timeout: /, 0],
		['html', { type: 'html' }, /not JSON \(for example an HTML page from a proxy/, 0],
	])('%s: one error item, one request, as many launches as the server made', async (_name, fault, message, launches) => {
		const r = await runFaulty(fault);
		expect(r.faulty.error).toMatch(message);
		expect(r.attempts).toBe(1);
		expect(r.launches).toBe(launches);
	});

	it.each([
		['server-error', { type: 'server-error', times: 1 }],
		['reset-before', { type: 'reset-before', times: 1 }],
		['timeout', { type: 'timeout', times: 1 }],
		['html', { type: 'html', times: 1 }],
	])('%s with "Retry on Server Errors": retried and succeeds', async (_name, fault) => {
		const r = await runFaulty(fault, { retryOnServerErrors: true });
		expect(r.faulty.ChannelId).toBeDefined();
		expect(r.attempts).toBe(2);
		// A timeout after the launch then a retry: the documented risk of this option, made visible.
		expect(r.launches).toBe(fault.type === 'timeout' ? 2 : 1);
	});
});

describe('bad answers become clear errors, never empty successes', () => {
	it.each([
		['malformed-json', { type: 'malformed-json' }, /answered HTTP 200 with a body that is not valid JSON/, 1],
		['ok-not-ok', { type: 'ok-not-ok' }, /^CCC error Busy: /, 0],
		['no-data', { type: 'no-data' }, /Code OK but without Data/, 1],
		['huge', { type: 'huge', bytes: 3 * 1024 * 1024 }, /more than the 1048576 bytes/, 1],
	])('%s', async (_name, fault, message, launches) => {
		const r = await runFaulty(fault, { retryOnServerErrors: true });
		expect(r.faulty.error).toMatch(message);
		expect(r.attempts).toBe(1); // a 2xx answer means the request was handled: never repeated
		expect(r.launches).toBe(launches);
	});
});

describe('without Continue On Fail', () => {
	it('stops at the first failure and sends nothing after it', async () => {
		emu.setFaults([{ action: 'LaunchAuthentication', jobId: 'job-load-1', type: 'server-error' }]);
		const wf = crmWorkflowWith({ items: JOBS.map((j) => crmItem(j)), options: { concurrency: 1 }, withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toMatch(/^CCC error InternalError/);
		expect((result.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(1);
		expect(emu.requests.map((r) => r.params.JobId)).toEqual(['job-load-0', 'job-load-1']);
	});
});
