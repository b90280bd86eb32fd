import { authenticationRun, judgeRun, normalizeTraceRow, parseChannelVariables, readTime, TraceTimeError, type TraceRow } from '../../nodes/LaunchAuthentication/helpers/ivrResult';

/** The result rule on hand-made traces: which rows form the run, when it has finished, how it is judged. */
const FLOW = 'auth-flow';
const MAIN = 'main-flow';
/** A real epoch in milliseconds; hand-made times below are offsets from it. */
const T0 = 1_780_000_000_000;
const at = (ms: number) => T0 + ms;
const row = (flow: string, enter: number, fields: Partial<TraceRow> = {}): TraceRow => ({
	FlowId: flow,
	EnterTime: at(enter),
	NodeName: `n${enter}`,
	NodeType: 'PLAY_SAY',
	...fields,
	...(typeof fields.LeaveTime === 'number' ? { LeaveTime: at(fields.LeaveTime) } : {}),
});
const enters = (rows: TraceRow[]) => rows.map((r) => (r.EnterTime as number) - T0);
const SUCCESS = { kind: 'lastNodeSuccess' } as const;

describe('the run of the flow', () => {
	const trace = [
		row(MAIN, 1000, { NodeType: 'INCOMING_CALL', LeaveTime: 2000, NodeExitCode: 'Success' }),
		row(FLOW, 2000, { NodeType: 'INCOMING_CALL', LeaveTime: 3000, NodeExitCode: 'Success' }),
		row(FLOW, 3000, { LeaveTime: 4000, NodeExitCode: 'Failure', NodeVariables: { authResult: 'FAIL' } }),
		row(MAIN, 50_000, { LeaveTime: 51_000, NodeExitCode: 'Success' }),
		row(FLOW, 60_000, { NodeType: 'INCOMING_CALL', LeaveTime: 61_000, NodeExitCode: 'Success' }),
		row(FLOW, 61_000, { LeaveTime: 62_000, NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } }),
	];

	it('after a launch: the flow’s rows from the launch on (5 s allowed for clocks), in time order', () => {
		const shuffled = [trace[5], trace[0], trace[4], trace[2], trace[1], trace[3]];
		expect(enters(authenticationRun(shuffled, FLOW, at(63_000)))).toEqual([60_000, 61_000]);
		expect(enters(authenticationRun(shuffled, FLOW, at(59_000)))).toEqual([60_000, 61_000]);
		expect(authenticationRun(shuffled, FLOW, at(70_000))).toEqual([]);
	});

	it('without a launch time: the flow’s latest run, from its last start node', () => {
		expect(enters(authenticationRun(trace, FLOW))).toEqual([60_000, 61_000]);
		expect(enters(authenticationRun(trace.slice(0, 4), FLOW))).toEqual([2000, 3000]);
		expect(authenticationRun([], FLOW)).toEqual([]);
	});
});

describe('judging the run', () => {
	it('Pending before the first row and while the caller is in a node', () => {
		expect(judgeRun([], SUCCESS)).toMatchObject({ Status: 'Pending', Reason: expect.stringMatching(/not started/) });
		expect(judgeRun([row(FLOW, 1), row(FLOW, 2)], SUCCESS)).toMatchObject({ Status: 'Pending', NodeName: 'n2', Reason: 'The caller is still in the flow (node "n2").' });
	});

	it('the last node’s exit code, or a flow variable, decides; a hang-up anywhere is Hangup', () => {
		const run = [row(FLOW, 1, { LeaveTime: 2, NodeExitCode: 'Success', ChannelVariables: 'authResult=FAIL;x=1' }), row(FLOW, 2, { LeaveTime: 3, NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } })];
		expect(judgeRun(run, SUCCESS)).toMatchObject({ Status: 'Passed', ExitCode: 'Success', Variables: { authResult: 'PASS', x: '1' } });
		expect(judgeRun(run, { kind: 'variableEquals', name: 'authResult', value: 'PASS' }).Status).toBe('Passed');
		expect(judgeRun(run, { kind: 'variableEquals', name: 'authResult', value: 'OK' }).Status).toBe('Failed');
		expect(judgeRun([run[0], row(FLOW, 2, { LeaveTime: 3, NodeExitCode: 'Timeout' })], SUCCESS)).toMatchObject({ Status: 'Failed', ExitCode: 'Timeout' });
		expect(judgeRun([run[0], row(FLOW, 2, { NodeExitCode: 'Hangup' })], SUCCESS)).toMatchObject({ Status: 'Hangup', FinishedAt: new Date(at(2)).toISOString() });
	});
});

