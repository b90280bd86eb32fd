// n8n's HTTP interfaces as the end-to-end checks call them: the REST API as the editor calls it (login, the
// pickers' resource-locator endpoint, the credential test) and a published webhook, retried until n8n has
// registered it.
import assert from 'node:assert/strict';

import { CREDENTIAL_TYPE, INSTANCE, NODE_TYPE, rl } from '../../workflows/index.mjs';
import * as sandbox from '../sandbox.mjs';

const cccCredential = (id, name) => ({ [CREDENTIAL_TYPE]: { id, name } });

/** Logs in as the owner (POST /rest/login) and returns call(method, path, body) with the session's cookie. */
export async function restClient(port, owner = sandbox.DEFAULT_OWNER) {
	const base = `http://127.0.0.1:${port}/rest`;
	const browserId = `ccc-e2e-${process.pid}`;
	const login = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': browserId },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		signal: AbortSignal.timeout(30_000),
	});
	const loginText = await login.text();
	assert.equal(login.status, 200, `POST /rest/login: HTTP ${login.status} ${loginText.slice(0, 300)}`);
	const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
	assert.match(cookie, /n8n-auth=/, 'login sets the n8n-auth cookie');
	/** @returns {Promise<{ status: number, body: any, text: string }>} */
	const call = async (method, path, body) => {
		const res = await fetch(`${base}${path}`, {
			method,
			headers: { cookie, 'browser-id': browserId, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(60_000),
		});
		const text = await res.text();
		let parsed;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		return { status: res.status, body: parsed, text };
	};
	return { call };
}

/** The editor's picker request: POST /rest/dynamic-node-parameters/resource-locator-results. */
export function pickerRequest(rest, { method, path, target, filter }) {
	return rest.call('POST', '/dynamic-node-parameters/resource-locator-results', {
		nodeTypeAndVersion: { name: NODE_TYPE, version: 2 },
		path,
		methodName: method,
		filter,
		currentNodeParameters: { operation: 'launch', instanceId: rl('list', INSTANCE), contactFlowId: rl('list', ''), jobId: '', userId: rl('list', ''), options: {} },
		credentials: cccCredential(target.id, target.name),
	});
}

/** The credential test as the editor runs it: the stored credential (secret redacted), POST /rest/credentials/test. */
export async function credentialTest(rest, target) {
	const stored = await rest.call('GET', `/credentials/${target.id}?includeData=true`);
	assert.equal(stored.status, 200, `GET /rest/credentials/${target.id}: HTTP ${stored.status} ${stored.text.slice(0, 300)}`);
	const { id, name, type, data } = stored.body.data;
	return rest.call('POST', '/credentials/test', { credentials: { id, name, type, data } });
}

/**
 * POSTs `body` (JSON) to a published webhook until n8n has registered it (404 before that) and returns
 * read(parsed answer); every answer's text is pushed to `answers` (scanned for secrets at the end). A failed
 * assertion in read() is retried like a 404 until the time is up.
 * @param {{ url: string, body: unknown, answers: string[], read?: (parsed: any, text: string) => any, requestTimeoutMs: number, handle?: import('../sandbox/processes.mjs').Handle, what: string }} options
 */
export function postWebhook({ url, body, answers, read = (parsed) => parsed, requestTimeoutMs, handle, what }) {
	return sandbox.waitFor(
		what,
		async () => {
			const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(requestTimeoutMs) });
			const text = await res.text();
			answers.push(text);
			if (res.status === 404) return null; // webhook not registered yet
			assert.equal(res.status, 200, `HTTP ${res.status}: ${text.slice(0, 500)}`);
			return read(JSON.parse(text), text);
		},
		{ timeoutMs: 30_000, intervalMs: 1000, handle },
	);
}
