/**
 * The same LaunchAuthentication requests without the node, for the in-process bench: through Alibaba's SDK
 * (`callApi`, the external reference) and through the node's own transport alone.
 */
import type { IDataObject } from 'n8n-workflow';

import { n8nRequestHelpers } from '../../tools/engine/n8nRequestHelpers';
import { emulatorCredential } from '../../tools/fixtures';
import { nowMs } from '../shared/stats';
import { CCC_CREDENTIAL_MODULE, TRANSPORT_MODULE, repoRequire } from './paths';
import { cpuMs, mainThreadCpuMs } from './processClock';

export interface BareMeasure {
	requests: number;
	failures: number;
	wallMs: number;
	cpuMs: number;
	mainThreadCpuMs: number;
}

/**
 * Alibaba's SDK used directly, as another node would: a client for the emulator's default key and the
 * LaunchAuthentication RPC parameters, reading answers as `bodyType` says.
 */
function bareSdkClient(endpoint: string, bodyType: 'binary' | 'json') {
	const sdk = repoRequire('@alicloud/openapi-client') as typeof import('@alicloud/openapi-client');
	const util = repoRequire('@alicloud/tea-util') as typeof import('@alicloud/tea-util');
	const cred = emulatorCredential(endpoint);
	const client = new sdk.default(
		new sdk.Config({
			accessKeyId: cred.accessKeyId as string,
			accessKeySecret: cred.accessKeySecret as string,
			endpoint: new URL(endpoint).host,
			protocol: 'http',
		}),
	);
	const params = new sdk.Params({
		action: 'LaunchAuthentication',
		version: '2020-07-01',
		protocol: 'HTTP',
		pathname: '/',
		method: 'POST',
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType,
	});
	return { sdk, util, client, params };
}

/**
 * The SDK alone, as a hand-written SDK integration would call it: `concurrency` workers (1 = the plain
 * sequential loop) each awaiting callApi in turn, then reading the answer with bodyType 'binary',
 * httpx.read and JSON.parse. (With bodyType 'json' the SDK's own body reading leaves httpx's read timer
 * armed on its shared keep-alive socket, and a later request on that socket can fail with "ReadTimeout";
 * httpx.read clears it. The node no longer uses the SDK, so that hazard is only the reference's.)
 */
export async function runBareLoop(endpoint: string, items: IDataObject[], concurrency = 1): Promise<BareMeasure> {
	return runLoop(items, concurrency, () => {
		const httpx = repoRequire('httpx') as { read(stream: unknown, encoding: string): Promise<string | Buffer> };
		const { sdk, util, client, params } = bareSdkClient(endpoint, 'binary');
		return async (item) => {
			const answer = (await client.callApi(
				params,
				new sdk.OpenApiRequest({ query: item as Record<string, string> }),
				new util.RuntimeOptions({}),
			)) as { body: unknown };
			return JSON.parse(String(await httpx.read(answer.body, 'utf8'))) as { Data?: unknown };
		};
	});
}

/**
 * `concurrency` workers (1 = the plain sequential loop), each sending the next item in turn with the
 * function `setup` returns; an answer without Data, or a throw, counts as a failure. Wall and CPU time
 * include `setup` (creating the client).
 */
async function runLoop(
	items: IDataObject[],
	concurrency: number,
	setup: () => (item: IDataObject) => Promise<{ Data?: unknown }>,
): Promise<BareMeasure> {
	const c0 = cpuMs();
	const m0 = mainThreadCpuMs();
	const t0 = nowMs();
	const send = setup();
	let failures = 0;
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			try {
				if (!(await send(item)).Data) failures++;
			} catch {
				failures++;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
	return { requests: items.length, failures, wallMs: nowMs() - t0, cpuMs: cpuMs() - c0, mainThreadCpuMs: mainThreadCpuMs() - m0 };
}

type CccRequest = (client: unknown, action: string, parameters: Record<string, string>) => Promise<{ body: { Data?: unknown } }>;

/**
 * The same LaunchAuthentication requests through the node's own transport and nothing else: each signed
 * with V3 (credentials/signing.ts) and sent by `cccRequest` (through n8n's request helpers, as in n8n; the
 * answer read and interpreted), with the node's default timeouts; no n8n, no parameters, no scheduler, no
 * output items. The difference between the node and this loop is what the node adds around its requests.
 */
export async function runTransportLoop(endpoint: string, items: IDataObject[], concurrency = 1): Promise<BareMeasure> {
	return runLoop(items, concurrency, () => {
		const { cccRequest, sendWithHttpRequest } = repoRequire(TRANSPORT_MODULE) as { cccRequest: CccRequest; sendWithHttpRequest: (helpers: object) => unknown };
		const { readCccCredential } = repoRequire(CCC_CREDENTIAL_MODULE) as { readCccCredential: (data: object) => unknown };
		const client = {
			credential: readCccCredential(emulatorCredential(endpoint)),
			send: sendWithHttpRequest(n8nRequestHelpers()),
			limits: { connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxBytes: 1024 * 1024 },
		};
		return async (item) => (await cccRequest(client, 'LaunchAuthentication', item as Record<string, string>)).body;
	});
}
