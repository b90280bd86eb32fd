import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { readCccCredential } from '../../credentials/cccCredential';
import { MAX_RESPONSE_BYTES } from '../../nodes/LaunchAuthentication/helpers/optionLimits';
import { cccRequest, sendHttp, type CccClient } from '../../nodes/LaunchAuthentication/transport';
import { DEFAULT_ACCESS_KEYS, DOC, emulatorCredential, useEmulator } from './harness';

/**
 * The transport: the node's own HTTP client (node:http, keep-alive agents per endpoint), signing with the
 * credential. These tests pin down what it promises: one size limit for every answer, no interference from
 * other users of HTTP in the same process, warm connections reused across calls.
 */
const emu = useEmulator();
const KEY = DEFAULT_ACCESS_KEYS[0];
const PARAMS = { InstanceId: DOC.instanceId, JobId: DOC.jobId, UserId: DOC.userId, DeviceId: DOC.deviceId, ContactFlowId: DOC.contactFlowId };

function ourClient(readTimeoutMs = 10_000, endpoint = emu.endpoint): CccClient {
	return {
		credential: readCccCredential(emulatorCredential(emu, { endpoint })),
		limits: { connectTimeoutMs: 5000, readTimeoutMs, maxBytes: MAX_RESPONSE_BYTES },
	};
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
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

it.each([200, 500, 403])('refuses answers larger than any CCC answer, HTTP %i included', async (status) => {
	const { endpoint, server } = await bigAnswers(status, 8 * MAX_RESPONSE_BYTES);
	try {
		await expect(cccRequest(ourClient(10_000, endpoint), 'LaunchAuthentication', PARAMS)).rejects.toThrow(/more than/);
	} finally {
		server.close();
	}
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

it('reuses a warm connection for consecutive calls to one endpoint', async () => {
	let connections = 0;
	const server = createServer((_req, res) => res.end('{"Code":"OK","RequestId":"R","Data":{}}'));
	server.on('connection', () => connections++);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
		const limits = { connectTimeoutMs: 5000, readTimeoutMs: 5000, maxBytes: MAX_RESPONSE_BYTES };
		for (let i = 0; i < 5; i++) expect((await sendHttp({ method: 'POST', url, query: `i=${i}`, headers: {} }, limits)).status).toBe(200);
		expect(connections).toBe(1);
	} finally {
		server.closeAllConnections();
		server.close();
	}
});
