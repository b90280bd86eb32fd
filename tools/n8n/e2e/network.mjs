// End-to-end checks of n8n's network settings (issue 18): every CCC request of the package must go where n8n's
// outbound proxy settings (HTTP_PROXY / HTTPS_PROXY / NO_PROXY and their lowercase forms, read by
// @n8n/backend-network through proxy-from-env), its SSRF protection (N8N_SSRF_*) and NODE_EXTRA_CA_CERTS send it,
// exactly as for n8n's own HTTP Request node, which each scenario runs next to the node as a control.
//
// Set-up (prepare(), before n8n imports anything):
// - a test CA and a certificate for ccc-emulator.internal (test-ca.mjs, openssl, into the run folder);
// - a second emulator over HTTPS with that certificate (the first, plain HTTP, is the run's emulator);
// - the forwarding proxy (../proxy.mjs) whose host map is the only place ccc-emulator.internal resolves:
//   to the HTTP emulator's port and to the HTTPS emulator's port;
// - credentials: http://ccc-emulator.internal:<port> (through the proxy), https://ccc-emulator.internal:<tls
//   port> (CONNECT, company CA), http://localhost:<port> (NO_PROXY), and the run's http://127.0.0.1:<port> one;
// - one webhook workflow (tools/workflows/network.mjs: POST /webhook/<path> {"target": ...}) with a branch per credential: a Code filter →
//   the HTTP Request node signed by the credential (ListInstances) → Launch with Wait for Result (job-auth-pass)
//   → Collect → Respond to Webhook; and a manual workflow with the same pair on the proxy credential (n8n execute).
//
// Scenarios (runRegular / runSsrf here, runQueue from run.mjs's queue phase):
// (a) `n8n start` with HTTP_PROXY/HTTPS_PROXY = the proxy, NO_PROXY = localhost,127.0.0.1: the launch with Wait
//     for Result through the proxy (the proxy saw LaunchAuthentication and ListIvrTrackingDetails, and every
//     request the emulator got in that window came through it); the same in queue mode (main + worker).
// (b) the three pickers through n8n's REST endpoint POST /rest/dynamic-node-parameters/resource-locator-results
//     list instances, flows and agents through the proxy;
// (c) the credential test (POST /rest/credentials/test) says OK through the proxy, over HTTP and HTTPS;
// (d) https://ccc-emulator.internal:<tls port> through CONNECT, the CA given by NODE_EXTRA_CA_CERTS;
// (e) http://localhost:<port> with localhost in NO_PROXY: the proxy sees nothing and the call works;
// (f) `n8n execute` with lowercase http_proxy/https_proxy = the proxy and uppercase HTTP_PROXY/HTTPS_PROXY = a
//     dead port: lowercase wins; no_proxy=127.0.0.1 only, so the localhost credential of (e) goes through the
//     proxy here (the proxy maps localhost too): NO_PROXY, not the host, decided (e);
// (g) `n8n start` with N8N_SSRF_PROTECTION_ENABLED=true and the endpoint on 127.0.0.1: the launch, a picker and
//     the credential test are refused, naming N8N_SSRF_ALLOWED_IP_RANGES / N8N_SSRF_ALLOWED_HOSTNAMES, and the
//     emulator receives nothing; with N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.0/8 all three work.
import assert from 'node:assert/strict';
import { join } from 'node:path';

import { AUTH_FLOW, E2E_CREDENTIAL_ID, INSTANCE, NETWORK_MANUAL_WORKFLOW_ID, NETWORK_WORKFLOW_ID, networkManualWorkflow, networkNodeNames as names, networkWorkflow } from '../../workflows/index.mjs';
import { startProxy } from '../proxy.mjs';
import * as sandbox from '../sandbox.mjs';
import { credentialTest, pickerRequest, postWebhook, restClient } from './n8n-http.mjs';
import { actionsOf, assertHttpOk, assertLaunchPassed, brief, checkThroughProxy, ours, PROXY_HOST, proxied } from './network-expectations.mjs';
import { makeTestCa } from './test-ca.mjs';

