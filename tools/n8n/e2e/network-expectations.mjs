// What the network checks (network.mjs) assert about n8n's answers and the forwarding proxy's records.
import assert from 'node:assert/strict';

import { INSTANCE, NETWORK_JOB } from '../../workflows/index.mjs';

/** The host name that only the test's forwarding proxy resolves (to the emulators). */
export const PROXY_HOST = 'ccc-emulator.internal';

export const brief = (value) => JSON.stringify(value).slice(0, 600);

/** The HTTP Request node listed the instances (its item is the CCC answer). */
export function assertHttpOk(items) {
	assert.equal(items.length, 1, brief(items));
	assert.ok(items[0].Data?.List?.some?.((i) => i.Id === INSTANCE), `HTTP Request node: ${brief(items[0])}`);
}

/** The node launched job-auth-pass and waited: one item per channel, Authentication.Status Passed. */
export function assertLaunchPassed(items) {
	assert.ok(items.length >= 1, 'at least one item');
	for (const item of items) {
		assert.equal(item.error, undefined, `the node failed: ${brief(item)}`);
		assert.equal(item.JobId, NETWORK_JOB, brief(item));
		assert.equal(item.Authentication?.Status, 'Passed', brief(item.Authentication));
	}
}

export const actionsOf = (records) => [...new Set(records.map((r) => r.action).filter(Boolean))].sort();

/**
 * Proxy records of requests to the emulators (any host a CCC credential of this test names). n8n sends requests
 * of its own through the proxy as well (e.g. CONNECT api.n8n.io:443 from the queue-mode main, refused with 502
 * since the proxy knows only the test's hosts): those are not the package's and are left out here.
 */
export const ours = (records) => records.filter((r) => r.host === PROXY_HOST || r.host === 'localhost' || r.host === '127.0.0.1');
export const notOurs = (records) => records.filter((r) => !ours([r]).length);

/** What the proxy forwarded to the emulators since `from`, and that it all went to the emulator at host:port. */
export function proxied(net, from, port) {
	const records = ours(net.proxy.requests.slice(from));
	for (const r of records) assert.equal(`${r.host}:${r.port}`, `${PROXY_HOST}:${port}`, `the proxy forwarded ${r.method} ${r.host}:${r.port}`);
	return records;
}

/** Checks of one launch scenario through the proxy (a) or (f), for the plain-HTTP emulator. */
export function checkThroughProxy(check, label, net, emulator, { item, proxyFrom, emulatorFrom }) {
	check(`${label}: the HTTP Request node signed by the credential went through the proxy (control)`, () => assertHttpOk(item.http));
	check(`${label}: Launch with Wait for Result → Passed`, () => assertLaunchPassed(item.launch));
	check(`${label}: the proxy forwarded LaunchAuthentication and ListIvrTrackingDetails to ${PROXY_HOST}, and every request the emulator got came through it`, () => {
		const records = proxied(net, proxyFrom, emulator.port);
		const actions = actionsOf(records);
		for (const action of ['LaunchAuthentication', 'ListIvrTrackingDetails', 'ListInstances']) assert.ok(actions.includes(action), `proxy saw ${JSON.stringify(actions)}`);
		const received = emulator.requests.slice(emulatorFrom);
		assert.equal(records.filter((r) => r.kind === 'http').length, received.length, `proxy ${records.length} vs emulator ${received.length}`);
		assert.equal(received.filter((r) => r.action === 'LaunchAuthentication' && r.launched).length, 1, 'launched once');
	});
}
