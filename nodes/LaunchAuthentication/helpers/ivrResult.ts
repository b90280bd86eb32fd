import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../transport/answer';

/**
 * How the outcome of an IVR authentication is read from the call's IVR trace (CCC ListIvrTrackingDetails:
 * https://help.aliyun.com/zh/ccs/developer-reference/api-ccc-2020-07-01-listivrtrackingdetails).
 *
 * Alibaba documents each row of the trace (FlowId, NodeName, NodeType, NodeExitCode, NodeVariables,
 * ChannelVariables "A=B;C=D", EnterTime/LeaveTime in ms) and the exit codes (Success, Failure, Timeout,
 * Hangup = the customer hung up, Branch-*, Default, Overflow), but no "flow finished" field and no end node
 * type; GetIvrTrackingSummary (https://help.aliyun.com/zh/ccs/developer-reference/api-ccc-2020-07-01-getivrtrackingsummary)
 * returns a summary string of undocumented format (its only example is "无"), so the rows are read instead.
 * The rule, ours, documented in the README:
 * 1. Runs: the chosen contact flow's rows in time order, split where a start node (INCOMING_CALL or
 *    SUB_START) is entered or where rows of another flow came in between.
 *    After a launch (Wait for Result, or Get Result with Launched At), the launch's run is the latest run
 *    that (a) started at or after the launch less a 5-second allowance for clock differences and (b) could
 *    have happened after the launch: everything in it (from its first EnterTime to its last EnterTime or
 *    LeaveTime) spans no more time than had passed on n8n's clock between sending the launch and reading
 *    the trace. A duration needs no common clock, so (b) holds whatever the clocks' difference: a run that
 *    had already finished, or gone on for longer than the time since the launch, when it was read is an
 *    earlier run, and is never taken for the launch's run in that wait again (even once enough time has
 *    passed), so a relaunch one second after a failed run never reports the failed run.
 *    Without a launch time (Get Result), the flow's latest run.
 * 2. A row is written when the caller enters a node; the node the caller is in has no LeaveTime yet
 *    (a LeaveTime of 0 counts as none).
 * 3. The run has finished when its last row has a LeaveTime (the caller left the flow's last node), or when
 *    any of its rows exits with Hangup (the caller hung up).
 * 4. Passed/Failed by the pass rule: the last node's exit code is Success (default), or a flow variable
 *    (NodeVariables and ChannelVariables of the run, merged in order) equals a value.
 * Times (EnterTime/LeaveTime, Unix milliseconds as Alibaba documents them) are read by `readTime`: what can be
 * read unambiguously is accepted, a row of the flow with a time that cannot be read makes the result Unknown
 * (TraceTimeError) with the row and the value in the reason.
 */

export type AuthenticationStatus =
	| 'Passed'
	| 'Failed'
	| 'Hangup'
	| 'Timeout'
	| 'Pending'
	| 'Unknown';

export type PassRule =
	| { kind: 'lastNodeSuccess' }
	| { kind: 'variableEquals'; name: string; value: string };

export interface AuthenticationResult {
	Status: AuthenticationStatus;
	ExitCode: string | null;
	NodeName: string | null;
	Variables: IDataObject;
	StartedAt: string | null;
	FinishedAt: string | null;
	/** Why the status is Pending, Timeout or Unknown, in words. */
	Reason?: string;
}

/** One trace row as CCC documents it (fields may be missing or typed loosely). */
export type TraceRow = Record<string, unknown>;

/** Rows of the run that entered this long before the launch still count: clocks differ. */
export const CLOCK_ALLOWANCE_MS = 5000;
const START_NODE_TYPES = new Set(['INCOMING_CALL', 'SUB_START']);

/** A row of the flow whose EnterTime or LeaveTime cannot be read as a time: the result is Unknown, with this reason. */
export class TraceTimeError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'TraceTimeError';
	}
}

/**
 * Unix-epoch magnitudes, each read in one unit only (2001-09-09 to 2286-11-20 in that unit): the bands do not
 * overlap, so no number can be read two ways. Alibaba documents milliseconds; the others are read as the
 * unit their size leaves no doubt about.
 */
const EPOCH_BANDS: Array<{ from: number; to: number; toMs: number }> = [
	{ from: 1e12, to: 1e13, toMs: 1 }, // milliseconds (documented)
	{ from: 1e9, to: 1e10, toMs: 1000 }, // seconds
	{ from: 1e15, to: 1e16, toMs: 1e-3 }, // microseconds
	{ from: 1e18, to: 1e19, toMs: 1e-6 }, // nanoseconds
];

/** ISO 8601 date and time with a zone (Z or ±hh:mm): the only text read as a time besides numbers. */
const ISO_WITH_ZONE =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Whether year-month-day (and hour:minute:second) exist on the calendar (no 2026-02-30, no 24:00). */
export function isCalendarDate(
	year: number,
	month: number,
	day: number,
	hour = 0,
	minute = 0,
	second = 0,
): boolean {
	const d = new Date(Date.UTC(year, month - 1, day));
	return (
		d.getUTCFullYear() === year &&
		d.getUTCMonth() === month - 1 &&
		d.getUTCDate() === day &&
		hour < 24 &&
		minute < 60 &&
		second < 60
	);
}