export { NETWORK_WORKFLOW_ID, PROXY_HOST };
export { notOurs } from './network-expectations.mjs';
/** Where the requests of n8n itself must never go through the proxy (REST, task runner broker, Redis). */
const NO_PROXY = 'localhost,127.0.0.1';
const SSRF_VARIABLES = /N8N_SSRF_ALLOWED_(IP_RANGES|HOSTNAMES)/;

/** The targets of the webhook workflow: credential id, name and endpoint of each. */
function targets({ emulator, tlsEmulator }) {
	return {
		proxy: { id: 'cccNetProxyHttp1', name: 'CCC through the proxy (HTTP)', endpoint: `http://${PROXY_HOST}:${emulator.port}` },
		tls: { id: 'cccNetProxyTls01', name: 'CCC through the proxy (HTTPS, company CA)', endpoint: `https://${PROXY_HOST}:${tlsEmulator.port}` },
		noproxy: { id: 'cccNetLocalhost1', name: 'CCC on localhost (NO_PROXY)', endpoint: `http://localhost:${emulator.port}` },
		loopback: { id: E2E_CREDENTIAL_ID, name: sandbox.FIXTURES.emulatorCredential.name, endpoint: emulator.endpoint },
	};
}

/** Every variable that could route n8n's requests through a proxy, inherited from the caller's shell: dropped. */
export function withoutProxyVariables(env) {
	const out = {};
	for (const [key, value] of Object.entries(env)) if (!/(^|_)(https?|all|no)_proxy$|^npm_config_(https_)?proxy$/i.test(key)) out[key] = value;
	return out;
}

/**
 * Starts the HTTPS emulator and the proxy and makes the CA; returns the credentials to import (besides the run's
 * own) and the workflows to import. Call close() at the end.
 */
export async function prepare({ runDir, emulator, traceStepMs, logFile }) {
	const { startEmulator } = sandbox.loadEmulator();
	const ca = await makeTestCa({ dir: join(runDir, 'tls'), host: PROXY_HOST, logFile: logFile('openssl') });
	const tlsEmulator = await startEmulator({ port: 0, traceStepMs, tls: { key: ca.key, cert: ca.cert } });
	// localhost is mapped too: a process that does not exempt it with NO_PROXY reaches it through the proxy ((f)).
	const proxy = await startProxy({ hosts: { [PROXY_HOST]: { [emulator.port]: emulator.port, [tlsEmulator.port]: tlsEmulator.port }, localhost: { [emulator.port]: emulator.port } } });
	const byTarget = targets({ emulator, tlsEmulator });
	const path = `ccc-net-${process.pid}`;
	const credentials = ['proxy', 'tls', 'noproxy'].map((key) => sandbox.emulatorCredential(byTarget[key]));
	const workflows = { 'network.json': networkWorkflow({ path, byTarget }), 'network-manual.json': networkManualWorkflow({ byTarget }) };
	return {
		ca,
		tlsEmulator,
		proxy,
		byTarget,
		path,
		credentials,
		workflows,
		async close() {
			await proxy.close().catch(() => {});
			await tlsEmulator.close().catch(() => {});
		},
	};
}

/** Proxy variables of n8n (uppercase), the company CA, loopback kept off the proxy. */
export function proxyEnv(net) {
	return { HTTP_PROXY: net.proxy.url, HTTPS_PROXY: net.proxy.url, NO_PROXY, NODE_EXTRA_CA_CERTS: net.ca.caFile };
}

/** sandbox.n8nEnv without any inherited proxy variable, plus `extra`. */
function n8nEnv(options) {
	const env = sandbox.n8nEnv(options);
	return { ...withoutProxyVariables(env), ...options.extra };
}

