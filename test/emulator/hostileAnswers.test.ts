/**
 * Faults for the node's safety tests: broken 2xx bodies (truncated, dripped, bad Data), error pages without
 * Code (no Code, XML, huge), redirects, endless bodies, and hostile endpoints that echo the request's key and
 * token; what the client sees, and whether the launch was carried out.
 */
import * as http from 'node:http';
import { DEFAULT_ACCESS_KEYS, startEmulator } from '../../emulator/server';
import { callSigned } from '../../emulator/client';
import { FAULT_TYPES } from '../../emulator/faults';
import { signRequestV3 } from '../../emulator/signature';
import { DOC_PARAMS, DOC_RESPONSE } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';
import { clientError, launchDocumented } from './support/faultCalls';

const emu = useEmulator();

const launch = (opts: Parameters<typeof callSigned>[1] = {}) => launchDocumented(emu, opts);

const [PERMANENT, STS] = DEFAULT_ACCESS_KEYS;

/** A signed LaunchAuthentication whose answer is read by hand: resolves at the response headers. */
function open(params: Record<string, string> = DOC_PARAMS, endpoint = emu.endpoint): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
	const url = new URL(endpoint);
	const signed = signRequestV3({ host: url.host, action: 'LaunchAuthentication', version: '2020-07-01', ...PERMANENT, query: params });
	return new Promise((resolve, reject) => {
		const req = http.request({ host: url.hostname, port: url.port, method: 'POST', path: signed.path, headers: signed.headers, agent: false }, (res) =>
			resolve({ req, res }),
		);
		req.on('error', reject);
		req.end();
	});
}

/** Everything the body gave until it ended or broke. */
function collect(res: http.IncomingMessage): Promise<{ body: Buffer; pieces: number; complete: boolean; error?: string }> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let settled = false;
		const done = (complete: boolean, error?: string) => {
			if (settled) return;
			settled = true;
			resolve({ body: Buffer.concat(chunks), pieces: chunks.length, complete, error });
		};
		res.on('data', (c: Buffer) => chunks.push(c));
		res.on('end', () => done(true));
		res.on('error', (e) => done(false, String(e.message)));
		res.on('aborted', () => done(false, 'aborted'));
		res.on('close', () => done(res.complete));
	});
}

/** Wait (without a deadline of its own: jest's timeout is the limit) until cond() holds. */
async function until(cond: () => boolean): Promise<void> {
	while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

/** The documented success answer the emulator gives for DOC_PARAMS, with that RequestId. */
const documented = (requestId: string) => JSON.stringify({ ...DOC_RESPONSE, RequestId: requestId });

describe('fault types table', () => {
	it('lists every fault type', () => {
		expect([...FAULT_TYPES]).toEqual([
			'latency', 'throttle', 'server-error', 'reset-before', 'reset-after', 'timeout', 'stall-before', 'malformed-json', 'html',
			'ok-not-ok', 'no-data', 'huge', 'echo', 'truncated-2xx', 'drip-2xx', 'error-no-code', 'error-xml', 'redirect', 'huge-error',
			'endless', 'bad-data',
		]);
		expect(() => emu.setFaults([{ type: 'error-no-code', body: {} as any }])).toThrow(/body must be a string/);
		expect(() => emu.setFaults([{ type: 'echo', launched: 'yes' as any }])).toThrow(/launched must be a boolean/);
	});
});

describe('echo: a hostile or buggy endpoint echoes the request\'s key and token', () => {
	const FIELDS = ['RequestId', 'HostId', 'Code', 'Message', 'Recommend'];

	it('STS token and AccessKeyId in every field (raw, encoded once and twice); not launched', async () => {
		emu.setFaults([{ type: 'echo' }]);
		const res = await launch({ key: STS });
		expect(res.status).toBe(400);
		expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(Object.keys(res.json)).toEqual(FIELDS);
		for (const field of FIELDS) {
			expect([field, res.json[field]]).toEqual([field, expect.stringContaining(STS.securityToken as string)]);
			expect([field, res.json[field]]).toEqual([field, expect.stringContaining(STS.accessKeyId)]);
		}
		const who = `${STS.accessKeyId}:${STS.securityToken}`;
		expect(res.json.Message).toContain(encodeURIComponent(who));
		expect(res.json.Message).toContain(encodeURIComponent(encodeURIComponent(who)));
		expect(res.text).not.toContain(STS.accessKeySecret);
		expect(emu.requests.map((r) => [r.signatureVersion, r.outcome, r.status, r.launched])).toEqual([['v3', 'fault:echo', 400, false]]);
		// The emulator's own log never holds the token.
		expect(JSON.stringify(emu.requests)).not.toContain(STS.securityToken as string);
	});

	it('without a token: the AccessKeyId; `status` and `launched: true`', async () => {
		emu.setFaults([{ type: 'echo', status: 200, launched: true, times: 1 }, { type: 'echo', times: 1 }]);
		const a = await launch();
		expect(a.status).toBe(200);
		for (const field of FIELDS) expect(a.json[field]).toContain(PERMANENT.accessKeyId);
		const b = await launch({ params: { ...DOC_PARAMS, JobId: 'job-missing-channel' } });
		expect(b.json.Code).toBe(`Echo.${PERMANENT.accessKeyId}`);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:echo', true],
			['fault:echo', false],
		]);
	});
});

