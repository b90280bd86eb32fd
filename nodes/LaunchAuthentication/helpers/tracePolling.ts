import { sleep, type IDataObject } from 'n8n-workflow';

import { cccRequest, type CccClient } from '../transport';
import { isRecord, morePages, type CccResponse } from '../transport/answer';
import { CallCancelledError, CccCallError, isCancellation } from '../transport/cccCallError';
import {
	authenticationRun,
	CLOCK_ALLOWANCE_MS,
	judgeRun,
	normalizeTraceRow,
	readTime,
	TraceTimeError,
	type AuthenticationResult,
	type PassRule,
	type RunContext,
	type TraceRow,
} from './ivrResult';
import type { CallScheduler } from './scheduler';

/** ListIvrTrackingDetails pages: 1-100 rows each, pages 1-100 (Alibaba's limits). */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

/**
 * Most of the contact flow's rows one read of the trace keeps, in bytes of their JSON (a real run is a few
 * kB; 10,000 rows of 9 kB would be 90 MB per waiting item). Rows of other flows, and rows of this flow that
 * entered before the launch, are kept only as a few fields (flow, times, node type); every page's answer is
 * dropped once read.
 */
export const MAX_KEPT_TRACE_BYTES = 2 * 1024 * 1024;

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
	/**
	 * The earliest moment CCC can have received the launch, by CCC's own clock (its answer's Date header, whole
	 * seconds, less the round trip): the trace's times are CCC's too, so a run that started before it began
	 * before the launch, whatever n8n's clock says.
	 */
	earliestLaunchAtServer?: number;
}

/** What an item gains: `Authentication` and, with Include Trace, the run's rows. */
export interface ResultFields {
	Authentication: AuthenticationResult;
	Trace?: IDataObject[];
}

/** A read of the trace that cannot be judged: the result is Unknown with this reason (the launch itself is not in question). */
export class TraceReadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TraceReadError';
	}
}

/** Result Timeout ran out while a read of the trace was under way. */
class DeadlineReached extends Error {}

/**
 * One ListIvrTrackingDetails page, strictly: an OK answer must carry `Data` as an object with `List` as a
 * list (empty for a call without rows); anything else is a TraceReadError, never an empty trace (which would
 * read as "not started yet" and end as Timeout after the whole wait).
 */
export function tracePage(response: CccResponse, page: number): { rows: unknown[]; more: boolean } {
	const data = response.body.Data;
	if (!isRecord(data)) {
		throw new TraceReadError(
			`ListIvrTrackingDetails answered Code OK without Data (page ${page}${response.requestId ? `, RequestId ${response.requestId}` : ''}): not a CCC trace answer.`,
		);
	}
	if (!Array.isArray(data.List)) {
		throw new TraceReadError(
			`ListIvrTrackingDetails answered Code OK with Data.List that is not a list (page ${page}${response.requestId ? `, RequestId ${response.requestId}` : ''}): not a CCC trace answer.`,
		);
	}
	return { rows: data.List, more: morePages(data.List.length, page, PAGE_SIZE, data.TotalCount) };
}

/** The few fields of a row the run rule needs (flow, times, node type and id). */
function stub(row: Record<string, unknown>): TraceRow {
	return {
		FlowId: row.FlowId,
		EnterTime: row.EnterTime,
		LeaveTime: row.LeaveTime,
		NodeType: row.NodeType,
		NodeId: row.NodeId,
		NodeExitCode: row.NodeExitCode,
	};
}

/**
 * The call's IVR trace as the result rule needs it: every page of ListIvrTrackingDetails, each through the
 * scheduler (rate limit, Throttling retries); the flow's rows whole (those that entered before the launch
 * less the clock allowance, and other flows' rows, as stubs), at most MAX_KEPT_TRACE_BYTES of them
 * (TraceReadError beyond). With a deadline, no page is waited for after it (DeadlineReached).
 */
export async function fetchTrace(
	client: CccClient,
	scheduler: CallScheduler,
	target: TraceTarget,
	deadline?: number,
): Promise<TraceRow[]> {
	const rows: TraceRow[] = [];
	let keptBytes = 0;
	const windowStart =
		target.launchedAt === undefined ? -Infinity : target.launchedAt - CLOCK_ALLOWANCE_MS;
	for (let page = 1; page <= MAX_PAGES; page++) {
		const request = scheduler.run(
			() =>
				cccRequest(client, 'ListIvrTrackingDetails', {
					InstanceId: target.instanceId,
					ContactId: target.jobId,
					PageNumber: String(page),
					PageSize: String(PAGE_SIZE),
				}),
			undefined,
			'read',
		);
		const answer = await (deadline === undefined ? request : beforeDeadline(request, deadline));
		const { rows: pageRows, more } = tracePage(answer, page);
		for (const row of pageRows) {
			if (!isRecord(row)) continue;
			const enter = readTime(row.EnterTime);
			if (row.FlowId !== target.contactFlowId || (enter !== undefined && enter < windowStart)) {
				rows.push(stub(row));
				keptBytes += 64;
				continue;
			}
			keptBytes += JSON.stringify(row).length;
			if (keptBytes > MAX_KEPT_TRACE_BYTES) {
				throw new TraceReadError(
					`The contact flow's rows in this call's IVR trace exceed ${MAX_KEPT_TRACE_BYTES / 1024 / 1024} MB (read up to page ${page}): far more than an authentication run; not judged.`,
				);
			}
			rows.push(row);
		}
		if (!more) break;
	}
	return rows;
}