describe('trace fields', () => {
	it('ChannelVariables "A=B;C=D" become an object; encoded separators are decoded; odd keys stay plain fields', () => {
		expect(parseChannelVariables('A=B;C=D')).toEqual({ A: 'B', C: 'D' });
		expect(parseChannelVariables('note=a%3Bb%3Dc;empty=')).toEqual({ note: 'a;b=c', empty: '' });
		const odd = parseChannelVariables('__proto__=x;ok=1');
		expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
		expect(Object.keys(odd)).toEqual(['__proto__', 'ok']);
		expect(parseChannelVariables(undefined)).toEqual({});
	});

	it('a row for the output: numbers, objects, parsed ChannelVariables', () => {
		expect(normalizeTraceRow({ EnterTime: '1621910542876', LeaveTime: 0, NodeVariables: '{"digits":"2"}', NodeProperties: 'not json', ChannelVariables: 'A=B' })).toEqual({
			EnterTime: 1621910542876,
			LeaveTime: null,
			NodeVariables: { digits: '2' },
			NodeProperties: {},
			ChannelVariables: { A: 'B' },
		});
	});
});

describe('a relaunch: the run must be the one that started after the launch (issue 19, item 1)', () => {
	const start = (enter: number, leave: number) => row(FLOW, enter, { NodeType: 'INCOMING_CALL', LeaveTime: leave, NodeExitCode: 'Success' });
	// Each run starts 300 ms after its launch and ends 1 s later; run 1 (launched at 0) fails, run 2 (launched at 2300) passes.
	const run1 = [start(300, 800), row(FLOW, 800, { LeaveTime: 1300, NodeExitCode: 'Failure', NodeVariables: { authResult: 'FAIL' } })];
	const run2 = [start(2600, 3100), row(FLOW, 3100, { LeaveTime: 3600, NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } })];

	it('the first poll right after the relaunch sees only the failed run: Pending, not Failed', () => {
		const ruledOut = new Set<string>();
		const first = authenticationRun(run1, FLOW, at(2300), { elapsedMs: 20, ruledOut });
		expect(first).toEqual([]);
		expect(judgeRun(first, SUCCESS).Status).toBe('Pending');
		// A later poll of the same wait, before run 2 starts: enough time has passed for run 1's length, but it was ruled out.
		expect(authenticationRun(run1, FLOW, at(2300), { elapsedMs: 1200, ruledOut })).toEqual([]);
		// Run 2 appears: it is the run.
		const later = authenticationRun([...run1, ...run2], FLOW, at(2300), { elapsedMs: 1400, ruledOut });
		expect(enters(later)).toEqual([2600, 3100]);
		expect(judgeRun(later, SUCCESS)).toMatchObject({ Status: 'Passed', StartedAt: new Date(at(2600)).toISOString() });
	});

	it('whatever the clocks’ difference: CCC 3 s behind or 4 s ahead of n8n', () => {
		for (const skew of [-3000, 4000]) {
			const shifted = (rows: TraceRow[]) => rows.map((r) => ({ ...r, EnterTime: (r.EnterTime as number) + skew, ...(r.LeaveTime ? { LeaveTime: (r.LeaveTime as number) + skew } : {}) }));
			const ruledOut = new Set<string>();
			expect(authenticationRun(shifted(run1), FLOW, at(2300), { elapsedMs: 20, ruledOut })).toEqual([]);
			expect(enters(authenticationRun(shifted([...run1, ...run2]), FLOW, at(2300), { elapsedMs: 1400, ruledOut }))).toEqual([2600 + skew, 3100 + skew]);
		}
	});

	it('an old row with authResult=PASS, or an old Hangup, 4 s before the launch never decides the new run', () => {
		const oldPass = [start(-4500, -4200), row(FLOW, -4200, { LeaveTime: -4000, NodeExitCode: 'Success', NodeVariables: { authResult: 'PASS' } })];
		const oldHangup = [start(-4500, -4200), row(FLOW, -4200, { LeaveTime: -4000, NodeExitCode: 'Hangup' })];
		for (const old of [oldPass, oldHangup]) {
			const run = authenticationRun(old, FLOW, at(0), { elapsedMs: 15, ruledOut: new Set() });
			expect(judgeRun(run, { kind: 'variableEquals', name: 'authResult', value: 'PASS' }).Status).toBe('Pending');
		}
	});

	it('the launch’s own run, read as it goes on, is never ruled out (its length is within the time since the launch)', () => {
		const ruledOut = new Set<string>();
		expect(enters(authenticationRun([start(2600, 3100)], FLOW, at(2300), { elapsedMs: 810, ruledOut }))).toEqual([2600]);
		expect(enters(authenticationRun(run2, FLOW, at(2300), { elapsedMs: 1310, ruledOut }))).toEqual([2600, 3100]);
		expect(ruledOut.size).toBe(0);
	});
});

