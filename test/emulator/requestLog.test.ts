/**
 * The request log's counters (launchCount, maxRequestsInWindow, reset) over synthetic and real requests.
 */
import * as http from 'node:http';
import { callSigned } from '../../emulator/client';
import { DOC_PARAMS } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';
import { launchDocumented } from './support/faultCalls';

const emu = useEmulator();

const launch = (opts: Parameters<typeof callSigned>[1] = {}) => launchDocumented(emu, opts);

describe('request log helpers', () => {
	it('maxRequestsInWindow over synthetic arrival times', () => {
		const base = { params: {}, signatureVersion: 'v3' as const, outcome: 'ok', status: 200, launched: true, delayMs: 0 };
		for (const at of [0, 100, 999, 1000, 1500, 1999, 5000]) emu.requests.push({ ...base, at, action: 'LaunchAuthentication' });
		emu.requests.push({ ...base, at: 1001, action: 'ListInstances' });
		expect(emu.maxRequestsInWindow(1000)).toBe(3);
		expect(emu.maxRequestsInWindow(1001)).toBe(4);
		expect(emu.maxRequestsInWindow(1000, null)).toBe(4);
		expect(emu.maxRequestsInWindow(10_000)).toBe(7);
		expect(emu.maxRequestsInWindow(1, 'ListInstances')).toBe(1);
		emu.reset();
		expect(emu.maxRequestsInWindow()).toBe(0);
	});

	it('maxRequestsInWindow over real requests', async () => {
		await Promise.all(Array.from({ length: 5 }, () => launch()));
		await new Promise((r) => setTimeout(r, 1100));
		await Promise.all(Array.from({ length: 3 }, () => launch()));
		await callSigned(emu.endpoint, { action: 'ListInstances', params: { PageNumber: '1', PageSize: '1' } });
		expect(emu.maxRequestsInWindow(1000)).toBe(5);
		expect(emu.maxRequestsInWindow(60_000)).toBe(8);
		expect(emu.maxRequestsInWindow(60_000, '*')).toBe(9);
		expect(emu.launchCount()).toBe(8);
	});

	it('serves 1,000 requests over 20 keep-alive connections', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
		try {
			let next = 0;
			const worker = async () => {
				while (next < 1000) {
					const i = next++;
					const res = await launch({ agent, params: { ...DOC_PARAMS, JobId: `job-load-${i}` } });
					if (res.status !== 200) throw new Error(`request ${i}: ${res.status} ${res.text}`);
				}
			};
			await Promise.all(Array.from({ length: 20 }, worker));
			expect(emu.launchCount()).toBe(1000);
			expect(emu.launchCount('job-load-999')).toBe(1);
		} finally {
			agent.destroy();
		}
	});
});
