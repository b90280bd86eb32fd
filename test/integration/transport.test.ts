import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { readCccCredential } from '../../credentials/cccCredential';
import { MAX_RESPONSE_BYTES } from '../../nodes/LaunchAuthentication/helpers/optionLimits';
import { CccCallError } from '../../nodes/LaunchAuthentication/transport/cccCallError';
import { cccRequest, sendWithHttpRequest, sendWithLegacyRequest, type CccClient } from '../../nodes/LaunchAuthentication/transport';
import { n8nRequestHelpers } from '../../tools/engine/n8nRequestHelpers';
import { DEFAULT_ACCESS_KEYS, DOC, emulatorCredential, useEmulator } from './harness';

/**
 * The transport sends through n8n's own request helpers (n8n-core → @n8n/backend-network), the way n8n
 * hands them to a node: these tests pin down what it promises on top of them: one size limit for every
 * answer, the deadline, what a failure means, and that n8n's proxy settings apply to it.
 */
const emu = useEmulator();
const KEY = DEFAULT_ACCESS_KEYS[0];
const PARAMS = { InstanceId: DOC.instanceId, JobId: DOC.jobId, UserId: DOC.userId, DeviceId: DOC.deviceId, ContactFlowId: DOC.contactFlowId };

function ourClient(readTimeoutMs = 10_000, endpoint = emu.endpoint, legacy = false): CccClient {
	const helpers = n8nRequestHelpers();
	return {
		credential: readCccCredential(emulatorCredential(emu, { endpoint })),
		send: legacy ? sendWithLegacyRequest(helpers) : sendWithHttpRequest(helpers),
		limits: { connectTimeoutMs: 100, readTimeoutMs, maxBytes: MAX_RESPONSE_BYTES },
	};
}

