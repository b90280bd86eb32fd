// What n8n must report for the end-to-end workflow, whichever process (n8n execute, a queue-mode worker) ran it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES, REPO_DIR } from '../sandbox.mjs';
import { CALLS_NODE, LAUNCH_NODE, SIGNING_NODE } from '../../workflows/index.mjs';

/** The emulator's data (its calls and channels). */
const EMULATOR_FIXTURES = JSON.parse(readFileSync(join(REPO_DIR, 'emulator', 'fixtures.json'), 'utf8'));

/** The API page's example agent, workbench and contact flow: every call of the workflow uses them. */
export const { UserId: USER_ID, DeviceId: DEVICE_ID, ContactFlowId: CONTACT_FLOW_ID } = FIXTURES.documented.request;

/** The five items of the Code node "Calls", in order, and what each must become. */
export const CASES = [
	{ case: 'one-channel', instance: 'ccc-test', job: 'job-65382141036853491', channels: 1 },
	{ case: 'no-channels', instance: 'ccc-test', job: 'job-no-channels', channels: 0 },
	{ case: 'three-channels', instance: 'ccc-test', job: 'job-three-channels', channels: 3 },
	{ case: 'unknown-job', instance: 'ccc-test', job: 'job-does-not-exist', errorCode: 'NotExists.JobId' },
	{ case: 'unknown-instance', instance: 'ccc-does-not-exist', job: 'job-65382141036853491', errorCode: 'NotExists.InstanceId' },
];

/** Output items per input item: one per channel, one for a call without channels, one error item. */
export const EXPECTED_COUNTS = CASES.map((c) => (c.errorCode ? 1 : Math.max(1, c.channels)));
export const EXPECTED_TOTAL = EXPECTED_COUNTS.reduce((a, b) => a + b, 0);
/** LaunchAuthentication requests that actually launch (the emulator counts them). */
export const EXPECTED_LAUNCHES = CASES.filter((c) => !c.errorCode).length;

function fixtureJob(jobId) {
	const job = EMULATOR_FIXTURES.instances.find((i) => i.Id === 'ccc-test').jobs.find((j) => j.JobId === jobId);
	assert.ok(job, `fixture job ${jobId} exists in emulator/fixtures.json`);
	return job;
}

/** The main-output items a node produced in its first run. */
export function nodeItems(runData, nodeName) {
	const runs = runData?.[nodeName];
	assert.ok(Array.isArray(runs) && runs.length === 1, `node "${nodeName}" ran exactly once (runs: ${runs?.length ?? 0})`);
	assert.equal(runs[0].executionStatus ?? 'success', 'success', `node "${nodeName}" status`);
	const main = runs[0].data?.main?.[0];
	assert.ok(Array.isArray(main), `node "${nodeName}" has main output`);
	return main;
}

const isNonEmptyString = (v) => typeof v === 'string' && v.length > 0;

function checkUserContext(u, c) {
	assert.equal(typeof u, 'object');
	assert.equal(u.UserId, USER_ID);
	assert.equal(u.UserState, 'BREAK');
	assert.equal(u.InstanceId, c.instance);
	assert.equal(u.JobId, c.job);
	assert.equal(u.DeviceId, DEVICE_ID);
	assert.equal(u.OutboundScenario, false, 'UserContext.OutboundScenario is the boolean false');
	assert.deepEqual(u.SignedSkillGroupIdList, ['skg-test1@ccc-test', 'skg-test2@ccc-test']);
	assert.equal(u.Heartbeat, 1609136956378, 'UserContext.Heartbeat is a number');
	assert.equal(u.Extension, '80326034');
}

/**
 * Checks the whole run data of one execution of the workflow.
 * @param {(name: string, fn: () => void) => void} check records one named check
 * @param {string} label prefix of the check names ("regular", "queue")
 * @param {{ data: any, status?: string }} run an IRun / stored execution: { status, data: { resultData } }
 * @param {{ expectSigning?: boolean }} [options]
 */
