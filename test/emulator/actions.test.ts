/**
 * LaunchAuthentication and ListInstances against the fixtures: documented shapes and errors.
 */
import * as path from 'node:path';
import { startEmulator, DEFAULT_ACCESS_KEYS } from '../../emulator/server';
import { callSigned } from '../../emulator/client';
import { DOC_PARAMS, DOC_RESPONSE } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';

const emu = useEmulator();

const launch = (params: Record<string, string>, extra: Parameters<typeof callSigned>[1] = {}) =>
	callSigned(emu.endpoint, { params, ...extra });

function allStrings(o: Record<string, unknown>) {
	for (const [k, v] of Object.entries(o)) expect([k, typeof v]).toEqual([k, 'string']);
}

describe('LaunchAuthentication success shapes', () => {
	it('the documented job answers exactly the documented JSON (keys, order, string types)', async () => {
		const res = await launch(DOC_PARAMS);
		expect(res.status).toBe(200);
		expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(res.json.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
		// Byte-for-byte the example (RequestId apart): same keys, same order, same types.
		expect(res.text).toBe(JSON.stringify({ ...DOC_RESPONSE, RequestId: res.json.RequestId }));
		expect(emu.launchCount()).toBe(1);
		expect(emu.launchCount('job-65382141036853491')).toBe(1);
	});

	it('a fresh RequestId per request', async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 5; i++) ids.add((await launch(DOC_PARAMS)).json.RequestId);
		expect(ids.size).toBe(5);
	});

	it('UserContext takes DeviceId, InstanceId, JobId and UserId from the request', async () => {
		const res = await launch({ ...DOC_PARAMS, DeviceId: 'my-device', JobId: 'job-no-channels' });
		expect(res.json.Data.UserContext).toMatchObject({ DeviceId: 'my-device', JobId: 'job-no-channels', UserId: 'user-test@ccc-test', InstanceId: 'ccc-test' });
	});

	it('a job with 0 channels', async () => {
		const res = await launch({ ...DOC_PARAMS, JobId: 'job-no-channels' });
		expect(res.json.Code).toBe('OK');
		expect(res.json.Data.CallContext).toEqual({ InstanceId: 'ccc-test', CallType: 'INBOUND', JobId: 'job-no-channels', ChannelContexts: [] });
	});

	it('a job with 3 channels', async () => {
		const res = await launch({ ...DOC_PARAMS, JobId: 'job-three-channels' });
		const channels = res.json.Data.CallContext.ChannelContexts;
		expect(channels).toHaveLength(3);
		expect(channels.map((c: any) => c.Index)).toEqual(['1', '2', '3']);
		expect(new Set(channels.map((c: any) => c.ChannelState)).size).toBe(3);
		expect(new Set(channels.map((c: any) => c.ChannelFlags)).size).toBe(3);
		expect(JSON.parse(channels[0].AssociatedData)).toEqual({ orderId: 'A-1001' });
		expect(channels[1].AssociatedData).toBe('无');
		for (const c of channels) {
			expect(Object.keys(c)).toEqual(Object.keys(DOC_RESPONSE.Data.CallContext.ChannelContexts[0]));
			allStrings(c);
			expect(c.JobId).toBe('job-three-channels');
		}
		allStrings(res.json.Data.UserContext);
	});

	it('job-load-<n> answers like the documented job with its own JobId (load tests)', async () => {
		const res = await launch({ ...DOC_PARAMS, JobId: 'job-load-1234' });
		expect(res.json.Code).toBe('OK');
		const ch = res.json.Data.CallContext.ChannelContexts;
		expect(ch).toHaveLength(1);
		expect(ch[0].JobId).toBe('job-load-1234');
		expect(ch[0].ChannelId).toBe('ch:user:139xxxx0501->80326034:1609138902226:job-load-1234');
		expect(res.json.Data.CallContext.JobId).toBe('job-load-1234');
		expectCode(await launch({ ...DOC_PARAMS, JobId: 'job-load-abc' }), 404, 'NotExists.JobId');
		expectCode(await launch({ ...DOC_PARAMS, InstanceId: 'ccc-emulator-2', JobId: 'job-load-1', UserId: 'agent-1@ccc-emulator-2' }), 404, 'NotExists.JobId');
		expect(emu.launchCount('job-load-1234')).toBe(1);
	});

	it('ContactFlowVariables: a JSON object string is accepted', async () => {
		const res = await launch({ ...DOC_PARAMS, ContactFlowVariables: JSON.stringify({ amount: 12.5, name: '张三 & co' }) });
		expect(res.json.Code).toBe('OK');
		expect(JSON.parse(emu.requests[0].params.ContactFlowVariables)).toEqual({ amount: 12.5, name: '张三 & co' });
	});

	it('parameters in a V3 form body are accepted too', async () => {
		expect((await launch(DOC_PARAMS, { paramsIn: 'form' })).json.Code).toBe('OK');
		expect(emu.launchCount()).toBe(1);
	});
});

function expectCode(res: { status: number; json: any }, status: number, code: string) {
	expect({ status: res.status, code: res.json?.Code }).toEqual({ status, code });
}