async function listen(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A plain HTTP server answering every request with `status` and `bytes` of body, for the size limit. */
async function bigAnswers(status: number, bytes: number): Promise<{ endpoint: string; server: Server }> {
	const server = createServer((_req, res) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		let sent = 0;
		const pump = () => {
			while (sent < bytes) {
				sent += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			res.end();
		};
		res.on('close', () => (sent = bytes));
		pump();
	});
	return { endpoint: await listen(server), server };
}

describe.each([
	['helpers.httpRequest (execute, pickers)', false],
	['helpers.request (credential test)', true],
])('through %s', (_name, legacy) => {
	it.each([200, 500, 403])('refuses answers larger than any CCC answer, HTTP %i included', async (status) => {
		const { endpoint, server } = await bigAnswers(status, 8 * MAX_RESPONSE_BYTES);
		try {
			await expect(cccRequest(ourClient(10_000, endpoint, legacy), 'LaunchAuthentication', PARAMS)).rejects.toThrow(/more than/);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});

	it('signs and sends a call the emulator accepts', async () => {
		const answer = await cccRequest(ourClient(10_000, emu.endpoint, legacy), 'LaunchAuthentication', PARAMS);
		expect(answer.body.Code).toBe('OK');
		expect(emu.requests.at(-1)?.action).toBe('LaunchAuthentication');
	});

	it('an answer whose status arrived but whose body stalls ends at the deadline as "answered" (never repeated)', async () => {
		const server = createServer((_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"Code":"OK",');
		});
		const endpoint = await listen(server);
		try {
			const error = (await cccRequest(ourClient(300, endpoint, legacy), 'LaunchAuthentication', PARAMS).catch((e: unknown) => e)) as CccCallError;
			expect(error).toBeInstanceOf(CccCallError);
			expect(error.details).toMatchObject({ kind: 'bad-response', httpStatus: 200, launchMayHaveHappened: true });
			expect(error.message).toMatch(/did not arrive within 400 ms/);
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});
});

it('another SDK user’s leftover read timers do not fail the node’s calls', async () => {
	// Another Alibaba node in the same n8n: default SDK usage with a short read timeout.
	const OpenApi = require('@alicloud/openapi-client');
	const Util = require('@alicloud/tea-util');
	const other = new OpenApi.default(new OpenApi.Config({ accessKeyId: KEY.accessKeyId, accessKeySecret: KEY.accessKeySecret, endpoint: emu.endpoint.replace('http://', ''), protocol: 'http' }));
	const params = new OpenApi.Params({ action: 'LaunchAuthentication', version: '2020-07-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
	await Promise.all(
		Array.from({ length: 10 }, (_, i) =>
			other.callApi(params, new OpenApi.OpenApiRequest({ query: { ...PARAMS, JobId: `job-load-${i}` } }), new Util.RuntimeOptions({ readTimeout: 200 })),
		),
	);
	// Their timers fire ~200 ms later, while the node's slower calls are under way.
	emu.setLatency(400);
	const client = ourClient();
	const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => cccRequest(client, 'LaunchAuthentication', { ...PARAMS, JobId: `job-load-${100 + i}` })));
	expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
});

it('no answer within Connect + Read Timeout: read safely as "may have been sent", not retryable without opt-in', async () => {
	const server = createServer(() => undefined); // accepts, never answers
	const endpoint = await listen(server);
	try {
		const error = (await cccRequest(ourClient(200, endpoint), 'LaunchAuthentication', PARAMS).catch((e: unknown) => e)) as CccCallError;
		expect(error.details).toMatchObject({ kind: 'no-response', launchMayHaveHappened: true });
		expect(error.message).toMatch(/within 300 ms .*may have been sent.*may or may not have been launched/);
		const read = (await cccRequest(ourClient(200, endpoint), 'ListIvrTrackingDetails', { InstanceId: 'i', ContactId: 'j' }).catch((e: unknown) => e)) as CccCallError;
		expect(read.message).toMatch(/only reads \(ListIvrTrackingDetails\): nothing was launched/);
		expect(read.message).not.toMatch(/may or may not have been launched/);
	} finally {
		server.closeAllConnections();
		server.close();
	}
});

it('a refused connection sent nothing, and says where to look (endpoint, proxy settings)', async () => {
	const server = createServer();
	const endpoint = await listen(server);
	server.close();
	const error = (await cccRequest(ourClient(1000, endpoint), 'LaunchAuthentication', PARAMS).catch((e: unknown) => e)) as CccCallError;
	expect(error.details).toMatchObject({ kind: 'connect', launchMayHaveHappened: false });
	expect(error.message).toMatch(/ECONNREFUSED\)\. Nothing was sent\..*HTTP_PROXY/);
});

describe("n8n's proxy settings apply (the node makes no HTTP agent of its own)", () => {
	const saved = { ...process.env };
	afterEach(() => {
		for (const key of ['HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
			if (saved[key] === undefined) delete process.env[key];
			else process.env[key] = saved[key];
		}
	});

	/** A forwarding proxy (absolute-form HTTP) that knows one host name nobody else can resolve. */
	async function proxyFor(hostName: string, target: string) {
		const seen: string[] = [];
		const targetUrl = new URL(target);
		const server = createServer((req, res) => {
			const url = new URL(req.url ?? '/');
			seen.push(`${req.method} ${url.host}`);
			if (url.hostname !== hostName) return void res.writeHead(502).end('unknown host');
			const upstream = httpRequest(
				{ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			req.pipe(upstream);
		});
		return { url: await listen(server), seen, server };
	}

	it('HTTP_PROXY: a host only the proxy can resolve is reached through it; NO_PROXY bypasses it; lowercase wins', async () => {
		const proxy = await proxyFor('ccc-emulator.internal', emu.endpoint);
		try {
			const port = new URL(emu.endpoint).port;
			process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // a dead proxy: lowercase http_proxy must win over it
			process.env.http_proxy = proxy.url;
			const answer = await cccRequest(ourClient(10_000, `http://ccc-emulator.internal:${port}`), 'LaunchAuthentication', PARAMS);
			expect(answer.body.Code).toBe('OK');
			expect(proxy.seen).toEqual([`POST ccc-emulator.internal:${port}`]);

			process.env.no_proxy = '127.0.0.1';
			await cccRequest(ourClient(10_000, emu.endpoint), 'LaunchAuthentication', PARAMS);
			expect(proxy.seen).toHaveLength(1);
		} finally {
			proxy.server.closeAllConnections();
			proxy.server.close();
		}
	});

	it('the credential test’s legacy helper goes through the same proxy', async () => {
		const proxy = await proxyFor('ccc-emulator.internal', emu.endpoint);
		try {
			const port = new URL(emu.endpoint).port;
			process.env.http_proxy = proxy.url;
			await cccRequest(ourClient(10_000, `http://ccc-emulator.internal:${port}`, true), 'ListInstances', { PageNumber: '1', PageSize: '1' });
			expect(proxy.seen).toEqual([`POST ccc-emulator.internal:${port}`]);
		} finally {
			proxy.server.closeAllConnections();
			proxy.server.close();
		}
	});
});
