/**
 * The five read actions through the running emulator (signed requests, the whole pipeline): ListInstances,
 * ListContactFlows, ListUsers (emulator/directory.js), ListIvrTrackingDetails, GetIvrTrackingSummary
 * (emulator/ivrTrace.js via emulator/traces.js): shapes, paging, search, required parameters, unknown
 * instance, RAM, faults; the scenario jobs; reset(); the request counters. The trace of a launch growing
 * over time and job-auth-throttled: launchTrace.test.ts.
 */
import { DEFAULT_ACCESS_KEYS, DEFAULT_TRACE_STEP_MS, startEmulator } from '../../emulator/server';
import { callSigned } from '../../emulator/client';
import { LAUNCHABLE_JOBS } from '../../emulator/ivrScenarios';
import { AUTH_FLOW_ID } from '../../emulator/contactFlows';
import { DOC_RESPONSE } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';
import { expectCode, expectOk, page, readCalls, type Params } from './support/readCalls';

const emu = useEmulator();
const { call, trace, launch } = readCalls(emu);

const ENVELOPE = ['RequestId', 'Code', 'HttpStatusCode', 'Message', 'Data'];
const INSTANCE_KEYS = ['Id', 'Name', 'Description', 'Status', 'DomainName', 'ConsoleUrl', 'CreateTime', 'AliyunUid', 'Owner', 'NumberList', 'AdminList'];

