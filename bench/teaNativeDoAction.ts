/**
 * Diagnostic for the memory figures of `npm run bench`, never used by the package: replaces `doAction` of
 * Alibaba's Tea runtime (@alicloud/tea-typescript, the HTTP step under the SDK's callApi) with the same steps
 * written as a native async function, in the one bench child process that asks for it.
 *
 * Tea ships `doAction` compiled to ES5: TypeScript's inline `__awaiter` driving its `__generator` state
 * machine. Measured here (10,000 requests, 20 at a time, Node 24): V8 keeps nearly every request's objects
 * (ClientRequest, IncomingMessage, buffers, the promise chain) alive past young-generation collections when
 * the call goes through that state machine, promotes them to the old generation and grows the young
 * generation to its maximum. The same httpx call through a native async function does not. Comparing the
 * bare callApi loop with and without this replacement isolates that cost.
 */
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { stringify } from 'node:querystring';
import { parse } from 'node:url';

import { repoRequire } from './paths';

interface TeaRequest {
	protocol: string;
	port?: number;
	method?: string;
	pathname: string;
	headers: Record<string, string>;
	query?: Record<string, string>;
	body?: unknown;
}

interface TeaRuntime {
	timeout?: number;
	readTimeout?: number;
	connectTimeout?: number;
	ignoreSSL?: boolean;
	key?: string;
	cert?: string;
	ca?: string;
	keepAlive?: boolean;
}

interface TeaModule {
	doAction: (request: TeaRequest, runtime?: TeaRuntime | null) => Promise<unknown>;
	Response: new (response: unknown) => unknown;
}

/** Tea 1.8.0's buildURL, the same steps (including its url.parse, so only the async form differs). */
function buildUrl(request: TeaRequest): string {
	let url = `${request.protocol}://${request.headers.host}`;
	if (request.port) url += `:${request.port}`;
	url += `${request.pathname}`;
	const urlInfo = parse(url);
	if (request.query && Object.keys(request.query).length > 0) {
		url += `${urlInfo.query ? '&' : '?'}${stringify(request.query)}`;
	}
	return url;
}

export function installNativeDoAction(): void {
	const tea = repoRequire('@alicloud/tea-typescript') as TeaModule;
	const httpx = repoRequire('httpx') as { request: (url: string, options: Record<string, unknown>) => Promise<unknown> };
	tea.doAction = async function doAction(request: TeaRequest, runtime: TeaRuntime | null = null): Promise<unknown> {
		const url = buildUrl(request);
		const method = (request.method || 'GET').toUpperCase();
		const options: Record<string, unknown> = { method, headers: request.headers };
		if (method !== 'GET' && method !== 'HEAD') options.data = request.body;
		if (runtime) {
			if (typeof runtime.timeout !== 'undefined') options.timeout = Number(runtime.timeout);
			if (typeof runtime.readTimeout !== 'undefined') options.readTimeout = Number(runtime.readTimeout);
			if (typeof runtime.connectTimeout !== 'undefined') options.connectTimeout = Number(runtime.connectTimeout);
			if (typeof runtime.ignoreSSL !== 'undefined') options.rejectUnauthorized = !runtime.ignoreSSL;
			if (typeof runtime.key !== 'undefined') options.key = String(runtime.key);
			if (typeof runtime.cert !== 'undefined') options.cert = String(runtime.cert);
			if (typeof runtime.ca !== 'undefined') options.ca = String(runtime.ca);
			if (typeof runtime.keepAlive !== 'undefined') {
				const agent = request.protocol?.toLowerCase() === 'https' ? new HttpsAgent({ keepAlive: runtime.keepAlive }) : new Agent({ keepAlive: runtime.keepAlive });
				options.agent = agent;
			}
		}
		return new tea.Response(await httpx.request(url, options));
	};
}
