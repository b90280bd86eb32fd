/**
 * Fault injection: what the client sees for each type (latency, throttling, 5xx, resets, timeouts, broken
 * answers), and whether the launch was carried out. The node's safety faults (broken 2xx bodies, error pages
 * without Code, hostile endpoints): hostileAnswers.test.ts; the request log's counters: requestLog.test.ts.
 */
import * as http from 'node:http';
import { startEmulator } from '../../emulator/server';
import { callSigned } from '../../emulator/client';
import { DOC_PARAMS } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';
import { RESET, clientError, launchDocumented } from './support/faultCalls';

const emu = useEmulator();

const launch = (opts: Parameters<typeof callSigned>[1] = {}) => launchDocumented(emu, opts);

describe('latency', () => {
	it('global latency delays every answer (option and setLatency)', async () => {
		emu.setLatency(150);
		const t0 = Date.now();
		const res = await launch();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
		expect(res.json.Code).toBe('OK');
		const slow = await startEmulator({ latencyMs: 120 });
		try {
			const t1 = Date.now();
			await callSigned(slow.endpoint, { params: DOC_PARAMS });
			expect(Date.now() - t1).toBeGreaterThanOrEqual(110);
		} finally {
			await slow.close();
		}
	});

	it('a latency fault delays only the matching requests, and adds up with others', async () => {
		emu.setFaults([
			{ type: 'latency', jobId: 'job-no-channels', delayMs: 200 },
			{ type: 'latency', jobId: 'job-no-channels', delayMs: 100, times: 1 },
		]);
		// Which delay each answer got is read from the emulator's record, not from a clock: a busy machine
		// makes any answer slower, so only lower bounds are checked against the clock.
		await launch();
		let t0 = Date.now();
		const res = await launch({ params: { ...DOC_PARAMS, JobId: 'job-no-channels' } });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(res.json.Code).toBe('OK');
		t0 = Date.now();
		await launch({ params: { ...DOC_PARAMS, JobId: 'job-no-channels' } });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
		expect(emu.requests.map((r) => r.delayMs)).toEqual([0, 300, 200]);
		expect(emu.requests.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
		expect(emu.launchCount()).toBe(3);
	});
});

describe('throttle', () => {
	it('429 Throttling.User for the first N matching requests, not launched', async () => {
		emu.setFaults([{ type: 'throttle', action: 'LaunchAuthentication', times: 2 }]);
		const a = await launch();
		const b = await launch();
		const c = await launch();
		expect([a.status, b.status, c.status]).toEqual([429, 429, 200]);
		expect(a.json.Code).toBe('Throttling.User');
		expect(a.json.Message).toBe('Request was denied due to user flow control.');
		expect(Object.keys(a.json)).toEqual(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:throttle', false],
			['fault:throttle', false],
			['ok', true],
		]);
		expect(emu.launchCount()).toBe(1);
	});

	it('every Nth matching request; action and jobId filters', async () => {
		emu.setFaults([{ type: 'throttle', every: 3, jobId: 'job-no-channels' }]);
		const statuses: number[] = [];
		for (let i = 0; i < 7; i++) {
			statuses.push((await launch({ params: { ...DOC_PARAMS, JobId: 'job-no-channels' } })).status);
			// Other jobs and other actions are not counted.
			await launch();
			await callSigned(emu.endpoint, { action: 'ListInstances', params: { PageNumber: '1', PageSize: '1' } });
		}
		expect(statuses).toEqual([200, 200, 429, 200, 200, 429, 200]);
		expect(emu.launchCount('job-no-channels')).toBe(5);
		expect(emu.launchCount('job-65382141036853491')).toBe(7);
	});

	it('status override', async () => {
		emu.setFaults([{ type: 'throttle', status: 400, times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(400);
		expect(res.json.Code).toBe('Throttling.User');
	});

	it('unsigned or forged requests never trigger (nor count for) a fault', async () => {
		emu.setFaults([{ type: 'throttle', times: 1 }]);
		const forged = await launch({ key: { accessKeyId: 'LTAI5tEmulatorKey000001', accessKeySecret: 'forged' } });
		expect(forged.json.Code).toBe('SignatureDoesNotMatch');
		const unknown = await launch({ key: { accessKeyId: 'LTAI5tUnknown', accessKeySecret: 'x' } });
		expect(unknown.json.Code).toBe('InvalidAccessKeyId.NotFound');
		expect((await launch()).status).toBe(429);
		expect((await launch()).status).toBe(200);
	});

	it('reset() re-arms the counters, setFaults replaces the plan', async () => {
		emu.setFaults([{ type: 'throttle', times: 1 }]);
		expect((await launch()).status).toBe(429);
		expect((await launch()).status).toBe(200);
		emu.reset();
		expect(emu.requests).toHaveLength(0);
		expect((await launch()).status).toBe(429);
		emu.setFaults([]);
		expect((await launch()).status).toBe(200);
	});

	it('rejects unknown fault types', () => {
		expect(() => emu.setFaults([{ type: 'explode' } as any])).toThrow(/type must be one of/);
		expect(() => emu.setFaults([{ type: 'throttle', every: 0 }])).toThrow(/every/);
	});
});

describe('server-error', () => {
	it('500 InternalError, not launched by default', async () => {
		emu.setFaults([{ type: 'server-error', times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(500);
		expect(res.json.Code).toBe('InternalError');
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:server-error', status: 500, launched: false });
		expect(emu.launchCount()).toBe(0);
	});

	it('503 ServiceUnavailable', async () => {
		emu.setFaults([{ type: 'server-error', status: 503, times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(503);
		expect(res.json.Code).toBe('ServiceUnavailable');
	});

	it('launched: true carries out the launch, then answers 500', async () => {
		emu.setFaults([{ type: 'server-error', launched: true, times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(500);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:server-error', launched: true });
		expect(emu.launchCount('job-65382141036853491')).toBe(1);
	});

	it('launched: true never launches an invalid request', async () => {
		emu.setFaults([{ type: 'server-error', launched: true }]);
		await launch({ params: { ...DOC_PARAMS, JobId: 'job-missing-channel' } });
		expect(emu.requests[0].launched).toBe(false);
	});
});

describe('connection faults', () => {
	it('reset-before: the socket is destroyed, nothing launched', async () => {
		emu.setFaults([{ type: 'reset-before', times: 1 }]);
		const err = await clientError(launch());
		expect(err.code === 'ECONNRESET' || RESET.test(err.message)).toBe(true);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:reset-before', status: 0, launched: false });
		expect((await launch()).status).toBe(200);
	});

	it('reset-after: launched, then the socket is destroyed', async () => {
		emu.setFaults([{ type: 'reset-after', times: 1 }]);
		const err = await clientError(launch());
		expect(err.code === 'ECONNRESET' || RESET.test(err.message)).toBe(true);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:reset-after', status: 0, launched: true });
		expect(emu.launchCount()).toBe(1);
	});

	it('timeout: launched, no answer (the client times out)', async () => {
		emu.setFaults([{ type: 'timeout', times: 1 }]);
		const err = await clientError(launch({ timeoutMs: 200 }));
		expect(err.code).toBe('ETIMEDOUT');
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:timeout', launched: true });
	});

	it('timeout with delayMs: the real answer comes late', async () => {
		emu.setFaults([{ type: 'timeout', delayMs: 300, times: 1 }]);
		const t0 = Date.now();
		const late = await launch({ timeoutMs: 5000 });
		expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
		expect(late.json.Code).toBe('OK');
		emu.reset();
		const err = await clientError(launch({ timeoutMs: 100 }));
		expect(err.code).toBe('ETIMEDOUT');
		expect(emu.launchCount()).toBe(1);
	});

	it('stall-before: no answer, nothing launched; with delayMs the socket is then destroyed', async () => {
		emu.setFaults([{ type: 'stall-before', times: 1 }]);
		const err = await clientError(launch({ timeoutMs: 200 }));
		expect(err.code).toBe('ETIMEDOUT');
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:stall-before', status: 0, launched: false });
		emu.setFaults([{ type: 'stall-before', delayMs: 100, times: 1 }]);
		const err2 = await clientError(launch({ timeoutMs: 5000 }));
		expect(err2.code === 'ECONNRESET' || RESET.test(err2.message)).toBe(true);
		expect(emu.launchCount()).toBe(0);
	});

	it('works with a keep-alive agent: only the faulted socket is affected', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
		try {
			emu.setFaults([{ type: 'reset-before', every: 2 }]);
			const results: string[] = [];
			for (let i = 0; i < 4; i++) {
				try {
					results.push(String((await launch({ agent })).status));
				} catch {
					results.push('reset');
				}
			}
			expect(results).toEqual(['200', 'reset', '200', 'reset']);
		} finally {
			agent.destroy();
		}
	});
});

describe('broken answers', () => {
	it('malformed-json: 200 with a truncated JSON body, launched', async () => {
		emu.setFaults([{ type: 'malformed-json', times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(res.json).toBeUndefined();
		expect(res.text).toMatch(/^\{"RequestId":"[0-9A-F-]{36}","Data":\{$/);
		expect(() => JSON.parse(res.text)).toThrow();
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:malformed-json', status: 200, launched: true });
	});

	it('html: 502 text/html (status override), not launched', async () => {
		emu.setFaults([{ type: 'html', times: 1 }, { type: 'html', status: 504, times: 1 }]);
		const a = await launch();
		expect(a.status).toBe(502);
		expect(a.headers['content-type']).toBe('text/html');
		expect(a.text).toContain('<title>502 Bad Gateway</title>');
		const b = await launch();
		expect(b.status).toBe(504);
		expect(b.text).toContain('504 Gateway Timeout');
		expect(emu.launchCount()).toBe(0);
	});

	it('ok-not-ok: HTTP 200 with Code Busy, not launched', async () => {
		emu.setFaults([{ type: 'ok-not-ok', times: 1 }, { type: 'ok-not-ok', code: 'Instance.Locked', message: 'locked', times: 1 }]);
		const a = await launch();
		expect(a.status).toBe(200);
		expect(a.json.Code).toBe('Busy');
		expect(a.json.Data).toBeUndefined();
		const b = await launch();
		expect(b.json).toMatchObject({ Code: 'Instance.Locked', Message: 'locked' });
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:ok-not-ok', false],
			['fault:ok-not-ok', false],
		]);
	});

	it('no-data: HTTP 200 Code OK without Data, launched', async () => {
		emu.setFaults([{ type: 'no-data', times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ RequestId: res.json.RequestId, Message: '无', HttpStatusCode: '200', Params: '无', Code: 'OK' });
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:no-data', launched: true });
	});

	it('huge: HTTP 200 with a multi-megabyte (still valid) JSON body, launched', async () => {
		emu.setFaults([{ type: 'huge', times: 1 }, { type: 'huge', bytes: 2_000_000, times: 1 }]);
		const big = await launch();
		expect(big.status).toBe(200);
		expect(Number(big.headers['content-length'])).toBe(5 * 1024 * 1024);
		expect(big.json.Code).toBe('OK');
		expect(big.json.Data.CallContext.JobId).toBe(DOC_PARAMS.JobId);
		const smaller = await launch();
		expect(Number(smaller.headers['content-length'])).toBe(2_000_000);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:huge', true],
			['fault:huge', true],
		]);
	});

	it('the first firing fault wins; later ones do not see that request', async () => {
		emu.setFaults([
			{ type: 'throttle', times: 1 },
			{ type: 'server-error', times: 1 },
		]);
		expect((await launch()).status).toBe(429);
		expect((await launch()).status).toBe(500);
		expect((await launch()).status).toBe(200);
	});

	it('faults from the constructor option', async () => {
		const faulty = await startEmulator({ faults: [{ type: 'html', times: 1 }] });
		try {
			expect((await callSigned(faulty.endpoint, { params: DOC_PARAMS })).status).toBe(502);
			expect((await callSigned(faulty.endpoint, { params: DOC_PARAMS })).status).toBe(200);
		} finally {
			await faulty.close();
		}
	});
});