describe('the read actions answer signed V3 requests', () => {
	it('ListInstances PageSize 1 (the credential test) and all instances', async () => {
		const one = await call('ListInstances', page(1, 1));
		expect(Object.keys(one.json)).toEqual(ENVELOPE);
		expect(one.json).toMatchObject({ HttpStatusCode: 200, Message: '无' });
		const data = expectOk(one);
		expect(data).toMatchObject({ PageNumber: 1, PageSize: 1, TotalCount: 2 });
		expect(data.List).toHaveLength(1);
		// The keys and values of the emulator's first ListInstances are still there.
		expect(Object.keys(data.List[0])).toEqual(INSTANCE_KEYS);
		expect(data.List[0]).toMatchObject({ Id: 'ccc-test', Name: 'ccc-test', Status: 'RUNNING', Owner: '1234567890123456', CreateTime: 1609136956378 });
		const all = expectOk(await call('ListInstances', page(1, 10)));
		expect(all.List.map((i: any) => i.Id)).toEqual(['ccc-test', 'ccc-emulator-2']);
		expect(all.List[0].NumberList).toContainEqual({ Number: '0571xxxx8888' });
		expect(all.List[1].AdminList.map((u: any) => u.UserId)).toEqual(['agent-1@ccc-emulator-2']);
	});

	it('ListContactFlows: the authentication flow, Type, SearchPattern, SortOrder', async () => {
		const list = (extra: Params = {}) => call('ListContactFlows', { InstanceId: 'ccc-test', ...page(1), ...extra });
		const res = await list();
		expect(Object.keys(res.json)).toEqual(ENVELOPE);
		const data = expectOk(res);
		expect(data.TotalCount).toBe(7);
		const auth = data.List.find((f: any) => f.ContactFlowId === AUTH_FLOW_ID);
		expect(auth).toMatchObject({ Name: 'PIN verification', Type: 'MAIN_FLOW', InstanceId: 'ccc-test', Published: true });
		expect(JSON.parse(auth.Definition).activities.map((a: any) => a.type)).toContain('GATHER_INPUT');
		// Default order: UpdatedTime descending; ASC reverses it.
		const updated = data.List.map((f: any) => f.UpdatedTime);
		expect([...updated].sort().reverse()).toEqual(updated);
		expect(expectOk(await list({ SortOrder: 'ASC' })).List.map((f: any) => f.UpdatedTime)).toEqual([...updated].reverse());
		const search = expectOk(await list({ SearchPattern: 'AUTHENTICATION' }));
		expect(search.TotalCount).toBeGreaterThan(0);
		expect(search.List.map((f: any) => f.ContactFlowId)).toContain(AUTH_FLOW_ID);
		for (const f of search.List) expect(`${f.Name} ${f.Description}`.toLowerCase()).toContain('authentication');
		for (const f of expectOk(await list({ Type: 'SUB_FLOW' })).List) expect(f.Type).toBe('SUB_FLOW');
		expectCode(await list({ Type: 'IVR' }), 400, 'Parameter.Enumeration');
		const other = expectOk(await call('ListContactFlows', { InstanceId: 'ccc-emulator-2', ...page(1) }));
		expect(other.List.every((f: any) => f.InstanceId === 'ccc-emulator-2')).toBe(true);
	});

	it('ListUsers: 250 agents over 3 pages of 100, TotalCount on every page', async () => {
		const pages = [];
		for (const n of [1, 2, 3, 4]) pages.push(expectOk(await call('ListUsers', { InstanceId: 'ccc-test', ...page(n) })));
		expect(pages.map((p) => [p.PageNumber, p.PageSize, p.TotalCount, p.List.length])).toEqual([
			[1, 100, 250, 100],
			[2, 100, 250, 100],
			[3, 100, 250, 50],
			[4, 100, 250, 0],
		]);
		const users = pages.flatMap((p) => p.List);
		expect(new Set(users.map((u) => u.UserId)).size).toBe(250);
		expect(users[0]).toMatchObject({ UserId: 'user-test@ccc-test', Extension: '80326034', LoginName: 'user-test' });
		const first = await call('ListUsers', { InstanceId: 'ccc-test', ...page(1, 1) });
		expect(Object.keys(first.json)).toEqual(['RequestId', 'Code', 'HttpStatusCode', 'Message', 'Params', 'Data']);
		expect(first.json.Params).toEqual(['无']);
	});

	it('ListUsers SearchPattern: case-insensitive, on the login name or the display name only', async () => {
		const everyone: any[] = [];
		for (const n of [1, 2, 3]) everyone.push(...expectOk(await call('ListUsers', { InstanceId: 'ccc-test', ...page(n) })).List);
		for (const pattern of ['wang', 'WANG', '王', 'anna', 'user-test']) {
			const found = expectOk(await call('ListUsers', { InstanceId: 'ccc-test', SearchPattern: pattern, ...page(1) }));
			const needle = pattern.toLowerCase();
			const expected = everyone.filter((u) => u.LoginName.toLowerCase().includes(needle) || u.DisplayName.toLowerCase().includes(needle));
			expect(expected.length).toBeGreaterThan(0);
			expect(found.TotalCount).toBe(expected.length);
			expect(found.List.map((u: any) => u.UserId)).toEqual(expected.map((u) => u.UserId));
		}
		// Not the extension, not the UserId's instance part.
		expect(expectOk(await call('ListUsers', { InstanceId: 'ccc-test', SearchPattern: '80326034', ...page(1) })).TotalCount).toBe(0);
		expect(expectOk(await call('ListUsers', { InstanceId: 'ccc-test', SearchPattern: '@ccc-test', ...page(1) })).TotalCount).toBe(0);
		// A search paged: 3 per page.
		const wang = everyone.filter((u) => u.LoginName.includes('wang') || u.DisplayName.includes('wang'));
		const p2 = expectOk(await call('ListUsers', { InstanceId: 'ccc-test', SearchPattern: 'wang', ...page(2, 3) }));
		expect(p2).toMatchObject({ PageNumber: 2, PageSize: 3, TotalCount: wang.length });
		expect(p2.List.map((u: any) => u.UserId)).toEqual(wang.slice(3, 6).map((u) => u.UserId));
	});

	it('a call never launched: an empty trace and the summary "无"', async () => {
		const res = await trace('job-65382141036853491', 1);
		expect(Object.keys(res.json)).toEqual(ENVELOPE);
		expect(expectOk(res)).toEqual({ PageNumber: 1, PageSize: 100, TotalCount: 0, List: [] });
		const summary = await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: 'job-65382141036853491' });
		expect(Object.keys(summary.json)).toEqual(ENVELOPE);
		expect(expectOk(summary)).toBe('无');
		expect(emu.requests.every((r) => r.outcome === 'ok' && !r.launched)).toBe(true);
	});

	it('ContactId, JobId and OrderByField that are Object.prototype names are ordinary values', async () => {
		for (const id of ['constructor', '__proto__', 'toString']) {
			expect(expectOk(await trace(id)).TotalCount).toBe(0);
			expect(expectOk(await call('GetIvrTrackingSummary', { InstanceId: 'ccc-test', ContactId: id }))).toBe('无');
			expectCode(await launch(id), 404, 'NotExists.JobId');
			expectCode(await call('ListContactFlows', { InstanceId: 'ccc-test', OrderByField: id, ...page(1) }), 400, 'Parameter.Enumeration');
		}
	});
});

