// What n8n must report for the version 2 workflows of the end-to-end test (tools/workflows/e2e.mjs, examples.mjs): Launch with Wait
// for Result over the emulator's IVR trace scenarios, Get Result (never launches), version 1 and version 2
// nodes side by side, and the examples in examples/ (imported as they are, then run with stand-ins).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { REPO_DIR } from '../sandbox.mjs';
import {
	AGENT,
	AUTH_FLOW,
	DEVICE,
	EXAMPLE_EVENTS,
	GET_RESULT_CALLS,
	INSTANCE,
	NEVER_CALL,
	NODES,
	V1_JOB,
	V2_JOB,
	WAIT_CALLS,
} from '../../workflows/index.mjs';

const STATUSES = ['Passed', 'Failed', 'Hangup', 'Timeout', 'Pending', 'Unknown'];
const isIso = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && /^\d{4}-\d\d-\d\dT/.test(v);
const short = (v, n = 600) => JSON.stringify(v)?.slice(0, n);

/**
 * The items one output of a node produced in its only run, or null when the node did not run (n8n does not run
 * a node whose input got no items).
 */
export function outputOf(runData, nodeName, output = 0) {
	const runs = runData?.[nodeName];
	if (runs === undefined) return null;
	assert.ok(Array.isArray(runs) && runs.length === 1, `node "${nodeName}" ran exactly once (runs: ${runs?.length ?? 0})`);
	assert.equal(runs[0].executionStatus ?? 'success', 'success', `node "${nodeName}" status: ${short(runs[0].error)}`);
	return runs[0].data?.main?.[output] ?? [];
}

function itemsOf(runData, nodeName) {
	const items = outputOf(runData, nodeName);
	assert.ok(items, `node "${nodeName}" ran`);
	return items;
}

const pairedIndex = (item) => (Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem)?.item;

function checkSucceeded(check, label, run) {
	const resultData = run?.data?.resultData;
	check(`${label}: execution succeeded`, () => {
		assert.ok(resultData?.runData, 'run data present');
		assert.equal(resultData.error, undefined, `no workflow error: ${short(resultData.error, 800)}`);
		if (run.status !== undefined) assert.equal(run.status, 'success');
	});
	return resultData?.runData;
}

/** The LaunchAuthentication requests of a run, by JobId. */
function launchesByJob(requests) {
	const byJob = new Map();
	for (const r of requests) {
		if (r.action !== 'LaunchAuthentication') continue;
		const job = String(r.params?.JobId);
		byJob.set(job, [...(byJob.get(job) ?? []), r]);
	}
	return byJob;
}

/** Every job of `jobs` got exactly one LaunchAuthentication request in this run, and nothing else was launched. */
function assertLaunchedOnce(requests, jobs, { launched = jobs } = {}) {
	const byJob = launchesByJob(requests);
	assert.deepEqual([...byJob.keys()].sort(), [...jobs].sort(), 'LaunchAuthentication requests go to exactly these calls');
	for (const job of jobs) {
		const sent = byJob.get(job);
		assert.equal(sent.length, 1, `${job}: ${sent.length} LaunchAuthentication requests`);
		assert.equal(sent[0].launched === true, launched.includes(job), `${job} launched: ${sent[0].launched} (${sent[0].outcome})`);
	}
}

function checkFinished(a, call) {
	assert.equal(a.Status, call.status, `Status of ${call.job}: ${short(a)}`);
	assert.equal(a.ExitCode, call.exitCode);
	assert.ok(typeof a.NodeName === 'string' && a.NodeName.length > 0, 'NodeName');
	if (call.authResult) assert.equal(a.Variables?.authResult, call.authResult, `Variables: ${short(a.Variables)}`);
	assert.ok(isIso(a.StartedAt) && isIso(a.FinishedAt), `StartedAt ${a.StartedAt}, FinishedAt ${a.FinishedAt}`);
	assert.ok(Date.parse(a.FinishedAt) >= Date.parse(a.StartedAt), 'FinishedAt >= StartedAt');
	assert.equal(a.Reason, undefined, 'no Reason once finished');
}

/**
 * Launch with Wait for Result (version 2, pickers, Include Trace) over the trace scenarios, plus the call that
 * never leaves the flow with a 2-second Result Timeout.
 */