describe('truncated-2xx', () => {
	it('200 with the Content-Length of the whole answer, socket destroyed after half of the body; launched', async () => {
		emu.setFaults([{ type: 'truncated-2xx', times: 1 }]);
		const { res } = await open();
		expect(res.statusCode).toBe(200);
		const length = Number(res.headers['content-length']);
		expect(length).toBe(Buffer.byteLength(documented(String(res.headers['x-acs-request-id']))));
		const got = await collect(res);
		expect(got.complete).toBe(false);
		expect(got.body.length).toBe(Math.floor(length / 2));
		expect(Buffer.from(documented(String(res.headers['x-acs-request-id']))).subarray(0, got.body.length)).toEqual(got.body);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:truncated-2xx', status: 200, launched: true });
		expect(emu.launchCount()).toBe(1);
	});

	it('`bytes` sets how much is sent; the buffering client fails; an invalid request is not launched', async () => {
		emu.setFaults([{ type: 'truncated-2xx', bytes: 10, times: 1 }, { type: 'truncated-2xx', times: 1 }]);
		const { res } = await open();
		const got = await collect(res);
		expect(got.body.toString('utf8')).toBe('{"RequestI');
		const err = await clientError(launch({ params: { ...DOC_PARAMS, JobId: 'job-no-such-call' } }));
		expect(err.code === 'ECONNRESET' || /aborted|socket hang up/.test(err.message)).toBe(true);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:truncated-2xx', true],
			['fault:truncated-2xx', false],
		]);
	});
});

describe('drip-2xx', () => {
	it('headers at once, then the valid body a few bytes every delayMs; launched', async () => {
		emu.setFaults([{ type: 'drip-2xx', delayMs: 30, bytes: 400, times: 1 }]);
		const t0 = Date.now();
		const { res } = await open();
		expect(res.statusCode).toBe(200);
		const got = await collect(res);
		expect(got.complete).toBe(true);
		const expected = documented(String(res.headers['x-acs-request-id']));
		expect(got.body.toString('utf8')).toBe(expected);
		expect(Number(res.headers['content-length'])).toBe(got.body.length);
		// ceil(length / 400) pieces, delayMs apart: the whole body cannot come sooner (less some slack for
		// timers measured from the event loop's cached clock).
		expect(Date.now() - t0).toBeGreaterThanOrEqual((Math.ceil(got.body.length / 400) - 1) * 30 - 20);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:drip-2xx', status: 200, launched: true });
	});

	it('defaults (16 bytes every 500 ms); a client that gives up closes it and the emulator stops dripping', async () => {
		emu.setFaults([{ type: 'drip-2xx' }]);
		const { req, res } = await open();
		const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
		expect(first.toString('utf8')).toBe('{"RequestId":"' + String(res.headers['x-acs-request-id']).slice(0, 2));
		expect(emu.activeStreams()).toBe(1);
		req.destroy();
		await until(() => emu.activeStreams() === 0);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:drip-2xx', launched: true });
	});
});

describe('error-no-code', () => {
	it.each([
		[403, '{}'],
		[500, '[]'],
		[503, 'null'],
		[403, '{"message":"denied by WAF"}'],
	])('HTTP %s with the JSON body %s (no Code); not launched', async (status, body) => {
		emu.setFaults([{ type: 'error-no-code', status, body }]);
		const res = await launch();
		expect(res.status).toBe(status);
		expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(res.text).toBe(body);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:error-no-code', status, launched: false });
	});

	it('defaults: 400 {"message":"denied by WAF"}; `launched: true` carries out the launch first', async () => {
		emu.setFaults([{ type: 'error-no-code', times: 1 }, { type: 'error-no-code', status: 503, launched: true, times: 1 }]);
		const a = await launch();
		expect([a.status, a.text]).toEqual([400, '{"message":"denied by WAF"}']);
		const b = await launch();
		expect(b.status).toBe(503);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:error-no-code', false],
			['fault:error-no-code', true],
		]);
	});
});

describe('error-xml', () => {
	it('500 text/xml with a partial XML body; `status`; launched only with `launched: true`', async () => {
		emu.setFaults([{ type: 'error-xml', times: 1 }, { type: 'error-xml', status: 502, launched: true, times: 1 }]);
		const a = await launch();
		expect(a.status).toBe(500);
		expect(a.headers['content-type']).toBe('text/xml');
		expect(a.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Error>')).toBe(true);
		expect(a.text).not.toContain('</Error>');
		expect(a.json).toBeUndefined();
		expect((await launch()).status).toBe(502);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:error-xml', false],
			['fault:error-xml', true],
		]);
	});
});