describe('required parameters, unknown instance, paging, RAM, faults: as for every action', () => {
	const VALID: Record<string, Params> = {
		ListInstances: page(1, 10),
		ListContactFlows: { InstanceId: 'ccc-test', ...page(1, 10) },
		ListUsers: { InstanceId: 'ccc-test', ...page(1, 10) },
		ListIvrTrackingDetails: { InstanceId: 'ccc-test', ContactId: 'job-auth-pass', ...page(1, 10) },
		GetIvrTrackingSummary: { InstanceId: 'ccc-test', ContactId: 'job-auth-pass' },
	};
	const ACTIONS = Object.keys(VALID);

	it.each(ACTIONS)('%s: Missing<Name> for each absent or empty required parameter', async (action) => {
		for (const name of Object.keys(VALID[action])) {
			const without = { ...VALID[action] };
			delete without[name];
			for (const params of [without, { ...VALID[action], [name]: '' }]) {
				const res = await call(action, params);
				expectCode(res, 400, `Missing${name}`);
				expect(res.json.Message).toBe(`${name} is mandatory for this action.`);
			}
		}
		expectOk(await call(action, VALID[action]));
	});

	it.each(ACTIONS.filter((a) => a !== 'ListInstances'))('%s: an unknown instance is 404 NotExists.InstanceId', async (action) => {
		const res = await call(action, { ...VALID[action], InstanceId: 'ccc-nope' });
		expectCode(res, 404, 'NotExists.InstanceId');
		expect(res.json.Message).toBe('The specified instance ccc-nope does not exist.');
	});

	it('paging errors of each list', async () => {
		expectCode(await call('ListUsers', { ...VALID.ListUsers, PageSize: '101' }), 400, 'Parameter.Maximum');
		expectCode(await call('ListContactFlows', { ...VALID.ListContactFlows, PageNumber: '0' }), 400, 'Parameter.Minimum');
		expectCode(await call('ListInstances', { PageNumber: 'one', PageSize: '1' }), 400, 'InvalidPageNumber');
		const format = await call('ListIvrTrackingDetails', { ...VALID.ListIvrTrackingDetails, PageSize: 'ten' });
		expectCode(format, 400, 'Parameter.Format');
		expect(format.json.Message).toBe('The format of parameter PageSize is invalid. It must be an integer.');
	});

	it('RAM: no permission is 403 Forbidden.RAM; a key allowed ListUsers only gets that one', async () => {
		for (const action of ACTIONS) expectCode(await call(action, VALID[action], { key: DEFAULT_ACCESS_KEYS[2] }), 403, 'Forbidden.RAM');
		const key = { accessKeyId: 'LTAI5tReadUsersOnly', accessKeySecret: 'read-users-only-secret', permissions: ['ListUsers'] };
		const own = await startEmulator({ accessKeys: [key] });
		try {
			const ask = (action: string) => callSigned(own.endpoint, { key, action, params: VALID[action] });
			expectOk(await ask('ListUsers'));
			for (const action of ACTIONS.filter((a) => a !== 'ListUsers')) expectCode(await ask(action), 403, 'Forbidden.RAM');
		} finally {
			await own.close();
		}
	});

	it('a wrongly signed read is rejected before the action', async () => {
		const wrong = { ...DEFAULT_ACCESS_KEYS[0], accessKeySecret: 'not-the-secret' };
		expectCode(await call('ListUsers', VALID.ListUsers, { key: wrong }), 400, 'SignatureDoesNotMatch');
		expectCode(await call('ListIvrTrackingDetails', VALID.ListIvrTrackingDetails, { key: wrong }), 400, 'SignatureDoesNotMatch');
	});

	it('faults apply to the read actions (action filter)', async () => {
		emu.setFaults([
			{ type: 'throttle', action: 'ListIvrTrackingDetails', times: 1 },
			{ type: 'server-error', action: 'ListUsers', every: 2 },
		]);
		expectCode(await call('ListIvrTrackingDetails', VALID.ListIvrTrackingDetails), 429, 'Throttling.User');
		expectOk(await call('ListIvrTrackingDetails', VALID.ListIvrTrackingDetails));
		expectOk(await call('ListUsers', VALID.ListUsers));
		expectCode(await call('ListUsers', VALID.ListUsers), 500, 'InternalError');
		expectOk(await call('ListContactFlows', VALID.ListContactFlows));
		expect(emu.requests.map((r) => r.outcome)).toEqual(['fault:throttle', 'ok', 'ok', 'fault:server-error', 'ok']);
	});
});

