import { authenticationRun, judgeRun, normalizeTraceRow, parseChannelVariables, type TraceRow } from '../../nodes/LaunchAuthentication/helpers/ivrResult';

/** The result rule on hand-made traces: which rows form the run, when it has finished, how it is judged. */
const FLOW = 'auth-flow';
const MAIN = 'main-flow';
const row = (flow: string, enter: number, fields: Partial<TraceRow> = {}): TraceRow => ({ FlowId: flow, EnterTime: enter, NodeName: `n${enter}`, NodeType: 'PLAY_SAY', ...fields });
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
		expect(authenticationRun(shuffled, FLOW, 63_000).map((r) => r.EnterTime)).toEqual([60_000, 61_000]);
		expect(authenticationRun(shuffled, FLOW, 59_000).map((r) => r.EnterTime)).toEqual([60_000, 61_000]);
		expect(authenticationRun(shuffled, FLOW, 70_000)).toEqual([]);
	});

	it('without a launch time: the flow’s latest run, from its last start node', () => {
		expect(authenticationRun(trace, FLOW).map((r) => r.EnterTime)).toEqual([60_000, 61_000]);
		expect(authenticationRun(trace.slice(0, 4), FLOW).map((r) => r.EnterTime)).toEqual([2000, 3000]);
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
		expect(judgeRun([run[0], row(FLOW, 2, { NodeExitCode: 'Hangup' })], SUCCESS)).toMatchObject({ Status: 'Hangup', FinishedAt: new Date(2).toISOString() });
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
		expect(normalizeTraceRow({ EnterTime: '1621910542876', LeaveTime: undefined, NodeVariables: '{"digits":"2"}', NodeProperties: 'not json', ChannelVariables: 'A=B' })).toEqual({
			EnterTime: 1621910542876,
			LeaveTime: null,
			NodeVariables: { digits: '2' },
			NodeProperties: {},
			ChannelVariables: { A: 'B' },
		});
	});
});