describe('LaunchAuthentication without UserId / DeviceId (optional in Alibaba\'s current reference)', () => {
	it.each(['UserId', 'DeviceId'])('absent or empty %s is accepted and launches', async (name) => {
		const params: Record<string, string> = { ...DOC_PARAMS };
		delete params[name];
		const absent = await launch(params);
		expect(absent.status).toBe(200);
		// The documented job's agent and workbench are the fixture's: the answer is the documented one.
		expect(absent.text).toBe(JSON.stringify({ ...DOC_RESPONSE, RequestId: absent.json.RequestId }));
		const empty = await launch({ ...DOC_PARAMS, [name]: '' });
		expect(empty.json.Code).toBe('OK');
		expect(emu.requests.map((r) => [r.outcome, r.launched])).toEqual([
			['ok', true],
			['ok', true],
		]);
		expect(emu.launchCount(DOC_PARAMS.JobId)).toBe(2);
	});

	it("only InstanceId, JobId and ContactFlowId: the launch uses the job's agent", async () => {
		const res = await launch({ InstanceId: 'ccc-emulator-2', JobId: 'job-emulator-2-0001', ContactFlowId: 'cf' });
		expect(res.json.Code).toBe('OK');
		expect(res.json.Data.UserContext).toMatchObject({ UserId: 'agent-1@ccc-emulator-2', DeviceId: '', Extension: '8001', InstanceId: 'ccc-emulator-2' });
		// A UserId given in the request still wins over the job's agent.
		const other = await launch({ ...DOC_PARAMS, UserId: 'agent-2@ccc-test' });
		expect(other.json.Data.UserContext).toMatchObject({ UserId: 'agent-2@ccc-test', DeviceId: DOC_PARAMS.DeviceId });
		expect(emu.requests.map((r) => r.params)).toEqual([
			{ InstanceId: 'ccc-emulator-2', JobId: 'job-emulator-2-0001', ContactFlowId: 'cf' },
			{ ...DOC_PARAMS, UserId: 'agent-2@ccc-test' },
		]);
		expect(emu.launchCount()).toBe(2);
	});

	it('a job without UserId in the fixtures: the agent of its channels, else 404 NotExists.UserId', async () => {
		const channel = { UserId: 'a@x', Index: 1 };
		const own = await startEmulator({
			fixtures: {
				instances: [
					{
						Id: 'x',
						users: [{ UserId: 'a@x', UserState: 'READY' }],
						jobs: [
							{ JobId: 'job-agent-from-channel', CallType: 'INBOUND', ChannelContexts: [{ UserId: '', Index: 0 }, channel] },
							{ JobId: 'job-nobody', CallType: 'INBOUND', ChannelContexts: [{ UserId: 'stranger@x', Index: 1 }] },
						],
					},
				],
			},
		});
		try {
			const fromChannel = await callSigned(own.endpoint, { params: { InstanceId: 'x', JobId: 'job-agent-from-channel', ContactFlowId: 'cf' } });
			expect(fromChannel.json.Data.UserContext.UserId).toBe('a@x');
			const nobody = await callSigned(own.endpoint, { params: { InstanceId: 'x', JobId: 'job-nobody', ContactFlowId: 'cf' } });
			expectCode(nobody, 404, 'NotExists.UserId');
			expect(nobody.json.Message).toBe('The call job-nobody has no agent: specify UserId.');
			expect(own.requests.map((r) => [r.outcome, r.launched])).toEqual([
				['ok', true],
				['NotExists.UserId', false],
			]);
		} finally {
			await own.close();
		}
	});
});

describe('LaunchAuthentication errors', () => {
	it.each(['ContactFlowId', 'InstanceId', 'JobId'])('missing %s -> 400 Missing<name>', async (name) => {
		const params: Record<string, string> = { ...DOC_PARAMS };
		delete params[name];
		const res = await launch(params);
		expectCode(res, 400, `Missing${name}`);
		expect(res.json.Message).toBe(`${name} is mandatory for this action.`);
		const empty = await launch({ ...DOC_PARAMS, [name]: '' });
		expectCode(empty, 400, `Missing${name}`);
		expect(emu.launchCount()).toBe(0);
		expect(emu.requests[0]).toMatchObject({ outcome: `Missing${name}`, status: 400, launched: false });
	});

	it.each(['not json', '[1,2]', '"text"', '{"a":'])('ContactFlowVariables %s -> 400 Parameter.Invalid', async (value) => {
		const res = await launch({ ...DOC_PARAMS, ContactFlowVariables: value });
		expectCode(res, 400, 'Parameter.Invalid');
		expect(res.json.Message).toContain('ContactFlowVariables');
		expect(emu.launchCount()).toBe(0);
	});

	it('unknown instance -> 404 NotExists.InstanceId', async () => {
		const res = await launch({ ...DOC_PARAMS, InstanceId: 'ccc-unknown' });
		expectCode(res, 404, 'NotExists.InstanceId');
		expect(res.json.Message).toBe('The specified instance ccc-unknown does not exist.');
	});

	it('a job of another instance -> 404 NotExists.JobId', async () => {
		const res = await launch({ ...DOC_PARAMS, InstanceId: 'ccc-emulator-2', UserId: 'agent-1@ccc-emulator-2' });
		expectCode(res, 404, 'NotExists.JobId');
		expect(res.json.Message).toBe('The call job-65382141036853491 does not exist.');
	});

	it('a job without the channel -> 404 NotExists.ChannelId', async () => {
		const res = await launch({ ...DOC_PARAMS, JobId: 'job-missing-channel' });
		expectCode(res, 404, 'NotExists.ChannelId');
		expect(res.json.Message).toBe('The specified channel ch:user:user-test@ccc-test:job-missing-channel does not exist in call job-missing-channel.');
		expect(emu.launchCount()).toBe(0);
	});

	it('unknown user -> 404 NotExists.UserId', async () => {
		const res = await launch({ ...DOC_PARAMS, UserId: 'nobody@ccc-test' });
		expectCode(res, 404, 'NotExists.UserId');
		expect(res.json.Message).toBe('The specified user nobody@ccc-test does not exist.');
	});
});

