// One call event sent to n8n (POST to a variant's webhook, the whole answer read and checked), and events one
// at a time in the balanced order of variants.
import { BENCH_VARIANTS, benchEventBody, benchWebhookPath } from '../../tools/workflows/index.mjs';
import { CONFIG, problems, WAIT_JOB } from './config.mjs';
import { cpuByThreadName, threadsCpuMs } from './procfs.mjs';
import { balancedCycle, balancedOrder, nowMs } from './shared.mjs';

/** What a variant's answer must hold. */
const ANSWER_OK = {
	node: (body, jobId) => body.UserContext?.JobId !== undefined && typeof body.RequestId === 'string' && body.error === undefined && jobId !== undefined,
	http: (body) => body.Code === 'OK' && body.Data?.UserContext !== undefined,
	floor: (body, jobId) => body.JobId === jobId,
	wait: (body) => body.Authentication?.Status === 'Passed' && body.error === undefined,
};

let eventCounter = 0;

/** One call event: POST to the variant's webhook, the whole answer read. Latency (ms) and the n8n process's CPU. */
export async function postEvent(n8n, variant) {
	const jobId = variant === 'wait' ? WAIT_JOB : `job-load-${1_000_000 + ++eventCounter}`;
	const cpu0 = threadsCpuMs(n8n.handle.pid);
	const t0 = nowMs();
	const res = await fetch(`http://127.0.0.1:${n8n.port}/webhook/${benchWebhookPath(variant)}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(benchEventBody(jobId)),
	});
	const text = await res.text();
	const ms = nowMs() - t0;
	const cpuByThread = cpuByThreadName(cpu0, threadsCpuMs(n8n.handle.pid));
	const cpuMs = Object.values(cpuByThread).reduce((a, b) => a + b, 0);
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	if (res.status !== 200 || !body || !ANSWER_OK[variant](body, jobId)) {
		problems.push(`${variant} event ${jobId}: HTTP ${res.status}: ${text.slice(0, 300)}`);
	}
	return { ms, cpuMs, cpuByThread };
}

/**
 * The order of the events (bench/shared/order.ts): one period holds each variant twice, and every variant
 * follows every other one exactly once (node→http→floor→node→floor→http, then node again), so that whatever
 * an event leaves behind in n8n (an isolate to re-create, a database write) weighs on each variant alike.
 * A plain rotation does not: with it, the node would follow the floor in 2 rounds of 3.
 */
export const PERIOD = balancedCycle(BENCH_VARIANTS);

/**
 * `rounds` events per variant, one at a time, in PERIOD order, with CONFIG.gapMs of quiet before each
 * (call events arrive apart; n8n's own work after an answer is not counted against the next event).
 */
export async function interleaved(n8n, rounds) {
	const samples = { node: [], http: [], floor: [] };
	for (const variant of balancedOrder(BENCH_VARIANTS, rounds)) {
		await new Promise((resolve) => setTimeout(resolve, CONFIG.gapMs));
		samples[variant].push(await postEvent(n8n, variant));
	}
	return samples;
}