const PICKERS = [
	{ method: 'searchInstances', path: 'parameters.instanceId', action: 'ListInstances', expect: INSTANCE },
	{ method: 'searchContactFlows', path: 'parameters.contactFlowId', action: 'ListContactFlows', expect: AUTH_FLOW },
	{ method: 'searchUsers', path: 'parameters.userId', action: 'ListUsers', expect: 'user-test@ccc-test', filter: 'user-test' },
];

/** POSTs {"target": key} to the network workflow's webhook on port; returns the Collect item. */
function callTarget(port, path, key, answers) {
	return postWebhook({
		url: `http://127.0.0.1:${port}/webhook/${path}`,
		body: { target: key },
		answers,
		requestTimeoutMs: 90_000,
		what: `the network webhook (${key}) to answer`,
		read: (parsed, text) => {
			const item = Array.isArray(parsed) ? parsed[0] : parsed;
			assert.ok(item && Array.isArray(item.launch), `answer without the Collect item: ${text.slice(0, 500)}`);
			return item;
		},
	});
}

// ---------------------------------------------------------------------------------------------------------
// Regular mode: one `n8n start` behind the proxy; then `n8n execute` with lowercase variables; then SSRF.

/**
 * @param {{ reporter: any, net: any, emulator: any, userFolder: string, logFile: (name: string) => string, answers: string[] }} ctx
 */
