import type { IDataObject } from 'n8n-workflow';

import { toNumber } from './normalize';
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
 * 1. The authentication run is the rows of the chosen contact flow that entered at or after the launch
 *    (less a 5-second allowance for clock differences). Without a launch time (Get Result), the run is the
 *    rows of that flow from its last start node (INCOMING_CALL or SUB_START) on, or from its last stretch
 *    of rows not interrupted by another flow.
 * 2. A row is written when the caller enters a node; the node the caller is in has no LeaveTime yet.
 * 3. The run has finished when its last row has a LeaveTime (the caller left the flow's last node), or when
 *    any of its rows exits with Hangup (the caller hung up).
 * 4. Passed/Failed by the pass rule: the last node's exit code is Success (default), or a flow variable
 *    (NodeVariables and ChannelVariables of the run, merged in order) equals a value.
 */

export type AuthenticationStatus = 'Passed' | 'Failed' | 'Hangup' | 'Timeout' | 'Pending' | 'Unknown';

export type PassRule = { kind: 'lastNodeSuccess' } | { kind: 'variableEquals'; name: string; value: string };

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

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function time(value: unknown): number | undefined {
	const n = toNumber(value);
	return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
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
	if (value && typeof value === 'object' && !Array.isArray(value)) return { ...(value as IDataObject) };
	const out: IDataObject = {};
	for (const part of String(value ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq > 0) Object.defineProperty(out, decode(part.slice(0, eq).trim()), { value: decode(part.slice(eq + 1)), enumerable: true, writable: true, configurable: true });
	}
	return out;
}

/** A trace row for the output: times as numbers, NodeVariables/NodeProperties as objects, ChannelVariables parsed. */
export function normalizeTraceRow(row: TraceRow): IDataObject {
	const objectOf = (v: unknown): IDataObject => (v && typeof v === 'object' && !Array.isArray(v) ? (v as IDataObject) : objectFromJson(v));
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
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as IDataObject) : {};
}

/** The rows of one authentication run, in the order the caller went through them. */
export function authenticationRun(rows: TraceRow[], contactFlowId: string, launchedAt?: number): TraceRow[] {
	const byTime = rows
		.map((row, index) => ({ row, index, enter: time(row.EnterTime) ?? 0 }))
		.sort((a, b) => a.enter - b.enter || a.index - b.index);
	const own = (e: { row: TraceRow }) => e.row.FlowId === contactFlowId;
	if (launchedAt !== undefined) return byTime.filter((e) => own(e) && e.enter >= launchedAt - CLOCK_ALLOWANCE_MS).map((e) => e.row);
	let start = -1;
	for (let i = byTime.length - 1; i >= 0; i--) {
		if (!own(byTime[i])) {
			if (start !== -1) break; // the stretch of this flow's rows ends here
			continue;
		}
		start = i;
		if (START_NODE_TYPES.has(String(byTime[i].row.NodeType))) break;
	}
	return start === -1 ? [] : byTime.slice(start).filter(own).map((e) => e.row);
}

/** The flow's variables: each row's ChannelVariables, then its NodeVariables, merged in order. */
function mergedVariables(run: TraceRow[]): IDataObject {
	const merged: IDataObject = {};
	for (const row of run) {
		for (const source of [parseChannelVariables(row.ChannelVariables), normalizeTraceRow(row).NodeVariables as IDataObject]) {
			for (const [key, value] of Object.entries(source)) Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
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
		return { Status: 'Pending', ExitCode: null, NodeName: null, Variables: variables, StartedAt: null, FinishedAt: null, Reason: 'The authentication flow has not started yet (no row of this contact flow in the call’s IVR trace).' };
	}
	const hangup = run.find((row) => row.NodeExitCode === 'Hangup');
	const last = hangup ?? run[run.length - 1];
	const base = { ExitCode: text(last.NodeExitCode) ?? null, NodeName: text(last.NodeName) ?? null, Variables: variables, StartedAt: startedAt };
	const leftAt = time(last.LeaveTime);
	if (hangup) return { Status: 'Hangup', ...base, FinishedAt: iso(leftAt ?? time(last.EnterTime)) };
	if (leftAt === undefined) {
		return { Status: 'Pending', ...base, FinishedAt: null, Reason: `The caller is still in the flow (node "${base.NodeName ?? '?'}").` };
	}
	const passed = rule.kind === 'lastNodeSuccess' ? last.NodeExitCode === 'Success' : variables[rule.name] !== undefined && String(variables[rule.name]) === rule.value;
	return { Status: passed ? 'Passed' : 'Failed', ...base, FinishedAt: iso(leftAt) };
}