export function checkWaitRun(check, label, run, requests) {
	const runData = checkSucceeded(check, label, run);
	if (!runData) return;
	let items = [];
	check(`${label}: "${NODES.wait}" gave one item per call (one channel each), in input order, each with Authentication`, () => {
		items = itemsOf(runData, NODES.wait);
		assert.equal(items.length, WAIT_CALLS.length, short(items.map((i) => i.json.ChannelId ?? i.json.error)));
		assert.deepEqual(
			items.map(pairedIndex),
			WAIT_CALLS.map((_, i) => i),
		);
		for (const [i, item] of items.entries()) {
			assert.equal(item.json.error, undefined, `item ${i}: ${short(item.json)}`);
			assert.equal(item.json.JobId, WAIT_CALLS[i].job, 'the channel of its own call');
			assert.equal(item.json.UserContext?.UserId, AGENT);
			assert.ok(STATUSES.includes(item.json.Authentication?.Status), `Authentication: ${short(item.json.Authentication)}`);
		}
	});
	for (const [i, call] of WAIT_CALLS.entries()) {
		check(`${label}: ${call.job} → Authentication.Status ${call.status} (ExitCode ${call.exitCode}${call.authResult ? `, authResult=${call.authResult}` : ''})`, () => {
			assert.ok(items[i], 'item present');
			checkFinished(items[i].json.Authentication, call);
		});
	}
	check(`${label}: Include Trace: each item has its run's rows (${WAIT_CALLS.map((c) => c.rows).join('/')}), of the PIN flow, from its Start node, times as numbers`, () => {
		for (const [i, call] of WAIT_CALLS.entries()) {
			const trace = items[i]?.json.Trace;
			assert.ok(Array.isArray(trace), `${call.job}: Trace is a list`);
			assert.equal(trace.length, call.rows, `${call.job}: ${trace.length} rows`);
			assert.ok(trace.every((row) => row.FlowId === AUTH_FLOW && row.ContactId === call.job), `${call.job}: rows of its call and the PIN flow`);
			assert.equal(trace[0].NodeType, 'INCOMING_CALL');
			assert.ok(trace.every((row) => typeof row.EnterTime === 'number'), 'EnterTime numbers');
			assert.equal(trace.at(-1).NodeName, items[i].json.Authentication.NodeName, 'the last row is the node Authentication names');
		}
	});
	check(`${label}: ${NEVER_CALL.job} with Result Timeout 2 s → Authentication.Status Timeout (no FinishedAt, reason given)`, () => {
		const [item, ...rest] = itemsOf(runData, NODES.waitShort);
		assert.equal(rest.length, 0);
		const a = item.json.Authentication;
		assert.equal(a.Status, NEVER_CALL.status, short(a));
		assert.equal(a.FinishedAt, null);
		assert.equal(a.ExitCode, null);
		assert.ok(isIso(a.StartedAt), 'the run started');
		assert.match(a.Reason, /did not finish within 2 s/);
		assert.equal(item.json.Trace, undefined, 'no Trace without Include Trace');
	});
	const jobs = [...WAIT_CALLS.map((c) => c.job), NEVER_CALL.job];
	check(`${label}: each of the ${jobs.length} calls was launched exactly once; Wait for Result only read the trace`, () => {
		assertLaunchedOnce(requests, jobs);
		const actions = new Set(requests.map((r) => r.action));
		assert.deepEqual([...actions].sort(), ['LaunchAuthentication', 'ListIvrTrackingDetails']);
	});
	check(`${label}: the launches carry the picked instance, flow and agent and the ticket as ContactFlowVariables`, () => {
		const byJob = launchesByJob(requests);
		for (const call of WAIT_CALLS) {
			const { params } = byJob.get(call.job)[0];
			assert.deepEqual(params, { InstanceId: INSTANCE, ContactFlowId: AUTH_FLOW, JobId: call.job, UserId: AGENT, ContactFlowVariables: JSON.stringify({ ticket: call.ticket }) });
		}
	});
	check(`${label}: the 128-row trace was read in 2 pages; job-auth-throttled's first 2 polls answered 429 and were retried`, () => {
		const polls = requests.filter((r) => r.action === 'ListIvrTrackingDetails');
		assert.ok(polls.some((r) => r.params.ContactId === 'job-auth-long' && r.params.PageNumber === '2'), 'page 2 of job-auth-long');
		assert.equal(polls.filter((r) => r.params.ContactId === 'job-auth-throttled' && r.status === 429).length, 2);
	});
}