describe('ListInstances', () => {
	const list = (params: Record<string, string>, key = DEFAULT_ACCESS_KEYS[0]) =>
		callSigned(emu.endpoint, { action: 'ListInstances', params, key });

	it('returns the fixture instances with paging', async () => {
		const res = await list({ PageNumber: '1', PageSize: '10' });
		expect(res.status).toBe(200);
		expect(Object.keys(res.json)).toEqual(['RequestId', 'Code', 'HttpStatusCode', 'Message', 'Data']);
		expect(res.json.Code).toBe('OK');
		expect(res.json.HttpStatusCode).toBe(200);
		expect(res.json.Data).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 2 });
		expect(res.json.Data.List[0]).toMatchObject({ Id: 'ccc-test', Name: 'ccc-test', Status: 'RUNNING' });
		const page2 = await list({ PageNumber: '2', PageSize: '1' });
		expect(page2.json.Data.List.map((i: any) => i.Id)).toEqual(['ccc-emulator-2']);
		expect(emu.launchCount()).toBe(0);
		expect(emu.requests.every((r) => !r.launched && r.outcome === 'ok')).toBe(true);
	});

	it('validates paging', async () => {
		expectCode(await list({ PageSize: '10' }), 400, 'MissingPageNumber');
		expectCode(await list({ PageNumber: '1' }), 400, 'MissingPageSize');
		expectCode(await list({ PageNumber: '1', PageSize: '101' }), 400, 'Parameter.Maximum');
		expectCode(await list({ PageNumber: '0', PageSize: '10' }), 400, 'Parameter.Minimum');
		expectCode(await list({ PageNumber: 'one', PageSize: '10' }), 400, 'InvalidPageNumber');
	});

	it('a key without permissions gets 403 Forbidden.RAM', async () => {
		expectCode(await list({ PageNumber: '1', PageSize: '10' }, DEFAULT_ACCESS_KEYS[2]), 403, 'Forbidden.RAM');
	});
});

describe('fixtures and keys options', () => {
	it('takes fixtures as an object or a path, and custom access keys', async () => {
		const fixtures = {
			instances: [
				{
					Id: 'ccc-custom',
					Name: 'custom',
					users: [{ UserId: 'u@ccc-custom', UserState: 'READY', OutboundScenario: true, SignedSkillGroupIdList: [] }],
					jobs: [{ JobId: 'job-1', CallType: 'INBOUND', ChannelContexts: [{ Index: 1, AssociatedData: { a: 1 } }] }],
				},
			],
		};
		const key = { accessKeyId: 'LTAI5tCustom', accessKeySecret: 'custom-secret', permissions: ['LaunchAuthentication'] };
		const custom = await startEmulator({ fixtures, accessKeys: [key] });
		try {
			const res = await callSigned(custom.endpoint, {
				key,
				params: { InstanceId: 'ccc-custom', JobId: 'job-1', UserId: 'u@ccc-custom', DeviceId: 'd', ContactFlowId: 'c' },
			});
			expect(res.json.Code).toBe('OK');
			expect(res.json.Data.UserContext.OutboundScenario).toBe('true');
			expect(res.json.Data.UserContext.SignedSkillGroupIdList).toBe('[]');
			expect(res.json.Data.CallContext.ChannelContexts[0]).toMatchObject({ Index: '1', AssociatedData: '{"a":1}', Destination: '' });
			// Only LaunchAuthentication is allowed for that key; the default keys are gone.
			expectCode(await callSigned(custom.endpoint, { key, action: 'ListInstances', params: { PageNumber: '1', PageSize: '1' } }), 403, 'Forbidden.RAM');
			expectCode(await callSigned(custom.endpoint, { params: DOC_PARAMS }), 404, 'InvalidAccessKeyId.NotFound');
		} finally {
			await custom.close();
		}
		const fromPath = await startEmulator({ fixtures: path.join(__dirname, '../../emulator/fixtures.json') });
		try {
			expect((await callSigned(fromPath.endpoint, { params: DOC_PARAMS })).json.Code).toBe('OK');
		} finally {
			await fromPath.close();
		}
	});
});