export function checkRun(check, label, run, { expectSigning = false } = {}) {
	const resultData = run?.data?.resultData;
	const runData = resultData?.runData;
	check(`${label}: execution succeeded (Continue On Fail keeps errors as items)`, () => {
		assert.ok(runData, 'run data present');
		assert.equal(resultData.error, undefined, `no workflow error: ${JSON.stringify(resultData.error)?.slice(0, 500)}`);
		if (run.status !== undefined) assert.equal(run.status, 'success');
	});
	if (!runData) return;

	let calls = [];
	check(`${label}: Code node "${CALLS_NODE}" produced the ${CASES.length} call items`, () => {
		calls = nodeItems(runData, CALLS_NODE);
		assert.deepEqual(
			calls.map((i) => [i.json.case, i.json.instance, i.json.job]),
			CASES.map((c) => [c.case, c.instance, c.job]),
		);
	});

	let items = [];
	check(`${label}: Launch Authentication output has ${EXPECTED_TOTAL} items`, () => {
		items = nodeItems(runData, LAUNCH_NODE);
		assert.equal(items.length, EXPECTED_TOTAL, `items: ${JSON.stringify(items.map((i) => i.json)).slice(0, 800)}`);
	});
	if (items.length === 0) return;

	check(`${label}: output items per input item (pairedItem) are ${EXPECTED_COUNTS.join('/')}, in input order`, () => {
		const paired = items.map((i) => {
			const p = Array.isArray(i.pairedItem) ? i.pairedItem[0] : i.pairedItem;
			assert.ok(p && Number.isInteger(p.item), `pairedItem on every item: ${JSON.stringify(i.pairedItem)}`);
			return p.item;
		});
		const counts = CASES.map((_, idx) => paired.filter((p) => p === idx).length);
		assert.deepEqual(counts, EXPECTED_COUNTS);
		assert.deepEqual(paired, [...paired].sort((a, b) => a - b), 'items follow input order');
	});

	const byInput = (idx) =>
		items.filter((i) => (Array.isArray(i.pairedItem) ? i.pairedItem[0] : i.pairedItem)?.item === idx).map((i) => i.json);

	check(`${label}: 1-channel call → the documented channel at the top level (Index is the number 10)`, () => {
		const [one] = byInput(0);
		const ch = fixtureJob('job-65382141036853491').ChannelContexts[0];
		assert.equal(one.ChannelId, ch.ChannelId);
		assert.equal(one.ChannelState, 'CREATED');
		assert.equal(one.Index, 10);
		assert.equal(typeof one.Index, 'number');
		assert.equal(one.Timestamp, 1609138903315);
		assert.equal(one.CallType, 'OUTBOUND');
		assert.equal(one.UserId, USER_ID);
		assert.equal(one.AssociatedData, null, "the documentation's placeholder 无 becomes null");
		assert.ok(isNonEmptyString(one.RequestId), 'RequestId');
		assert.deepEqual(one.CallContext, { InstanceId: 'ccc-test', CallType: 'OUTBOUND', JobId: 'job-65382141036853491' });
	});

	check(`${label}: call without channels → one item with UserContext, CallContext, RequestId and no channel fields`, () => {
		const [none] = byInput(1);
		assert.deepEqual(Object.keys(none).sort(), ['CallContext', 'RequestId', 'UserContext']);
		assert.deepEqual(none.CallContext, { InstanceId: 'ccc-test', CallType: 'INBOUND', JobId: 'job-no-channels' });
	});

	check(`${label}: 3-channel call → 3 items, Index 1/2/3 as numbers, one RequestId, objects parsed`, () => {
		const three = byInput(2);
		const fixture = fixtureJob('job-three-channels').ChannelContexts;
		assert.deepEqual(
			three.map((i) => i.Index),
			fixture.map((c) => Number(c.Index)),
		);
		assert.ok(three.every((i) => typeof i.Index === 'number'));
		assert.deepEqual(
			three.map((i) => i.ChannelId),
			fixture.map((c) => c.ChannelId),
		);
		assert.deepEqual(
			three.map((i) => i.ChannelState),
			['ANSWERED', 'CREATED', 'RELEASED'],
		);
		assert.deepEqual(three[0].AssociatedData, { orderId: 'A-1001' });
		assert.equal(new Set(three.map((i) => i.RequestId)).size, 1, 'the channels of one call share its RequestId');
		assert.ok(three.every((i) => !('ChannelContexts' in i.CallContext)), 'CallContext without the channel list');
	});

	check(`${label}: UserContext of every successful item (agent ${USER_ID}, typed fields)`, () => {
		CASES.forEach((c, idx) => {
			if (c.errorCode) return;
			for (const json of byInput(idx)) checkUserContext(json.UserContext, c);
		});
	});

	for (const [idx, c] of CASES.entries()) {
		if (!c.errorCode) continue;
		check(`${label}: ${c.case} → error item { error, code: ${c.errorCode}, requestId }`, () => {
			const [err] = byInput(idx);
			assert.deepEqual(Object.keys(err).sort(), ['code', 'error', 'requestId']);
			assert.equal(err.code, c.errorCode);
			assert.ok(isNonEmptyString(err.requestId), 'requestId of the failed call');
			assert.match(err.error, new RegExp(c.errorCode.replace('.', '\\.')));
		});
	}

	check(`${label}: every call has its own RequestId`, () => {
		const ids = CASES.map((c, idx) => {
			const [first] = byInput(idx);
			return c.errorCode ? first.requestId : first.RequestId;
		});
		assert.equal(new Set(ids).size, CASES.length, JSON.stringify(ids));
	});

	if (expectSigning) {
		check(`${label}: HTTP Request node with the credential (authenticate) → signed LaunchAuthentication answered OK`, () => {
			const [answer] = nodeItems(runData, SIGNING_NODE);
			assert.equal(answer.json.error, undefined, `HTTP Request failed: ${JSON.stringify(answer.json).slice(0, 600)}`);
			assert.equal(answer.json.Code, 'OK');
			assert.equal(answer.json.Data.CallContext.JobId, 'job-65382141036853491');
		});
	}
}