/**
 * A trace time in Unix milliseconds: `undefined` when absent (missing, null, empty text, 0), the time when
 * it can be read unambiguously (a number or numeric text in one of EPOCH_BANDS; ISO 8601 text with a zone
 * and a real calendar date), `NaN` otherwise (1e20, -5, 12345, "yesterday", ISO text without a zone).
 */
export function readTime(value: unknown): number | undefined {
	if (value === undefined || value === null || value === 0 || value === '') return undefined;
	if (typeof value === 'string') {
		const textValue = value.trim();
		if (textValue === '' || /^0+(\.0*)?$/.test(textValue)) return undefined;
		if (/^\d+(\.\d+)?$/.test(textValue)) return readTime(Number(textValue));
		const m = ISO_WITH_ZONE.exec(textValue);
		if (!m) return NaN;
		const [year, month, day, hour, minute, second] = [
			m[1],
			m[2],
			m[3],
			m[4],
			m[5],
			m[6] ?? '0',
		].map(Number);
		if (!isCalendarDate(year, month, day, hour, minute, second)) return NaN;
		const ms = Date.parse(textValue.replace(' ', 'T'));
		return Number.isFinite(ms) ? ms : NaN;
	}
	if (typeof value !== 'number' || !Number.isFinite(value)) return NaN;
	const band = EPOCH_BANDS.find((b) => value >= b.from && value < b.to);
	return band ? Math.round(value * band.toMs) : NaN;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A readable time or undefined (output and judging of rows already checked by `runsOf`). */
function time(value: unknown): number | undefined {
	const ms = readTime(value);
	return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
}

function iso(ms: number | undefined): string | null {
	return ms === undefined ? null : new Date(ms).toISOString();
}

function decode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/** ChannelVariables "A=B;C=D" as an object (values stay text). */
export function parseChannelVariables(value: unknown): IDataObject {
	if (value && typeof value === 'object' && !Array.isArray(value))
		return { ...(value as IDataObject) };
	const out: IDataObject = {};
	for (const part of String(value ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0)
			Object.defineProperty(out, decode(part.slice(0, eq).trim()), {
				value: decode(part.slice(eq + 1)),
				enumerable: true,
				writable: true,
				configurable: true,
			});
	}
	return out;
}

/** A trace row for the output: times as numbers, NodeVariables/NodeProperties as objects, ChannelVariables parsed. */
export function normalizeTraceRow(row: TraceRow): IDataObject {
	const objectOf = (v: unknown): IDataObject =>
		v && typeof v === 'object' && !Array.isArray(v) ? (v as IDataObject) : objectFromJson(v);
	return {
		...(row as IDataObject),
		EnterTime: (time(row.EnterTime) ?? null) as IDataObject[string],
		LeaveTime: (time(row.LeaveTime) ?? null) as IDataObject[string],
		NodeVariables: objectOf(row.NodeVariables),
		NodeProperties: objectOf(row.NodeProperties),
		ChannelVariables: parseChannelVariables(row.ChannelVariables),
	};
}

/** NodeVariables / NodeProperties sent as a JSON string: the object, or {} when it is not one. */
function objectFromJson(value: unknown): IDataObject {
	const parsed = typeof value === 'string' ? parseJson(value) : undefined;
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
		? (parsed as IDataObject)
		: {};
}

/** Where the trace's times say a run happened: its first EnterTime and the latest time in it. */
interface Run {
	rows: TraceRow[];
	start: number;
	latest: number;
	key: string;
}

function describeRow(row: TraceRow, field: string, value: unknown): string {
	const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : String(value);
	return `A row of the contact flow in the IVR trace (node "${text(row.NodeName) ?? '?'}") has ${field} ${shown}, which cannot be read as a time (Alibaba documents Unix milliseconds)`;
}

/** The flow's runs in time order (see the rule above); throws TraceTimeError for a row of the flow whose time cannot be read. */
function runsOf(rows: TraceRow[], contactFlowId: string): Run[] {
	const entries: Array<{
		row: TraceRow;
		index: number;
		own: boolean;
		enter: number;
		leave: number | undefined;
	}> = [];
	rows.forEach((row, index) => {
		const own = row.FlowId === contactFlowId;
		const enter = readTime(row.EnterTime);
		const leave = readTime(row.LeaveTime);
		if (own) {
			if (enter === undefined || Number.isNaN(enter))
				throw new TraceTimeError(describeRow(row, 'EnterTime', row.EnterTime));
			if (leave !== undefined && Number.isNaN(leave))
				throw new TraceTimeError(describeRow(row, 'LeaveTime', row.LeaveTime));
		} else if (enter === undefined || Number.isNaN(enter)) {
			return; // another flow's row without a readable time cannot tell anything about this flow's runs
		}
		entries.push({ row, index, own, enter, leave });
	});
	entries.sort((a, b) => a.enter - b.enter || a.index - b.index);
	const runs: Run[] = [];
	let current: Run | undefined;
	let interrupted = false;
	for (const e of entries) {
		if (!e.own) {
			interrupted = current !== undefined;
			continue;
		}
		if (!current || interrupted || START_NODE_TYPES.has(String(e.row.NodeType))) {
			current = {
				rows: [],
				start: e.enter,
				latest: e.enter,
				key: `${e.enter}/${String(e.row.NodeId ?? e.row.NodeName ?? '')}`,
			};
			runs.push(current);
			interrupted = false;
		}
		current.rows.push(e.row);
		current.latest = Math.max(current.latest, e.enter, e.leave ?? e.enter);
	}
	return runs;
}

/**
 * Allowance for the difference between the two Alibaba clocks compared: the API gateway's (the answer's Date
 * header) and the IVR's (EnterTime). The truncation of Date to the second and the round trip are already in
 * the earliest launch moment.
 */
const SERVER_SECOND_MS = 1000;

/** What a wait knows beyond the launch time: how long ago the launch was sent, and the runs it already ruled out. */
export interface RunContext {
	/** n8n's time from sending the launch to this read of the trace (its last page's answer). */
	elapsedMs?: number;
	/** Keys of runs found to be earlier than the launch by an earlier read of the same wait; this read adds its own. */
	ruledOut?: Set<string>;
	/**
	 * The earliest moment CCC can have received the launch, by CCC's clock: the second of its answer (Date
	 * header, truncated) less the round trip n8n measured. The trace's times are CCC's clock too: a run of the
	 * launch entered the flow after CCC received it; a run that started before then was there before.
	 */
	earliestLaunchAtServer?: number;
}

/** The rows of one authentication run, in the order the caller went through them. */
export function authenticationRun(
	rows: TraceRow[],
	contactFlowId: string,
	launchedAt?: number,
	context: RunContext = {},
): TraceRow[] {
	const runs = runsOf(rows, contactFlowId);
	if (launchedAt === undefined) return runs.at(-1)?.rows ?? [];
	const { elapsedMs, ruledOut, earliestLaunchAtServer } = context;
	let chosen: Run | undefined;
	for (const run of runs) {
		if (run.start < launchedAt - CLOCK_ALLOWANCE_MS || ruledOut?.has(run.key)) continue;
		// Before CCC can have received the launch, on CCC's own clock: an earlier run, however short.
		if (
			earliestLaunchAtServer !== undefined &&
			run.start < earliestLaunchAtServer - SERVER_SECOND_MS
		)
			continue;
		// Longer than the time since the launch: it began before the launch, whatever the clocks say.
		if (elapsedMs !== undefined && run.latest - run.start > elapsedMs) {
			ruledOut?.add(run.key);
			continue;
		}
		chosen = run;
	}
	return chosen?.rows ?? [];
}

/** The flow's variables: each row's ChannelVariables, then its NodeVariables, merged in order. */
function mergedVariables(run: TraceRow[]): IDataObject {
	const merged: IDataObject = {};
	for (const row of run) {
		for (const source of [
			parseChannelVariables(row.ChannelVariables),
			normalizeTraceRow(row).NodeVariables as IDataObject,
		]) {
			for (const [key, value] of Object.entries(source))
				Object.defineProperty(merged, key, {
					value,
					enumerable: true,
					writable: true,
					configurable: true,
				});
		}
	}
	return merged;
}

/**
 * The outcome of the run, or Pending while it goes on. `Timeout` and `Unknown` are the caller's to give
 * (the wait ran out; a poll failed).
 */
export function judgeRun(run: TraceRow[], rule: PassRule): AuthenticationResult {
	const variables = mergedVariables(run);
	const startedAt = iso(time(run[0]?.EnterTime));
	if (run.length === 0) {
		return {
			Status: 'Pending',
			ExitCode: null,
			NodeName: null,
			Variables: variables,
			StartedAt: null,
			FinishedAt: null,
			Reason:
				'The authentication flow has not started yet (no row of this contact flow in the call’s IVR trace).',
		};
	}
	const hangup = run.find((row) => row.NodeExitCode === 'Hangup');
	const last = hangup ?? run[run.length - 1];
	const base = {
		ExitCode: text(last.NodeExitCode) ?? null,
		NodeName: text(last.NodeName) ?? null,
		Variables: variables,
		StartedAt: startedAt,
	};
	const leftAt = time(last.LeaveTime);
	if (hangup) return { Status: 'Hangup', ...base, FinishedAt: iso(leftAt ?? time(last.EnterTime)) };
	if (leftAt === undefined) {
		return {
			Status: 'Pending',
			...base,
			FinishedAt: null,
			Reason: `The caller is still in the flow (node "${base.NodeName ?? '?'}").`,
		};
	}
	const passed =
		rule.kind === 'lastNodeSuccess'
			? last.NodeExitCode === 'Success'
			: variables[rule.name] !== undefined && String(variables[rule.name]) === rule.value;
	return { Status: passed ? 'Passed' : 'Failed', ...base, FinishedAt: iso(leftAt) };
}
