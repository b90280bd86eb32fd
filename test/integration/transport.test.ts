import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

import { CccClient } from '../../nodes/LaunchAuthentication/transport/cccClient';
import { DEFAULT_ACCESS_KEYS, DOC, useEmulator } from './harness';

/**
 * The SDK's HTTP client shares kept-alive sockets across every SDK user in the n8n process and keeps a
 * per-request read timer on the socket. These tests pin down that the node leaves no such timer armed
 * (memory, and false timeouts for whoever uses the socket next) and is not fooled by other users' timers.
 */
const emu = useEmulator();
const KEY = DEFAULT_ACCESS_KEYS[0];
const PARAMS = { InstanceId: DOC.instanceId, JobId: DOC.jobId, UserId: DOC.userId, DeviceId: DOC.deviceId, ContactFlowId: DOC.contactFlowId };

function ourClient(readTimeoutMs = 10_000) {
	return CccClient.create({
		endpoint: { protocol: 'http', host: emu.endpoint.replace('http://', '') },
		accessKeyId: KEY.accessKeyId,
		accessKeySecret: KEY.accessKeySecret,
		connectTimeoutMs: 5000,
		readTimeoutMs,
	});
}

function armedTimers(request: ClientRequest): number {
	const socket = request.socket as unknown as Record<symbol, unknown> | null;
	if (!socket) return 0;
	return Object.getOwnPropertySymbols(socket).filter((s) => s.description === 'TIMER::READ_TIMER' && socket[s]).length;
}

it('leaves no SDK read timer armed once an answer (success or error) is read', async () => {
	const requests: ClientRequest[] = [];
	const onStart = (m: unknown) => requests.push((m as { request: ClientRequest }).request);
	subscribe('http.client.request.start', onStart);
	try {
		const client = await ourClient();
		await client.call('LaunchAuthentication', PARAMS);
		await expect(client.call('LaunchAuthentication', { ...PARAMS, JobId: 'job-gone' })).rejects.toThrow(/call job-gone does not exist/);
	} finally {
		unsubscribe('http.client.request.start', onStart);
	}
	expect(requests).toHaveLength(2);
	expect(requests.map(armedTimers)).toEqual([0, 0]);
});

it('another SDK user’s leftover read timers do not fail the node’s calls on the same sockets', async () => {
	// Another Alibaba node in the same n8n: default SDK usage (the SDK reads the body), short read timeout.
	const OpenApi = require('@alicloud/openapi-client');
	const Util = require('@alicloud/tea-util');
	const other = new OpenApi.default(new OpenApi.Config({ accessKeyId: KEY.accessKeyId, accessKeySecret: KEY.accessKeySecret, endpoint: emu.endpoint.replace('http://', ''), protocol: 'http' }));
	const params = new OpenApi.Params({ action: 'LaunchAuthentication', version: '2020-07-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
	await Promise.all(
		Array.from({ length: 10 }, (_, i) =>
			other.callApi(params, new OpenApi.OpenApiRequest({ query: { ...PARAMS, JobId: `job-load-${i}` } }), new Util.RuntimeOptions({ readTimeout: 200 })),
		),
	);
	// Their timers fire ~200 ms later, while the node's slower calls are using those same sockets.
	emu.setLatency(400);
	const client = await ourClient();
	const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => client.call('LaunchAuthentication', { ...PARAMS, JobId: `job-load-${100 + i}` })));
	expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
});