describe('redirect', () => {
	it('302 with Location and a valid success body, but not launched', async () => {
		emu.setFaults([{ type: 'redirect', times: 1 }, { type: 'redirect', status: 307, location: 'https://example.invalid/sso', times: 1 }]);
		const a = await launch();
		expect(a.status).toBe(302);
		expect(a.headers.location).toBe(`${emu.endpoint}/login?from=ccc`);
		expect(a.text).toBe(documented(a.json.RequestId));
		const b = await launch();
		expect([b.status, b.headers.location, b.json.Code]).toEqual([307, 'https://example.invalid/sso', 'OK']);
		expect(emu.requests.map((r) => [r.outcome, r.status, r.launched])).toEqual([
			['fault:redirect', 302, false],
			['fault:redirect', 307, false],
		]);
		expect(emu.launchCount()).toBe(0);
	});
});

describe('huge-error', () => {
	it('500 JSON error padded to `bytes`, still valid JSON; not launched', async () => {
		emu.setFaults([{ type: 'huge-error', bytes: 3_000_000, times: 1 }, { type: 'huge-error', status: 503, bytes: 100, times: 1 }]);
		const res = await launch();
		expect(res.status).toBe(500);
		expect(Number(res.headers['content-length'])).toBe(3_000_000);
		expect(res.text.length).toBe(3_000_000);
		expect(res.json).toMatchObject({ Code: 'InternalError', RequestId: res.headers['x-acs-request-id'] });
		const small = await launch();
		expect([small.status, small.json.Code]).toEqual([503, 'ServiceUnavailable']);
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['fault:huge-error', false],
			['fault:huge-error', false],
		]);
	});

	it('defaults to 50 MB, streamed', async () => {
		emu.setFaults([{ type: 'huge-error' }]);
		const { res } = await open();
		expect(res.statusCode).toBe(500);
		expect(Number(res.headers['content-length'])).toBe(50 * 1024 * 1024);
		let received = 0;
		let head = '';
		res.on('data', (c: Buffer) => {
			if (received === 0) head = c.subarray(0, 200).toString('utf8');
			received += c.length;
		});
		await new Promise((r) => res.on('end', r));
		expect(received).toBe(50 * 1024 * 1024);
		expect(head).toMatch(/^\{"RequestId":"[0-9A-F-]{36}","HostId":"[^"]+","Code":"InternalError"/);
		await until(() => emu.activeStreams() === 0);
	});
});

describe('endless', () => {
	it('200 and body bytes until the client closes; then the emulator stops streaming; not launched', async () => {
		emu.setFaults([{ type: 'endless' }]);
		const { req, res } = await open();
		expect(res.statusCode).toBe(200);
		expect(res.headers['content-length']).toBeUndefined();
		let received = 0;
		await new Promise<void>((resolve) =>
			res.on('data', (c: Buffer) => {
				received += c.length;
				if (received > 5 * 1024 * 1024) resolve();
			}),
		);
		expect(emu.activeStreams()).toBe(1);
		req.destroy();
		await until(() => emu.activeStreams() === 0);
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:endless', status: 200, launched: false });
	});

	it('`status`, `launched: true`; emu.close() ends the stream', async () => {
		const own = await startEmulator({ faults: [{ type: 'endless', status: 503, launched: true }] });
		const { res } = await open(DOC_PARAMS, own.endpoint);
		expect(res.statusCode).toBe(503);
		const got = collect(res);
		await until(() => own.activeStreams() === 1);
		await own.close();
		expect((await got).complete).toBe(false);
		expect(own.activeStreams()).toBe(0);
		expect(own.requests[0]).toMatchObject({ outcome: 'fault:endless', launched: true });
	});
});

describe('bad-data', () => {
	it.each([{}, { UserContext: 'x', CallContext: 5 }, { UserContext: {}, CallContext: [] }])('200 Code OK with Data %j; launched', async (data) => {
		emu.setFaults([{ type: 'bad-data', data }]);
		const res = await launch();
		expect(res.status).toBe(200);
		expect(res.text).toBe(JSON.stringify({ ...DOC_RESPONSE, RequestId: res.json.RequestId, Data: data }));
		expect(emu.requests[0]).toMatchObject({ outcome: 'fault:bad-data', status: 200, launched: true });
	});

	it('defaults to {}; an invalid request is not launched', async () => {
		emu.setFaults([{ type: 'bad-data' }]);
		expect((await launch()).json.Data).toEqual({});
		const invalid = await launch({ params: { ...DOC_PARAMS, JobId: 'job-missing-channel' } });
		expect([invalid.status, invalid.json.Code, invalid.json.Data]).toEqual([200, 'OK', {}]);
		expect(emu.requests.map((r) => r.launched)).toEqual([true, false]);
	});
});
