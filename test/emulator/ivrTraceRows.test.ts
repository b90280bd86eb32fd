/**
 * emulator/ivrTrace.js on an injected clock: the rows (fields, flows, ChannelVariables, relaunches),
 * GetIvrTrackingSummary, and LAUNCHABLE_JOBS in emulator/fixtures.json's job format.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAUNCHABLE_JOBS, SCENARIOS } from '../../emulator/ivrScenarios';
import { formatChannelVariables, parseChannelVariables } from '../../emulator/ivrRows';
import { AUTH_FLOW_ID } from '../../emulator/contactFlows';
import { listContactFlows } from '../../emulator/directory';
import { STEP, T0, outcome, setup, type Page } from './support/traceStore';

describe('rows and flows', () => {
	it('NodeIds are activity ids of the launched flow’s Definition; FlowName is its name', () => {
		const s = setup();
		s.launch('job-auth-fail');
		s.clock.t += 60_000;
		const flow = (listContactFlows({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '100' }).data as Page).List.find((f) => f.ContactFlowId === AUTH_FLOW_ID)!;
		const activities = new Map(JSON.parse(flow.Definition).activities.map((a: any) => [a.id, a]));
		for (const row of s.list('job-auth-fail').List) {
			const a: any = activities.get(row.NodeId);
			expect(a).toBeDefined();
			expect([a.type, a.name]).toEqual([row.NodeType, row.NodeName]);
		}
	});

	it('another flow launched on a scenario job: rows carry that FlowId and FlowName', () => {
		const s = setup();
		const voice = '9d3e51c2-7a0b-4c6f-8e2d-4b1a6f0c9e37';
		s.launch('job-auth-pass', voice);
		s.clock.t += 60_000;
		const rows = s.list('job-auth-pass').List;
		expect(rows.every((r) => r.FlowId === voice && r.FlowName === 'Voiceprint / ID card check')).toBe(true);
		expect(outcome(rows, T0, voice)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS' });
		expect(outcome(rows, T0, AUTH_FLOW_ID)).toEqual({ state: 'not-started' });
	});

	it('a job without a scenario follows the pass script; an unknown or never-launched job has no rows', () => {
		const s = setup();
		expect(s.list('job-65382141036853491').TotalCount).toBe(0);
		expect(s.list('job-never-heard-of').TotalCount).toBe(0);
		expect(s.launch('job-65382141036853491')).toMatchObject({ scenario: 'default', rows: 5 });
		s.clock.t += 60_000;
		expect(outcome(s.list('job-65382141036853491').List)).toMatchObject({ state: 'finished', exitCode: 'Success', authResult: 'PASS' });
		const e2 = s.store.recordLaunch({ instanceId: 'ccc-emulator-2', jobId: 'job-auth-fail', contactFlowId: '274601be-a6d5-4429-bcef-32b51d031c6e', at: s.clock.t });
		expect(e2.scenario).toBe('default');
		expect(s.store.listIvrTrackingDetails({ InstanceId: 'ccc-emulator-2', ContactId: 'job-auth-fail', PageNumber: '1', PageSize: '10' }).data?.TotalCount).toBe(1);
	});

	it('ContactFlowVariables of the launch show in ChannelVariables ("A=B;C=D"), special characters encoded', () => {
		const s = setup();
		s.launch('job-auth-pass', AUTH_FLOW_ID, { contactFlowVariables: JSON.stringify({ orderId: 'A-1001', note: 'a=b;c', n: 3 }) });
		s.clock.t += 60_000;
		const rows = s.list('job-auth-pass').List;
		expect(rows[0].ChannelVariables).toBe('orderId=A-1001;note=a%3Db%3Bc;n=3');
		expect(parseChannelVariables(rows[4].ChannelVariables)).toEqual({ orderId: 'A-1001', note: 'a=b;c', n: '3', authAttempts: '1', authResult: 'PASS' });
		expect(formatChannelVariables(new Map([['A', 'B'], ['C', 'D']]))).toBe('A=B;C=D');
	});

	it('caller and callee can come from the launch', () => {
		const s = setup();
		s.launch('job-auth-pass', AUTH_FLOW_ID, { caller: '139xxxx0501', callee: '083xxxx0019' });
		expect(s.list('job-auth-pass').List[0]).toMatchObject({ Caller: '139xxxx0501', Callee: '083xxxx0019' });
	});

	it('a second launch cuts the first run: its current node is left at the new launch, without exit code', () => {
		const s = setup();
		s.launch('job-auth-never');
		s.clock.t = T0 + 30_000;
		s.launch('job-auth-never');
		s.clock.t = T0 + 30_000 + 5 * STEP;
		const rows = s.list('job-auth-never').List;
		expect(rows.map((r) => [r.EnterTime - T0, r.NodeType, r.LeaveTime === undefined ? null : r.LeaveTime - T0, r.NodeExitCode ?? null])).toEqual([
			[0, 'INCOMING_CALL', 1000, 'Success'],
			[1000, 'GATHER_INPUT', 30000, null],
			[30000, 'INCOMING_CALL', 31000, 'Success'],
			[31000, 'GATHER_INPUT', null, null],
		]);
		expect(outcome(rows, T0 + 30_000)).toMatchObject({ state: 'running', nodeName: 'Enter PIN', rows: 2 });
	});

	it('deterministic: two stores on the same clock give the same answers; reset forgets', () => {
		const a = setup();
		const b = setup();
		for (const s of [a, b]) {
			s.launch('job-auth-other-flows');
			s.launch('job-auth-long');
			s.clock.t += 42_500;
		}
		expect(a.all('job-auth-other-flows')).toEqual(b.all('job-auth-other-flows'));
		expect(a.all('job-auth-long')).toEqual(b.all('job-auth-long'));
		a.store.reset();
		expect(a.list('job-auth-long').TotalCount).toBe(0);
	});

	it('answers are copies', () => {
		const s = setup();
		s.launch('job-auth-pass');
		s.clock.t += 60_000;
		const first = s.list('job-auth-pass').List[1];
		first.NodeProperties.say = 'changed';
		first.NodeVariables.digits = 'x';
		expect(s.list('job-auth-pass').List[1]).toMatchObject({ NodeVariables: { digits: '482193' } });
		expect(s.list('job-auth-pass').List[1].NodeProperties.say).not.toBe('changed');
	});
});

describe('GetIvrTrackingSummary', () => {
	it('"无" without rows, then one line per flow run; Data is a string', () => {
		const s = setup();
		const summary = () => s.store.getIvrTrackingSummary({ InstanceId: 'ccc-test', ContactId: 'job-auth-other-flows' }).data;
		expect(s.store.getIvrTrackingSummary({ InstanceId: 'ccc-test', ContactId: 'job-auth-pass' }).data).toBe('无');
		s.launch('job-auth-other-flows');
		s.clock.t += 1500;
		expect(summary()).toBe(
			[
				'Inbound main menu: Start[Success] > Welcome[Success] > Main menu[Success] > Route by key[Branch-B] > Transfer to agent[Success]',
				'PIN verification: Start[Success] > Enter PIN[Timeout] > authResult = FAIL[Failure]',
				'PIN verification: Start[Success] > Enter PIN[in progress]',
			].join('\n'),
		);
		s.clock.t += 60_000;
		expect(summary()!.split('\n')[2]).toBe(
			'PIN verification: Start[Success] > Enter PIN[Success] > Verify PIN with CRM[Success] > PIN check result[Branch-A] > authResult = PASS[Success]',
		);
	});
});

describe('LAUNCHABLE_JOBS', () => {
	const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '../../emulator/fixtures.json'), 'utf8'));
	const documented = fixtures.instances[0].jobs.find((j: any) => j.JobId === 'job-65382141036853491');

	it('each job is in the fixtures’ job format with one channel of the documented shape', () => {
		const existing = new Set(fixtures.instances.flatMap((i: any) => i.jobs.map((j: any) => j.JobId)));
		for (const job of LAUNCHABLE_JOBS) {
			expect(existing.has(job.JobId)).toBe(false);
			expect(Object.keys(job)).toEqual(['JobId', 'CallType', 'UserId', 'ChannelContexts']);
			expect(job.ChannelContexts).toHaveLength(1);
			const [ch] = job.ChannelContexts;
			expect(Object.keys(ch)).toEqual(Object.keys(documented.ChannelContexts[0]));
			for (const [k, v] of Object.entries(documented.ChannelContexts[0])) expect([k, typeof (ch as any)[k]]).toEqual([k, typeof v]);
			expect(ch).toMatchObject({ JobId: job.JobId, UserId: 'user-test@ccc-test', UserExtension: '80326034', Originator: SCENARIOS[job.JobId].caller });
			expect(ch.ChannelId).toBe(`ch:user:${ch.Originator}->80326034:${ch.ChannelId.split(':')[3]}:${job.JobId}`);
		}
	});
});