/** The webhook's answer (responseData allEntries: the Launch Authentication items' JSON). */
export function checkWebhookAnswer(check, label, body) {
	check(`${label}: webhook answered with the ${EXPECTED_TOTAL} Launch Authentication items`, () => {
		assert.ok(Array.isArray(body), `array answer: ${JSON.stringify(body).slice(0, 300)}`);
		assert.equal(body.length, EXPECTED_TOTAL);
		assert.deepEqual(
			body.map((i) => i.Index ?? i.code ?? '-'),
			[10, '-', 1, 2, 3, 'NotExists.JobId', 'NotExists.InstanceId'],
		);
	});
}

/**
 * Checks what the emulator received during one run: one signed LaunchAuthentication per call item, with the
 * parameters the expressions produced, and the launches the fixtures allow.
 */
export function checkEmulatorRequests(check, label, requests, { expectSigning = false } = {}) {
	// The node's calls carry the ContactFlowVariables the workflow maps; the HTTP Request node's call (signed by
	// the credential alone) has none. Both are signed the same way, so the signature does not tell them apart.
	const byNode = (r) => r.action === 'LaunchAuthentication' && r.params?.ContactFlowVariables !== undefined;
	const launches = requests.filter(byNode);
	if (expectSigning) {
		check(`${label}: emulator verified the HTTP Request node's signed LaunchAuthentication and launched it`, () => {
			const viaHttp = requests.filter((r) => r.action === 'LaunchAuthentication' && !byNode(r));
			assert.equal(viaHttp.length, 1, JSON.stringify(viaHttp));
			assert.equal(viaHttp[0].outcome, 'ok');
			assert.equal(viaHttp[0].launched, true);
		});
	}
	check(`${label}: emulator received ${CASES.length} LaunchAuthentication requests with the expression values`, () => {
		assert.equal(launches.length, CASES.length, JSON.stringify(launches.map((r) => [r.params?.JobId, r.outcome])));
		const seen = launches.map((r) => `${r.params.InstanceId}|${r.params.JobId}`).sort();
		assert.deepEqual(seen, CASES.map((c) => `${c.instance}|${c.job}`).sort());
		for (const r of launches) {
			assert.equal(r.params.UserId, USER_ID);
			assert.equal(r.params.DeviceId, DEVICE_ID);
			assert.equal(r.params.ContactFlowId, CONTACT_FLOW_ID);
			assert.match(r.params.ContactFlowVariables, /^\{"ticket":"T-100\d"\}$/);
		}
	});
	check(`${label}: every request passed signature checks; ${EXPECTED_LAUNCHES} launched`, () => {
		for (const r of requests) {
			assert.ok(!/Signature|AccessKey|TimeStamp|Nonce|SecurityToken/i.test(String(r.outcome)), `auth failure: ${r.outcome}`);
		}
		assert.equal(launches.filter((r) => r.launched).length, EXPECTED_LAUNCHES);
	});
}
