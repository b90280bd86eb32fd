import { crmItem, crmWorkflowWith, DOC, emulatorCredential, LAUNCH, run, useEmulator } from './harness';

/**
 * Version 2 of the node picks the instance, the contact flow and the agent with resource locators; version 1
 * workflows, saved with plain text in the same parameters, must run unchanged. Both are read the same way.
 */
const emu = useEmulator();

const rl = (mode: 'list' | 'id', value: string, cachedResultName?: string) => ({ __rl: true, mode, value, ...(cachedResultName ? { cachedResultName } : {}) });

describe('the pickers of version 2 and the text fields of version 1 send the same request', () => {
	const expected = { InstanceId: 'ccc-test', ContactFlowId: DOC.contactFlowId, JobId: DOC.jobId, UserId: DOC.userId, DeviceId: DOC.deviceId };

	const picked = {
		operation: 'launch',
		instanceId: rl('list', 'ccc-test', 'CCC test instance (ccc-test)'),
		contactFlowId: rl('id', DOC.contactFlowId),
		userId: rl('list', '={{ $json.agent }}'),
	};

	it.each([
		['version 1: plain strings and expressions', 1, {}],
		['version 2: values picked from the lists, typed by ID, or given by an expression', 2, picked],
		['version 2 with the strings a version 1 workflow held (the node upgraded in place)', 2, {}],
	])('%s', async (_name, typeVersion, parameters) => {
		const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId)], withNotify: false, typeVersion, parameters });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		expect(emu.requests[0].params).toEqual(expected);
	});

	it('version 2: an empty agent and device are not sent (Alibaba requires only instance, job and flow)', async () => {
		const wf = crmWorkflowWith({
			items: [crmItem(DOC.jobId)],
			withNotify: false,
			typeVersion: 2,
			parameters: { userId: rl('list', ''), deviceId: '' },
		});
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		expect(emu.requests[0].params).toEqual({ InstanceId: 'ccc-test', ContactFlowId: DOC.contactFlowId, JobId: DOC.jobId });
		expect(result.outputs(LAUNCH)[0].json.UserContext).toMatchObject({ UserId: DOC.userId });
	});

	it('version 2: an empty required pick names the field and the item before anything is sent', async () => {
		const wf = crmWorkflowWith({ items: [crmItem(DOC.jobId)], withNotify: false, typeVersion: 2, parameters: { contactFlowId: rl('id', '={{ $json.noSuchField }}') } });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('"Contact Flow ID" (parameter "contactFlowId") of item 0 is empty');
		expect(emu.requests).toHaveLength(0);
	});
});

describe('"Map Automatically" and two spellings of one field', () => {
	it('fails the item naming both keys when their values differ, and takes equal ones', async () => {
		const base = { InstanceId: 'ccc-test', ContactFlowId: DOC.contactFlowId, UserId: DOC.userId };
		const wf = crmWorkflowWith({
			items: [
				{ ...base, JobId: 'job-load-1', job_id: 'job-load-2' },
				{ ...base, JobId: 'job-load-3', jobId: 'job-load-3' },
			],
			parameters: { mappingMode: 'autoMapInputData' },
			onError: 'continueRegularOutput',
			withNotify: false,
		});
		const items = (await run(wf, emulatorCredential(emu))).outputs(LAUNCH);
		expect(items[0].json.error).toBe('Item 0 has "JobId" and "job_id" with different values; "Map Automatically" cannot tell which is the JobId');
		expect(items[1].json.ChannelId).toBeDefined();
		expect(emu.requests.map((r) => r.params.JobId)).toEqual(['job-load-3']);
	});
});