/** Get Result (version 2): read once, and Wait Until Finished with Launched At; never launches. */
export function checkGetResultRun(check, label, run, requests) {
	const runData = checkSucceeded(check, label, run);
	if (!runData) return;
	check(`${label}: "${NODES.getResult}" → ${GET_RESULT_CALLS.map((c) => c.status).join('/')} for ${GET_RESULT_CALLS.map((c) => c.job).join(', ')}`, () => {
		const items = itemsOf(runData, NODES.getResult);
		assert.equal(items.length, GET_RESULT_CALLS.length);
		for (const [i, call] of GET_RESULT_CALLS.entries()) {
			const { json } = items[i];
			assert.equal(pairedIndex(items[i]), i);
			assert.deepEqual([json.InstanceId, json.ContactFlowId, json.JobId], [INSTANCE, AUTH_FLOW, call.job]);
			assert.equal(json.Authentication?.Status, call.status, `${call.job}: ${short(json.Authentication)}`);
			if (call.reason) assert.match(json.Authentication.Reason, call.reason);
			else assert.ok(isIso(json.Authentication.FinishedAt), `${call.job} finished`);
			assert.equal(json.ChannelId, undefined, 'no launch fields: nothing was launched');
		}
	});
	check(`${label}: "${NODES.getResultWait}" (Wait Until Finished, Result Timeout 1 s, Launched At) on ${NEVER_CALL.job} → Timeout`, () => {
		const [item] = itemsOf(runData, NODES.getResultWait);
		const a = item.json.Authentication;
		assert.equal(a.Status, 'Timeout', short(a));
		assert.match(a.Reason, /did not finish within 1 s/);
		assert.ok(isIso(a.StartedAt));
	});
	check(`${label}: no LaunchAuthentication request during the run (only ListIvrTrackingDetails)`, () => {
		assert.ok(requests.length > 0, 'the trace was read');
		assert.deepEqual([...new Set(requests.map((r) => r.action))], ['ListIvrTrackingDetails']);
	});
}

/** A version 1 node and a version 2 node (resource locators) in one run send the same request. */
export function checkVersionsRun(check, label, run, requests) {
	const runData = checkSucceeded(check, label, run);
	if (!runData) return;
	check(`${label}: "${NODES.v1}" (typeVersion 1) and "${NODES.v2}" (typeVersion 2, list/ID/expression locators) each gave their call's channel`, () => {
		for (const [node, job] of [
			[NODES.v1, V1_JOB],
			[NODES.v2, V2_JOB],
		]) {
			const items = itemsOf(runData, node);
			assert.equal(items.length, 1, `${node}: ${short(items)}`);
			const { json } = items[0];
			assert.equal(json.error, undefined, `${node}: ${short(json)}`);
			assert.equal(json.JobId, job);
			assert.equal(json.Index, 10);
			assert.equal(json.UserContext.UserId, AGENT);
			assert.equal(json.Authentication, undefined, 'no Wait for Result');
		}
	});
	check(`${label}: both sent the same LaunchAuthentication parameters but the JobId; each call launched once`, () => {
		assertLaunchedOnce(requests, [V1_JOB, V2_JOB]);
		const byJob = launchesByJob(requests);
		const expected = (JobId) => ({ InstanceId: INSTANCE, ContactFlowId: AUTH_FLOW, JobId, UserId: AGENT, DeviceId: DEVICE });
		assert.deepEqual(byJob.get(V1_JOB)[0].params, expected(V1_JOB));
		assert.deepEqual(byJob.get(V2_JOB)[0].params, expected(V2_JOB));
	});
}

// ---------------------------------------------------------------------------------------------------------
// Examples

/** The node's properties shown for a version, operation and mapping mode (displayOptions.show only). */
function shownProperties(properties, values) {
	const matches = (wanted, actual) =>
		wanted.some((w) => (w && typeof w === 'object' && w._cnd ? Object.entries(w._cnd).every(([op, v]) => (op === 'gte' ? actual >= v : op === 'lte' ? actual <= v : op === 'eq' ? actual === v : true)) : w === actual));
	return properties.filter((p) => Object.entries(p.displayOptions?.show ?? {}).every(([key, wanted]) => key in values && matches(wanted, values[key])));
}

