import { sleep, type IDataObject } from 'n8n-workflow';

import { cccRequest, type CccClient } from '../transport';
import { pageOfList } from '../transport/answer';
import { CallCancelledError, CccCallError } from '../transport/cccCallError';
import { authenticationRun, judgeRun, normalizeTraceRow, type AuthenticationResult, type PassRule, type TraceRow } from './ivrResult';
import type { CallScheduler } from './scheduler';

/** ListIvrTrackingDetails pages: 1-100 rows each, pages 1-100 (Alibaba's limits). */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export interface ResultSettings {
	rule: PassRule;
	includeTrace: boolean;
	pollIntervalMs: number;
	timeoutMs: number;
}

export interface TraceTarget {
	instanceId: string;
	jobId: string;
	contactFlowId: string;
	/** When the authentication was launched (ms); without it, the flow's latest run counts. */
	launchedAt?: number;
}

/** What an item gains: `Authentication` and, with Include Trace, the run's rows. */
export interface ResultFields {
	Authentication: AuthenticationResult;
	Trace?: IDataObject[];
}

/** The call's whole IVR trace: every page of ListIvrTrackingDetails, each poll through the scheduler (rate limit, Throttling retries). */
export async function fetchTrace(client: CccClient, scheduler: CallScheduler, target: TraceTarget): Promise<TraceRow[]> {
	const rows: TraceRow[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const answer = await scheduler.run(
			() => cccRequest(client, 'ListIvrTrackingDetails', { InstanceId: target.instanceId, ContactId: target.jobId, PageNumber: String(page), PageSize: String(PAGE_SIZE) }),
			undefined,
			'read',
		);
		const { rows: pageRows, more } = pageOfList(answer, page, PAGE_SIZE);
		rows.push(...pageRows);
		if (!more) break;
	}
	return rows;
}

function fields(result: AuthenticationResult, run: TraceRow[], settings: ResultSettings): ResultFields {
	return settings.includeTrace ? { Authentication: result, Trace: run.map(normalizeTraceRow) } : { Authentication: result };
}

function unknown(reason: string): AuthenticationResult {
	return { Status: 'Unknown', ExitCode: null, NodeName: null, Variables: {}, StartedAt: null, FinishedAt: null, Reason: reason };
}

/** Reads the trace once and judges the run: Passed, Failed, Hangup, or Pending while it goes on. */
export async function checkResult(client: CccClient, scheduler: CallScheduler, target: TraceTarget, settings: ResultSettings): Promise<ResultFields> {
	const run = authenticationRun(await fetchTrace(client, scheduler, target), target.contactFlowId, target.launchedAt);
	return fields(judgeRun(run, settings.rule), run, settings);
}

/**
 * Polls the trace every Poll Interval until the run has finished or Result Timeout has passed. Never
 * launches anything. A poll that keeps failing (after Throttling retries) ends the wait with Status Unknown
 * and the reason; cancelling the execution ends it at once (CallCancelledError). The caller redacts the
 * result, as everything that leaves the node.
 */
export async function waitForResult(
	client: CccClient,
	scheduler: CallScheduler,
	target: TraceTarget,
	settings: ResultSettings,
): Promise<ResultFields> {
	const deadline = Date.now() + settings.timeoutMs;
	for (;;) {
		let latest: ResultFields;
		try {
			latest = await checkResult(client, scheduler, target, settings);
		} catch (error) {
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a cancellation is passed on as it is; the operation reports the canceled execution
			if (error instanceof CallCancelledError || (error instanceof CccCallError && error.details.kind === 'cancelled')) throw error;
			const why = error instanceof CccCallError && error.details.code ? `CCC error ${error.details.code}: ${error.message}` : (error as Error).message;
			return { Authentication: unknown(`Reading the IVR trace failed: ${why}`) };
		}
		if (latest.Authentication.Status !== 'Pending') return latest;
		const left = deadline - Date.now();
		if (left <= 0) {
			const reason = `The flow did not finish within ${Math.round(settings.timeoutMs / 1000)} s (Result Timeout). ${latest.Authentication.Reason ?? ''}`.trim();
			return { ...latest, Authentication: { ...latest.Authentication, Status: 'Timeout', Reason: reason } };
		}
		await pause(Math.min(settings.pollIntervalMs, left), client.signal);
	}
}

/**
 * n8n-workflow's sleep, ended at once by the execution's cancellation (also on n8n versions whose sleep
 * does not take a signal yet).
 */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
	await new Promise<void>((resolve) => {
		const done = () => {
			signal?.removeEventListener('abort', done);
			resolve();
		};
		signal?.addEventListener('abort', done, { once: true });
		sleep(ms, signal).then(done, done);
	});
	if (signal?.aborted) throw new CallCancelledError('execution-cancelled');
}
