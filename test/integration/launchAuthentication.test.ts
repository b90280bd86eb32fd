import { crmItem, crmWorkflowWith, DEFAULT_ACCESS_KEYS, DOC, emulatorCredential, LAUNCH, run, useEmulator } from './harness';
import crmWorkflow from '../../tools/workflows/crm-event-to-notification.json';

const emu = useEmulator();

describe('LaunchAuthentication in n8n’s engine against the emulator', () => {
	it('runs the CRM example: 1, 3 and 0 channels become 1 + 3 + 1 items, linked to their input, then notifications', async () => {
		const result = await run(crmWorkflow, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		const items = result.outputs(LAUNCH);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 1 }, { item: 1 }, { item: 2 }]);
		const [documented] = items;
		expect(documented.json).toMatchObject({
			ChannelId: 'ch:user:139xxxx0501->80326034:1609138902226:job-65382141036853491',
			ChannelState: 'CREATED',
			Index: 10,
			Timestamp: 1609138903315,
			CallContext: { InstanceId: 'ccc-test', CallType: 'OUTBOUND', JobId: 'job-65382141036853491' },
			UserContext: {
				UserId: 'user-test@ccc-test',
				DeviceId: DOC.deviceId,
				OutboundScenario: false,
				SignedSkillGroupIdList: ['skg-test1@ccc-test', 'skg-test2@ccc-test'],
				Heartbeat: 1609136956378,
			},
		});
		expect(typeof documented.json.RequestId).toBe('string');
		expect(items.slice(1, 4).map((i) => i.json.Index)).toEqual([1, 2, 3]);
		expect(items[4].json).not.toHaveProperty('ChannelId');
		expect(items[4].json.CallContext).toMatchObject({ JobId: 'job-no-channels' });

		const notes = result.json('Notify');
		expect(notes).toHaveLength(5);
		expect(notes.map((n) => n.ticketId)).toEqual(['T-1001', 'T-1002', 'T-1002', 'T-1002', 'T-1003']);
		expect(notes[0].text).toContain('agent user-test@ccc-test (BREAK), call job-65382141036853491, channel ch:user:139xxxx0501');
		expect(emu.requests.map((r) => r.params.JobId)).toEqual(['job-65382141036853491', 'job-three-channels', 'job-no-channels']);
		expect(emu.requests.every((r) => r.outcome === 'ok')).toBe(true);
	});

	it('sends exactly the mapped parameters, trimmed, and ContactFlowVariables as compact JSON', async () => {
		const wf = crmWorkflowWith({
			items: [crmItem(`  ${DOC.jobId}  `)],
			options: { contactFlowVariables: '{ "orderId": "A-1001", "vip": true }' },
			withNotify: false,
		});
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		expect(emu.requests[0].params).toEqual({
			InstanceId: 'ccc-test',
			ContactFlowId: DOC.contactFlowId,
			JobId: DOC.jobId,
			UserId: DOC.userId,
			DeviceId: DOC.deviceId,
			ContactFlowVariables: '{"orderId":"A-1001","vip":true}',
		});
	});

	it('"One Item per Call" gives one item per input with the channels as a list', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('job-three-channels'), crmItem('job-no-channels')], options: { output: 'perCall' }, withNotify: false });
		const items = (await run(wf, emulatorCredential(emu))).outputs(LAUNCH);
		expect(items).toHaveLength(2);
		expect((items[0].json.CallContext as { ChannelContexts: unknown[] }).ChannelContexts).toHaveLength(3);
		expect((items[1].json.CallContext as { ChannelContexts: unknown[] }).ChannelContexts).toEqual([]);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('"Map Automatically" reads fields named like the API parameters, in any case', async () => {
		const wf = crmWorkflowWith({
			items: [
				{ instanceId: 'ccc-test', ContactFlowId: DOC.contactFlowId, jobid: DOC.jobId, user_id: DOC.userId, DEVICEID: DOC.deviceId },
			],
			parameters: { mappingMode: 'autoMapInputData' },
			withNotify: false,
		});
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		expect(emu.requests[0].params.JobId).toBe(DOC.jobId);
		expect(emu.requests[0].params.UserId).toBe(DOC.userId);
	});

	it('"Map Automatically" names the missing fields and the item', async () => {
		const wf = crmWorkflowWith({ items: [{ InstanceId: 'ccc-test', JobId: DOC.jobId }], parameters: { mappingMode: 'autoMapInputData' }, withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('Item 0 has no value for "ContactFlowId"'); // UserId and DeviceId are optional (Alibaba's current reference)
		expect(emu.requests).toHaveLength(0);
	});

	it.each([
		['blank', '   ', /"Job ID" \(parameter "jobId"\) of item 1 is empty/],
		['too long', 'j'.repeat(300), /of item 1 is 300 characters long/],
		['a control character', 'job-1\nrm', /of item 1 contains a control character/],
	])('rejects a Job ID that is %s before any request, naming the field and the item', async (_what, jobId, message) => {
		const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId), crmItem(jobId)], withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toMatch(message);
		expect(emu.requests).toHaveLength(0);
	});

	it('rejects ContactFlowVariables that are not a JSON object', async () => {
		const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId)], options: { contactFlowVariables: '[1,2]' }, withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('"Contact Flow Variables" of item 0 must be a JSON object');
		expect(emu.requests).toHaveLength(0);
	});

	describe('documented errors', () => {
		const cases = [
			['NotExists.InstanceId', crmItem(DOC.jobId, { instance: 'ccc-nope' }), /Instance ID/],
			['NotExists.JobId', crmItem('job-ended-long-ago'), /live/],
			['NotExists.ChannelId', crmItem('job-missing-channel'), /agent who is on the call/],
		] as const;

		it.each(cases)('%s stops the node with a NodeApiError naming the code, the item and a hint', async (code, item, hint) => {
			const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId), item], withNotify: false });
			const result = await run(wf, emulatorCredential(emu));
			const error = result.error as unknown as { name: string; message: string; description: string; httpCode: string; context: { itemIndex: number } };
			expect(error.name).toBe('NodeApiError');
			expect(error.message).toMatch(new RegExp(`^CCC error ${code.replace('.', '\\.')}: `));
			expect(error.description).toMatch(hint);
			expect(error.description).toMatch(/RequestId: [0-9A-F-]{36}/);
			expect(error.httpCode).toBe('404');
			expect(error.context.itemIndex).toBe(1);
		});

		it.each(cases)('%s with Continue On Fail: one linked error item, the other items go on', async (code, item) => {
			const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId), item, crmItem('job-three-channels')], onError: 'continueRegularOutput', withNotify: false });
			const result = await run(wf, emulatorCredential(emu));
			expect(result.error).toBeUndefined();
			const items = result.outputs(LAUNCH);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 2 }, { item: 2 }]);
			expect(items[1].json).toEqual({ error: expect.stringContaining(code), code, requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
		});

		it('with "On Error: Continue (using error output)" the failed item goes to the error output', async () => {
			const wf = crmWorkflowWith({ items: [crmItem('job-ended-long-ago'), crmItem(DOC.jobId)], onError: 'continueErrorOutput', withNotify: false });
			const result = await run(wf, emulatorCredential(emu));
			expect(result.outputs(LAUNCH, 0).map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
			const errors = result.outputs(LAUNCH, 1);
			expect(errors).toHaveLength(1);
			expect(errors[0].json.error).toMatch(/^CCC error NotExists\.JobId: /);
			expect(errors[0].pairedItem).toEqual({ item: 0 });
		});
	});

	describe('credentials', () => {
		it('accepts an STS key with its token', async () => {
			const sts = DEFAULT_ACCESS_KEYS.find((k) => k.securityToken)!;
			const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId)], withNotify: false });
			const result = await run(wf, emulatorCredential(emu, { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, securityToken: sts.securityToken }));
			expect(result.error).toBeUndefined();
		});

		it.each([
			['a wrong secret', { accessKeySecret: 'not-the-secret-0000' }, 'SignatureDoesNotMatch', /AccessKey Secret is wrong/],
			['an unknown AccessKey ID', { accessKeyId: 'LTAI5tUnknown' }, 'InvalidAccessKeyId.NotFound', /AccessKey ID does not exist/],
			['a key without RAM permission', { accessKeyId: 'LTAI5tNoPermission00001', accessKeySecret: 'emulator-secret-noperm-000000001' }, 'Forbidden.RAM', /ccc:LaunchAuthentication/],
		])('%s fails with the code and a hint', async (_what, overrides, code, hint) => {
			const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId)], withNotify: false });
			const result = await run(wf, emulatorCredential(emu, overrides));
			expect(result.error?.message).toContain(code);
			expect((result.error as unknown as { description: string }).description).toMatch(hint);
			expect(JSON.stringify(result.run)).not.toContain('not-the-secret-0000');
		});

		it('a malformed Custom Endpoint fails with an example of a valid one, for every item with Continue On Fail', async () => {
			const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId), crmItem(DOC.jobId)], onError: 'continueRegularOutput', withNotify: false });
			const result = await run(wf, emulatorCredential(emu, { endpoint: 'ftp://ccc.example' }));
			const items = result.outputs(LAUNCH);
			expect(items).toHaveLength(2);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(items[0].json.error).toMatch(/must use http:\/\/ or https:\/\/.*ccc\.cn-shanghai\.aliyuncs\.com/);
		});
	});

	describe('concurrency and rate', () => {
		it('keeps input order and pairing whatever order the answers arrive in', async () => {
			const jobs = Array.from({ length: 12 }, (_, i) => `job-load-${i}`);
			// Earlier items answer later: with concurrency 12, answers arrive in reverse order.
			emu.setFaults(jobs.map((jobId, i) => ({ type: 'latency', jobId, delayMs: (12 - i) * 15 })));
			const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options: { concurrency: 12 }, withNotify: false });
			const result = await run(wf, emulatorCredential(emu));
			const items = result.outputs(LAUNCH);
			expect(items.map((i) => (i.json.CallContext as { JobId: string }).JobId)).toEqual(jobs);
			expect(items.map((i) => i.pairedItem)).toEqual(jobs.map((_, item) => ({ item })));
			const arrival = [...emu.requests].sort((a, b) => a.at - b.at);
			expect(arrival).toHaveLength(12);
		});

		it('has at most Concurrency requests in flight, and uses them all', async () => {
			const jobs = Array.from({ length: 15 }, (_, i) => `job-load-${i}`);
			emu.setLatency(40);
			try {
				const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options: { concurrency: 3 }, withNotify: false });
				const result = await run(wf, emulatorCredential(emu));
				expect(result.outputs(LAUNCH)).toHaveLength(15);
				expect(emu.maxInFlight()).toBe(3);
				// Items start in input order.
				const arrival = [...emu.requests].sort((a, b) => a.at - b.at).map((r) => r.params.JobId);
				expect(arrival.slice(0, 3).sort()).toEqual(jobs.slice(0, 3).sort());
				expect(arrival.slice(12).sort()).toEqual(jobs.slice(12).sort());
			} finally {
				emu.setLatency(0);
			}
		});

		it('never exceeds Max Requests per Second in any 1-second window', async () => {
			const jobs = Array.from({ length: 25 }, (_, i) => `job-load-${i}`);
			const wf = crmWorkflowWith({ items: jobs.map((j) => crmItem(j)), options: { concurrency: 10, maxRequestsPerSecond: 10 }, withNotify: false });
			const started = Date.now();
			const result = await run(wf, emulatorCredential(emu));
			expect(result.outputs(LAUNCH)).toHaveLength(25);
			expect(emu.maxRequestsInWindow(1000)).toBeLessThanOrEqual(10);
			expect(Date.now() - started).toBeGreaterThanOrEqual(2000); // 25 requests at 10/s need > 2 s
		});
	});
});
