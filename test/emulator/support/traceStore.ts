/**
 * What the pure trace-store tests share: a store on a clock the test moves (T0, steps of STEP ms), its
 * calls, and the flow-ended rule (authOutcome) on a launch at T0 of the PIN verification flow.
 */
import { authOutcome, createTraceStore } from '../../../emulator/ivrTrace';
import { AUTH_FLOW_ID } from '../../../emulator/contactFlows';

export type Row = Record<string, any>;
export type Page = { PageNumber: number; PageSize: number; TotalCount: number; List: Row[] };

export const T0 = 1_700_000_000_000;
export const STEP = 1000;

/** A store on a clock the test moves. */
export function setup(stepMs = STEP) {
	const clock = { t: T0 };
	const store = createTraceStore({ now: () => clock.t, stepMs });
	const list = (jobId: string, extra: Record<string, string> = {}) => {
		const r = store.listIvrTrackingDetails({ InstanceId: 'ccc-test', ContactId: jobId, PageNumber: '1', PageSize: '100', ...extra });
		expect(r.error).toBeUndefined();
		return r.data as Page;
	};
	const launch = (jobId: string, contactFlowId = AUTH_FLOW_ID, extra: Record<string, unknown> = {}) =>
		store.recordLaunch({ instanceId: 'ccc-test', jobId, contactFlowId, at: clock.t, ...extra });
	/** Every row, all pages. */
	const all = (jobId: string) => {
		const rows: Row[] = [];
		for (let n = 1; ; n++) {
			const page = list(jobId, { PageNumber: String(n) });
			rows.push(...page.List);
			if (page.List.length < 100) return rows;
		}
	};
	return { clock, store, list, launch, all };
}

export const outcome = (rows: Row[], launchedAt = T0, contactFlowId = AUTH_FLOW_ID) => authOutcome(rows as any, { contactFlowId, launchedAt });