describe('the scenario jobs are launchable', () => {
	it('each LAUNCHABLE_JOBS job answers the documented one-channel shape, without UserId', async () => {
		const channelKeys = Object.keys(DOC_RESPONSE.Data.CallContext.ChannelContexts[0]);
		emu.setTraceStepMs(60_000);
		for (const job of LAUNCHABLE_JOBS) {
			const res = await call('LaunchAuthentication', { InstanceId: 'ccc-test', JobId: job.JobId, ContactFlowId: AUTH_FLOW_ID });
			const data = expectOk(res);
			expect(Object.keys(res.json)).toEqual(Object.keys(DOC_RESPONSE));
			expect(Object.keys(data.UserContext)).toEqual(Object.keys(DOC_RESPONSE.Data.UserContext));
			expect(data.UserContext).toMatchObject({ UserId: 'user-test@ccc-test', JobId: job.JobId, InstanceId: 'ccc-test' });
			expect(data.CallContext).toMatchObject({ InstanceId: 'ccc-test', CallType: 'INBOUND', JobId: job.JobId });
			expect(data.CallContext.ChannelContexts).toHaveLength(1);
			const [ch] = data.CallContext.ChannelContexts;
			expect(Object.keys(ch)).toEqual(channelKeys);
			for (const v of Object.values(ch)) expect(typeof v).toBe('string');
			expect(ch).toMatchObject({ JobId: job.JobId, Index: '2', UserId: 'user-test@ccc-test' });
		}
		expect(emu.launchCount()).toBe(LAUNCHABLE_JOBS.length);
		// Not in the other instance.
		expectCode(await call('LaunchAuthentication', { InstanceId: 'ccc-emulator-2', JobId: 'job-auth-pass', ContactFlowId: AUTH_FLOW_ID }), 404, 'NotExists.JobId');
	});
});

describe('options and request counters', () => {
	it('traceStepMs: default 1000, must be positive', async () => {
		expect(DEFAULT_TRACE_STEP_MS).toBe(1000);
		const own = await startEmulator({ traceStepMs: 40 });
		try {
			expect(own.traceStepMs).toBe(40);
			expect(() => own.setTraceStepMs(0)).toThrow(RangeError);
			expect(() => own.setTraceStepMs(Number.NaN)).toThrow(RangeError);
			expect(own.traceStepMs).toBe(40);
		} finally {
			await own.close();
		}
		await expect(startEmulator({ traceStepMs: -5 })).rejects.toThrow(RangeError);
		const dflt = await startEmulator();
		try {
			expect(dflt.traceStepMs).toBe(1000);
		} finally {
			await dflt.close();
		}
	});

	it('maxRequestsInWindow(windowMs, action), requestCount(action), requestsByAction()', async () => {
		emu.setTraceStepMs(60_000);
		expectOk(await launch('job-auth-pass'));
		await Promise.all([1, 2, 3].map(() => trace('job-auth-pass')));
		expectOk(await call('ListUsers', { InstanceId: 'ccc-test', ...page(1, 1) }));
		expectCode(await call('ListUsers', { InstanceId: 'ccc-test' }), 400, 'MissingPageNumber');
		expect(emu.maxRequestsInWindow(60_000)).toBe(1); // LaunchAuthentication, as before
		expect(emu.maxRequestsInWindow(60_000, 'ListIvrTrackingDetails')).toBe(3);
		expect(emu.maxRequestsInWindow(60_000, '*')).toBe(6);
		expect(emu.maxRequestsInWindow(60_000, null)).toBe(6);
		expect(emu.requestCount('ListUsers')).toBe(2);
		expect(emu.requestCount()).toBe(6);
		expect(emu.requestCount('*')).toBe(6);
		expect(emu.requestCount('GetIvrTrackingSummary')).toBe(0);
		expect(emu.requestsByAction()).toEqual({ LaunchAuthentication: 1, ListIvrTrackingDetails: 3, ListUsers: 2 });
		emu.reset();
		expect(emu.requestsByAction()).toEqual({});
		expect(emu.requestCount()).toBe(0);
	});
});