export async function runRegular(ctx) {
	const { reporter, net, emulator, userFolder, logFile, answers } = ctx;
	const { check, step, phase } = reporter;
	phase(`Behind a proxy (regular mode): n8n start with HTTP_PROXY/HTTPS_PROXY=${net.proxy.url}, NO_PROXY=${NO_PROXY}, NODE_EXTRA_CA_CERTS`);
	const plainEnv = n8nEnv({ userFolder, brokerPort: await sandbox.freePort() });
	await step(`n8n publish:workflow --id=${NETWORK_WORKFLOW_ID}`, () =>
		sandbox.n8nCommand(['publish:workflow', `--id=${NETWORK_WORKFLOW_ID}`], { env: plainEnv, logFile: logFile('n8n-publish-network') }),
	);
	const port = await sandbox.freePort();
	const env = n8nEnv({ userFolder, port, brokerPort: await sandbox.freePort(), extra: { ...proxyEnv(net), ...sandbox.ownerEnv() } });
	const main = sandbox.spawnN8n(['start'], { env, logFile: logFile('n8n-proxy'), name: 'n8n start (proxy)' });
	try {
		await step(`n8n start behind the proxy ready on port ${port} (its own REST, task runner and webhooks unaffected)`, () => sandbox.waitForN8nReady({ port, handle: main }));
		await step('owner set up', () => sandbox.waitForOutput(main, /Editor is now accessible via|Owner was set up successfully/, { timeoutMs: 30_000 }));
		const rest = await step('REST login as the owner (POST /rest/login)', () => restClient(port));

		// (a)
		let proxyFrom = net.proxy.requests.length;
		let emulatorFrom = emulator.requests.length;
		const item = await step(`(a) POST /webhook/${net.path} {"target":"proxy"}: credential endpoint ${net.byTarget.proxy.endpoint}`, () => callTarget(port, net.path, 'proxy', answers));
		checkThroughProxy(check, '(a) proxy', net, emulator, { item, proxyFrom, emulatorFrom });

		// (b)
		for (const picker of PICKERS) {
			proxyFrom = net.proxy.requests.length;
			const answer = await step(`(b) picker ${picker.method} (POST /rest/dynamic-node-parameters/resource-locator-results) answers`, () =>
				pickerRequest(rest, { ...picker, target: net.byTarget.proxy }),
			);
			check(`(b) picker ${picker.method} lists ${picker.expect}, through the proxy (${picker.action})`, () => {
				assert.equal(answer.status, 200, `HTTP ${answer.status}: ${answer.text.slice(0, 500)}`);
				const values = (answer.body?.data?.results ?? []).map((r) => r.value);
				assert.ok(values.includes(picker.expect), `results ${brief(values)}`);
				assert.ok(actionsOf(proxied(net, proxyFrom, emulator.port)).includes(picker.action), `proxy saw ${brief(actionsOf(net.proxy.requests.slice(proxyFrom)))}`);
			});
		}

		// (c)
		for (const key of ['proxy', 'tls']) {
			proxyFrom = net.proxy.requests.length;
			const answer = await step(`(c) credential test (POST /rest/credentials/test) of "${net.byTarget[key].name}" answers`, () => credentialTest(rest, net.byTarget[key]));
			check(`(c) credential test through the proxy (${key}) says OK`, () => {
				assert.equal(answer.status, 200, `HTTP ${answer.status}: ${answer.text.slice(0, 500)}`);
				assert.equal(answer.body?.data?.status, 'OK', brief(answer.body));
				const records = ours(net.proxy.requests.slice(proxyFrom));
				if (key === 'proxy') assert.ok(actionsOf(records).includes('ListInstances'), `proxy saw ${brief(records)}`);
				else assert.ok(records.some((r) => r.kind === 'connect' && r.host === PROXY_HOST && r.port === net.tlsEmulator.port && r.status === 200), `proxy saw ${brief(records)}`);
			});
		}

		// (d)
		proxyFrom = net.proxy.requests.length;
		const tlsFrom = net.tlsEmulator.requests.length;
		const tlsItem = await step(`(d) {"target":"tls"}: ${net.byTarget.tls.endpoint} through CONNECT, CA from NODE_EXTRA_CA_CERTS`, () => callTarget(port, net.path, 'tls', answers));
		check('(d) HTTPS: the HTTP Request node signed by the credential (control) got its answer', () => assertHttpOk(tlsItem.http));
		check('(d) HTTPS: Launch with Wait for Result → Passed', () => assertLaunchPassed(tlsItem.launch));
		check(`(d) HTTPS: the proxy only tunnelled (CONNECT ${PROXY_HOST}:${net.tlsEmulator.port}); the HTTPS emulator got the launch and the polls`, () => {
			const records = proxied(net, proxyFrom, net.tlsEmulator.port);
			assert.ok(records.length > 0 && records.every((r) => r.kind === 'connect' && r.status === 200), brief(records));
			const received = net.tlsEmulator.requests.slice(tlsFrom);
			assert.equal(received.filter((r) => r.action === 'LaunchAuthentication' && r.launched).length, 1, 'launched once');
			assert.ok(received.some((r) => r.action === 'ListIvrTrackingDetails'), 'polled');
		});

		// (e)
		proxyFrom = net.proxy.requests.length;
		emulatorFrom = emulator.requests.length;
		const localItem = await step(`(e) {"target":"noproxy"}: ${net.byTarget.noproxy.endpoint}, localhost in NO_PROXY`, () => callTarget(port, net.path, 'noproxy', answers));
		check('(e) NO_PROXY: the HTTP Request node (control) got its answer', () => assertHttpOk(localItem.http));
		check('(e) NO_PROXY: Launch with Wait for Result → Passed, directly: the proxy saw nothing, the emulator every request', () => {
			assertLaunchPassed(localItem.launch);
			assert.deepEqual(ours(net.proxy.requests.slice(proxyFrom)), []);
			const received = emulator.requests.slice(emulatorFrom);
			assert.deepEqual(actionsOf(received.map((r) => ({ action: r.action }))), ['LaunchAuthentication', 'ListInstances', 'ListIvrTrackingDetails']);
		});
	} finally {
		await main.stop(20_000);
	}

	// (f)
	const deadPort = await sandbox.freePort();
	const lowerEnv = n8nEnv({
		userFolder,
		brokerPort: await sandbox.freePort(),
		extra: {
			http_proxy: net.proxy.url,
			https_proxy: net.proxy.url,
			HTTP_PROXY: `http://127.0.0.1:${deadPort}`,
			HTTPS_PROXY: `http://127.0.0.1:${deadPort}`,
			// localhost not exempted here, unlike in (e): the localhost credential must go through the proxy.
			no_proxy: '127.0.0.1',
			NO_PROXY: '127.0.0.1',
			NODE_EXTRA_CA_CERTS: net.ca.caFile,
		},
	});
	const proxyFrom = net.proxy.requests.length;
	const emulatorFrom = emulator.requests.length;
	const result = await step(`(f) n8n execute --id=${NETWORK_MANUAL_WORKFLOW_ID}: http_proxy=${net.proxy.url}, HTTP_PROXY=a dead port (127.0.0.1:${deadPort})`, () =>
		sandbox.n8nCommand(['execute', `--id=${NETWORK_MANUAL_WORKFLOW_ID}`, '--rawOutput'], { env: lowerEnv, logFile: logFile('n8n-execute-lowercase-proxy') }),
	);
	const run = await step('(f) execute printed the run (IRun JSON)', () => sandbox.parseExecuteOutput(result.stdout));
	const out = (name) => (run.data?.resultData?.runData?.[name]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
	const [p, l] = [names('proxy'), names('noproxy')];
	check('(f) lowercase wins: the HTTP Request nodes (control) got their answers', () => {
		assertHttpOk(out(p.http));
		assertHttpOk(out(l.http));
	});
	check(`(f) lowercase wins: Launch with Wait for Result → Passed on ${net.byTarget.proxy.endpoint} and on ${net.byTarget.noproxy.endpoint}`, () => {
		assertLaunchPassed(out(p.launch));
		assertLaunchPassed(out(l.launch));
	});
	check(`(f) lowercase wins, and (e)'s counterpart: with localhost not in no_proxy, both credentials' LaunchAuthentication and ListIvrTrackingDetails went through the proxy, and every request the emulator got came through it`, () => {
		const records = ours(net.proxy.requests.slice(proxyFrom));
		for (const host of [PROXY_HOST, 'localhost']) {
			const actions = actionsOf(records.filter((r) => r.host === host && r.port === emulator.port));
			for (const action of ['LaunchAuthentication', 'ListIvrTrackingDetails', 'ListInstances']) assert.ok(actions.includes(action), `${host}: proxy saw ${JSON.stringify(actions)}`);
		}
		assert.ok(records.every((r) => r.kind === 'http' && r.status === 200), brief(records));
		const received = emulator.requests.slice(emulatorFrom);
		assert.equal(records.length, received.length, `proxy ${records.length} vs emulator ${received.length}`);
		assert.equal(received.filter((r) => r.action === 'LaunchAuthentication' && r.launched).length, 2, 'each credential launched once');
	});
}

/**
 * (g) SSRF protection: `n8n start` with N8N_SSRF_PROTECTION_ENABLED=true, the credential on 127.0.0.1 (no proxy
 * variables at all); blocked, then allowed with N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.0/8.
 */
export async function runSsrf(ctx) {
	const { reporter, net, emulator, userFolder, logFile, answers } = ctx;
	const { check, step, phase } = reporter;
	const target = net.byTarget.loopback;
	for (const allowed of [false, true]) {
		phase(`SSRF protection: N8N_SSRF_PROTECTION_ENABLED=true${allowed ? ', N8N_SSRF_ALLOWED_IP_RANGES=127.0.0.0/8' : ''}, endpoint ${target.endpoint}`);
		const label = allowed ? '(g) SSRF allowed' : '(g) SSRF blocked';
		const port = await sandbox.freePort();
		const ssrf = { N8N_SSRF_PROTECTION_ENABLED: 'true', ...(allowed ? { N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8' } : {}) };
		const env = n8nEnv({ userFolder, port, brokerPort: await sandbox.freePort(), extra: { ...ssrf, ...sandbox.ownerEnv() } });
		const main = sandbox.spawnN8n(['start'], { env, logFile: logFile(`n8n-ssrf-${allowed ? 'allowed' : 'blocked'}`), name: `n8n start (${label})` });
		try {
			await step(`${label}: n8n start ready on port ${port}`, () => sandbox.waitForN8nReady({ port, handle: main }));
			await step(`${label}: owner set up`, () => sandbox.waitForOutput(main, /Editor is now accessible via|Owner was set up successfully/, { timeoutMs: 30_000 }));
			const rest = await step(`${label}: REST login`, () => restClient(port));
			const emulatorFrom = emulator.requests.length;
			const item = await step(`${label}: POST /webhook/${net.path} {"target":"loopback"}`, () => callTarget(port, net.path, 'loopback', answers));
			const picker = await step(`${label}: picker searchInstances`, () => pickerRequest(rest, { ...PICKERS[0], target }));
			const test = await step(`${label}: credential test`, () => credentialTest(rest, target));
			if (allowed) {
				check(`${label}: the HTTP Request node (control) got its answer`, () => assertHttpOk(item.http));
				check(`${label}: the launch with Wait for Result, the picker and the credential test work`, () => {
					assertLaunchPassed(item.launch);
					assert.equal(picker.status, 200, picker.text.slice(0, 500));
					assert.ok((picker.body?.data?.results ?? []).some((r) => r.value === INSTANCE), picker.text.slice(0, 500));
					assert.equal(test.body?.data?.status, 'OK', test.text.slice(0, 500));
					assert.ok(emulator.requests.slice(emulatorFrom).some((r) => r.action === 'LaunchAuthentication' && r.launched));
				});
			} else {
				check(`${label}: the HTTP Request node (control) is refused by n8n's SSRF protection`, () => {
					assert.equal(item.http.length, 1);
					assert.match(brief(item.http[0]), /blocked|restricted/i);
				});
				check(`${label}: the launch fails, naming N8N_SSRF_ALLOWED_IP_RANGES / N8N_SSRF_ALLOWED_HOSTNAMES`, () => {
					assert.equal(item.launch.length, 1, brief(item.launch));
					assert.ok(item.launch[0].error, `no error: ${brief(item.launch[0])}`);
					assert.match(brief(item.launch[0]), SSRF_VARIABLES);
				});
				check(`${label}: the picker is refused, naming the SSRF settings`, () => {
					assert.notEqual(picker.status, 200, picker.text.slice(0, 500));
					assert.match(picker.text, SSRF_VARIABLES);
				});
				check(`${label}: the credential test is not OK and names the SSRF settings`, () => {
					assert.notEqual(test.body?.data?.status, 'OK', test.text.slice(0, 500));
					assert.match(test.text, SSRF_VARIABLES);
				});
				check(`${label}: the emulator received no request at all`, () => assert.deepEqual(emulator.requests.slice(emulatorFrom).map((r) => r.action), []));
			}
		} finally {
			await main.stop(20_000);
		}
	}
}

/**
 * Environment additions for queue mode's main and worker: the same proxy variables as regular mode, and their
 * lowercase forms with the same values, so that a lowercase variable inherited from the shell (it would win)
 * cannot send them elsewhere.
 */
export function queueProxyEnv(net) {
	const env = proxyEnv(net);
	return { ...env, http_proxy: env.HTTP_PROXY, https_proxy: env.HTTPS_PROXY, no_proxy: env.NO_PROXY };
}

/**
 * (a) in queue mode: main (`n8n start`, enqueues) and the worker (runs it) both behind the proxy; the network
 * workflow is published before they start (publish()).
 */
export async function runQueue(ctx, { mainPort }) {
	const { reporter, net, emulator, answers } = ctx;
	const proxyFrom = net.proxy.requests.length;
	const emulatorFrom = emulator.requests.length;
	const item = await reporter.step(`(a) queue mode: POST /webhook/${net.path} {"target":"proxy"} → run by the worker behind the proxy`, () =>
		callTarget(mainPort, net.path, 'proxy', answers),
	);
	checkThroughProxy(reporter.check, '(a) proxy, queue mode', net, emulator, { item, proxyFrom, emulatorFrom });
}

