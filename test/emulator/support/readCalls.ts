/**
 * What the read-action tests share: signed calls to the running emulator (any action, a trace page, a
 * launch of the PIN verification flow, every row of a trace), the checks of an answer's Code, and a poll
 * without an upper time bound of its own but a generous overall limit.
 */
import { callSigned } from '../../../emulator/client';
import { AUTH_FLOW_ID } from '../../../emulator/contactFlows';
import type { Emulator } from '../../helpers/emulator';

export type Res = { status: number; json: any; text: string };
export type Params = Record<string, string>;
type CallOptions = Parameters<typeof callSigned>[1];

export const page = (n: number, size = 100): Params => ({ PageNumber: String(n), PageSize: String(size) });

export function expectCode(res: Res, status: number, code: string) {
	expect({ status: res.status, code: res.json?.Code }).toEqual({ status, code });
}

export function expectOk(res: Res) {
	expectCode(res, 200, 'OK');
	return res.json.Data;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `probe` until `done` holds for its value (every value is kept); fails after `limitMs`. */
export async function pollUntil<T>(probe: () => Promise<T>, done: (v: T) => boolean, limitMs = 20_000): Promise<T[]> {
	const seen: T[] = [];
	const giveUp = Date.now() + limitMs;
	for (;;) {
		const v = await probe();
		seen.push(v);
		if (done(v)) return seen;
		if (Date.now() > giveUp) throw new Error(`condition not reached in ${limitMs} ms; last value ${JSON.stringify(v)}`);
		await sleep(3);
	}
}

/** Signed calls to `emu` (the test file's emulator). */
export function readCalls(emu: Emulator) {
	const call = (action: string, params: Params, extra: CallOptions = {}): Promise<Res> =>
		callSigned(emu.endpoint, { action, params, ...extra });
	const trace = (jobId: string, n = 1, extra: CallOptions = {}) =>
		call('ListIvrTrackingDetails', { InstanceId: 'ccc-test', ContactId: jobId, ...page(n) }, extra);
	const launch = (jobId: string, extra: Params = {}) =>
		call('LaunchAuthentication', { InstanceId: 'ccc-test', JobId: jobId, ContactFlowId: AUTH_FLOW_ID, ...extra });
	/** Every row of a call's trace (all pages). */
	const allRows = async (jobId: string): Promise<any[]> => {
		const rows: any[] = [];
		for (let n = 1; ; n++) {
			const data = expectOk(await trace(jobId, n));
			rows.push(...data.List);
			if (data.List.length < 100) return rows;
		}
	};
	return { call, trace, launch, allRows };
}