describe('trace times (issue 19, items 2 and 4)', () => {
	it('LeaveTime 0 (or "0", null, "") is "not left yet", never 1970', () => {
		for (const LeaveTime of [0, '0', null, '']) {
			const result = judgeRun([row(FLOW, 1, { NodeType: 'INCOMING_CALL', LeaveTime: 2, NodeExitCode: 'Success' }), { ...row(FLOW, 2, { NodeExitCode: 'Failure' }), LeaveTime }], SUCCESS);
			expect(result).toMatchObject({ Status: 'Pending', FinishedAt: null });
		}
	});

	it('reads milliseconds (documented), and seconds, microseconds, nanoseconds and ISO text with a zone, each unambiguous', () => {
		const ms = Date.UTC(2026, 11, 1, 6, 20, 14, 512);
		expect(readTime(ms)).toBe(ms);
		expect(readTime(String(ms))).toBe(ms);
		expect(readTime(Math.floor(ms / 1000))).toBe(Math.floor(ms / 1000) * 1000);
		expect(readTime(ms * 1000)).toBe(ms);
		expect(readTime(ms * 1e6)).toBe(ms);
		expect(readTime('2026-12-01T06:20:14.512Z')).toBe(ms);
		expect(readTime('2026-12-01T14:20:14.512+08:00')).toBe(ms);
	});

	it('cannot read out-of-range numbers, dates not on the calendar, text without a zone: NaN', () => {
		for (const value of [1e20, 1e11, 12345, -5, 1e14, '2026-02-30T00:00:00Z', '2026-12-01T06:20:14', 'yesterday', true, {}]) expect(readTime(value)).toBeNaN();
	});

	it('a row of the flow with an unreadable time makes the run unjudgeable (TraceTimeError naming the field), whatever its position', () => {
		for (const bad of [{ EnterTime: 1e20 }, { LeaveTime: 1e20 }, { EnterTime: '2026-12-01 06:20' }, { EnterTime: undefined }]) {
			const rows = [row(FLOW, 1, { NodeType: 'INCOMING_CALL', LeaveTime: 2, NodeExitCode: 'Success' }), { ...row(FLOW, 2, { NodeExitCode: 'Success' }), ...bad }];
			expect(() => authenticationRun(rows, FLOW, at(0))).toThrow(TraceTimeError);
			expect(() => authenticationRun(rows, FLOW)).toThrow(/has (EnterTime|LeaveTime) .* cannot be read as a time/);
		}
		// Another flow's unreadable row says nothing about this flow: ignored.
		expect(enters(authenticationRun([{ ...row(MAIN, 0), EnterTime: 'x' }, row(FLOW, 1, { NodeType: 'INCOMING_CALL' })], FLOW))).toEqual([1]);
	});

	it('a run written in seconds or ISO text is judged like one in milliseconds', () => {
		const inSeconds = [
			{ FlowId: FLOW, NodeType: 'INCOMING_CALL', NodeName: 'start', EnterTime: T0 / 1000, LeaveTime: T0 / 1000 + 1, NodeExitCode: 'Success' },
			{ FlowId: FLOW, NodeName: 'set', EnterTime: new Date(T0 + 1000).toISOString(), LeaveTime: new Date(T0 + 2000).toISOString(), NodeExitCode: 'Success' },
		];
		expect(judgeRun(authenticationRun(inSeconds, FLOW, T0 - 100, { elapsedMs: 5000 }), SUCCESS)).toMatchObject({ Status: 'Passed', StartedAt: new Date(T0).toISOString(), FinishedAt: new Date(T0 + 2000).toISOString() });
	});
});