/** The request's answer, or DeadlineReached once the deadline has passed (the request's own outcome is then ignored). */
function beforeDeadline<T>(request: Promise<T>, deadline: number): Promise<T> {
	const left = deadline - Date.now();
	if (left <= 0) {
		request.catch(() => undefined);
		return Promise.reject(new DeadlineReached());
	}
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			request.catch(() => undefined);
			reject(new DeadlineReached());
		}, left);
		request.then(
			(value) => (clearTimeout(timer), resolve(value)),
			(error: unknown) => (clearTimeout(timer), reject(error)),
		);
	});
}

function fields(
	result: AuthenticationResult,
	run: TraceRow[],
	settings: ResultSettings,
): ResultFields {
	return settings.includeTrace
		? { Authentication: result, Trace: run.map(normalizeTraceRow) }
		: { Authentication: result };
}

function unknown(reason: string): AuthenticationResult {
	return {
		Status: 'Unknown',
		ExitCode: null,
		NodeName: null,
		Variables: {},
		StartedAt: null,
		FinishedAt: null,
		Reason: reason,
	};
}

/** The run, or the TraceTimeError that makes it unjudgeable (every other failure is a bug and propagates). */
function judgeable(find: () => TraceRow[]): TraceRow[] | TraceTimeError {
	try {
		return find();
	} catch (error) {
		if (error instanceof TraceTimeError) return error;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- not a trace problem: passed on as it is, the operation converts it
		throw error;
	}
}

/** Reads the trace once and judges the run: Passed, Failed, Hangup, Pending while it goes on, Unknown when the trace cannot be judged. */
export async function checkResult(
	client: CccClient,
	scheduler: CallScheduler,
	target: TraceTarget,
	settings: ResultSettings,
	context: RunContext = {},
	deadline?: number,
): Promise<ResultFields> {
	const rows = await fetchTrace(client, scheduler, target, deadline).catch((error: unknown) => {
		if (error instanceof TraceReadError) return error;
		throw error;
	});
	if (rows instanceof TraceReadError) return { Authentication: unknown(rows.message) };
	const elapsedMs = target.launchedAt === undefined ? undefined : Date.now() - target.launchedAt;
	const run = judgeable(() =>
		authenticationRun(rows, target.contactFlowId, target.launchedAt, {
			...context,
			elapsedMs,
			earliestLaunchAtServer: target.earliestLaunchAtServer,
		}),
	);
	if (run instanceof TraceTimeError)
		return { Authentication: unknown(`${run.message}: not judged.`) };
	return fields(judgeRun(run, settings.rule), run, settings);
}

/**
 * Polls the trace every Poll Interval until the run has finished or Result Timeout has passed, a read under
 * way included. Never launches anything. A poll that keeps failing (after Throttling retries) ends the wait
 * with Status Unknown and the reason; cancelling the execution ends it at once (CallCancelledError). The
 * caller redacts the result, as everything that leaves the node.
 */
export async function waitForResult(
	client: CccClient,
	scheduler: CallScheduler,
	target: TraceTarget,
	settings: ResultSettings,
): Promise<ResultFields> {
	const deadline = Date.now() + settings.timeoutMs;
	// Runs this wait found to be earlier than the launch: never the launch's run, whatever a later read shows.
	const context: RunContext = { ruledOut: new Set<string>() };
	let latest: ResultFields = {
		Authentication: { ...unknown(''), Status: 'Pending', Reason: 'The trace was not read yet.' },
	};
	const timedOut = (): ResultFields => {
		const reason =
			`The flow did not finish within ${Math.round(settings.timeoutMs / 1000)} s (Result Timeout). ${latest.Authentication.Reason ?? ''}`.trim();
		return {
			...latest,
			Authentication: { ...latest.Authentication, Status: 'Timeout', Reason: reason },
		};
	};
	for (;;) {
		try {
			latest = await checkResult(client, scheduler, target, settings, context, deadline);
		} catch (error) {
			if (error instanceof DeadlineReached) return timedOut();
			if (isCancellation(error)) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a cancellation is passed on as it is; the operation reports the canceled execution
				throw error;
			}
			const why =
				error instanceof CccCallError && error.details.code
					? `CCC error ${error.details.code}: ${error.message}`
					: (error as Error).message;
			return { Authentication: unknown(`Reading the IVR trace failed: ${why}`) };
		}
		if (latest.Authentication.Status !== 'Pending') return latest;
		const left = deadline - Date.now();
		if (left <= 0) return timedOut();
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