/** Parameter names of Launch Authentication nodes in a workflow that the node's version does not have. */
export function unknownCccParameters(workflowJson, nodeType) {
	const { LaunchAuthentication } = createRequire(join(REPO_DIR, 'package.json'))('./dist/nodes/LaunchAuthentication/LaunchAuthentication.node.js');
	const { properties } = new LaunchAuthentication().description;
	const problems = [];
	for (const node of workflowJson.nodes.filter((n) => n.type === nodeType)) {
		const values = {
			'@version': node.typeVersion,
			operation: node.parameters.operation ?? 'launch',
			mappingMode: node.parameters.mappingMode ?? 'defineBelow',
		};
		const shown = shownProperties(properties, values);
		const checkValue = (property, name, value) => {
			const literal = typeof value !== 'string' || !value.startsWith('=');
			if (literal && property.type === 'options' && !property.options.some((o) => o.value === value)) problems.push(`${node.name}: "${name}" = ${short(value)} is not one of its options`);
			if (literal && property.type === 'hidden' && value !== property.default) problems.push(`${node.name}: "${name}" = ${short(value)}, version ${node.typeVersion} has only ${short(property.default)}`);
			if (property.type === 'resourceLocator' && value && typeof value === 'object') {
				if (value.__rl !== true || !property.modes.some((m) => m.name === value.mode)) problems.push(`${node.name}: "${name}" is not a resource locator value of a known mode: ${short(value)}`);
			}
		};
		for (const [name, value] of Object.entries(node.parameters)) {
			const property = shown.find((p) => p.name === name);
			if (!property) {
				problems.push(`${node.name}: parameter "${name}" (version ${node.typeVersion}, operation ${values.operation})`);
				continue;
			}
			checkValue(property, name, value);
			if (property.type !== 'collection') continue;
			for (const [optionName, optionValue] of Object.entries(value ?? {})) {
				const option = property.options.find((o) => o.name === optionName);
				if (option) checkValue(option, `${name}.${optionName}`, optionValue);
				else problems.push(`${node.name}: option "${name}.${optionName}"`);
			}
		}
	}
	return problems;
}

/**
 * A runnable example's run: each CRM event went where the example routes it (caller passed → "Slack: caller
 * verified", otherwise → "Slack: fraud alert", a launch error → "E-mail supervisors"), with the message texts
 * the example's expressions make; each call launched once.
 */
export function checkExampleRun(check, label, run, requests, { tickets, events }) {
	const runData = checkSucceeded(check, label, run);
	if (!runData) return;
	const routes = [...new Set(EXAMPLE_EVENTS.map((e) => e.route))];
	const ticket = (i) => `${tickets}00${i + 1}`;
	check(`${label}: routes ${EXAMPLE_EVENTS.map((e) => `${e.jobId} → "${e.route}"`).join(', ')}`, () => {
		for (const route of routes) {
			const items = outputOf(runData, route) ?? [];
			const expected = EXAMPLE_EVENTS.map((e, i) => ({ ...e, i })).filter((e) => e.route === route);
			assert.equal(items.length, expected.length, `"${route}" got ${items.length} items: ${short(items.map((i) => i.json))}`);
			for (const [k, e] of expected.entries()) {
				const text = `${items[k].json.subject ?? ''} ${items[k].json.text}`;
				assert.ok(text.includes(e.jobId), `"${route}" item ${k} names ${e.jobId}: ${text}`);
			}
		}
	});
	check(`${label}: the messages' expressions resolve (ticket, status, node, exit code, error code)`, () => {
		const [verified] = outputOf(runData, 'Slack: caller verified');
		assert.equal(verified.json.channel, '#contact-center');
		assert.match(verified.json.text, new RegExp(`^Caller verified on call job-auth-pass \\(ticket ${ticket(0)}\\b.*exited Success at \\d{4}-`));
		const alerts = outputOf(runData, 'Slack: fraud alert');
		assert.equal(alerts[0].json.channel, '#fraud-alerts');
		assert.match(alerts[0].json.text, new RegExp(`^IVR authentication NOT passed on call job-auth-fail \\(ticket ${ticket(1)}\\b.*: Failed, node .+, exit code Failure$`));
		assert.match(alerts[1].json.text, new RegExp(`^IVR authentication NOT passed on call job-auth-hangup \\(ticket ${ticket(2)}\\b.*: Hangup, node .+, exit code Hangup$`));
		const [mail] = outputOf(runData, 'E-mail supervisors');
		assert.equal(mail.json.subject, 'IVR authentication could not start for call job-does-not-exist');
		assert.match(mail.json.text, /^Error: .*NotExists\.JobId/);
	});
	check(`${label}: each call got exactly one LaunchAuthentication (the failed one launched nothing)`, () => {
		const jobs = events.map((e) => e.body.jobId);
		assertLaunchedOnce(
			requests,
			jobs,
			{ launched: EXAMPLE_EVENTS.filter((e) => !e.errorCode).map((e) => e.jobId) },
		);
	});
}
