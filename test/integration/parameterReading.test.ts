import { crmItem, crmWorkflowWith, DOC, emulatorCredential, LAUNCH, run, useEmulator } from './harness';

/**
 * Invisible characters in an ID, and parameters saved without an expression (read once for every item):
 * a bad value stops the node before any request, naming the field and the item.
 */
const emu = useEmulator();

const INVISIBLE: Array<[string, string]> = [
	['U+200B', '\u200B'],
	['U+200C', '\u200C'],
	['U+200D', '\u200D'],
	['U+200E', '\u200E'],
	['U+200F', '\u200F'],
	['U+202A', '\u202A'],
	['U+202B', '\u202B'],
	['U+202C', '\u202C'],
	['U+202D', '\u202D'],
	['U+202E', '\u202E'],
	['U+2066', '\u2066'],
	['U+2067', '\u2067'],
	['U+2068', '\u2068'],
	['U+2069', '\u2069'],
	['U+FEFF', '\uFEFF'],
];

describe('zero-width and bidi characters in an ID are refused before any request', () => {
	it.each(INVISIBLE)('%s inside a Job ID', async (code, character) => {
		const wf = crmWorkflowWith({ items: [crmItem('job-load-0'), crmItem(`job-${character}load-1`)], withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe(`"Job ID" (parameter "jobId") of item 1 contains an invisible character (${code}, a zero-width, bidi or byte-order mark)`);
		expect(emu.requests).toHaveLength(0);
	});

	it('a byte-order mark at the start of a Job ID is refused, not trimmed away', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('\uFEFFjob-load-0')], withNotify: false });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('"Job ID" (parameter "jobId") of item 0 contains an invisible character (U+FEFF, a zero-width, bidi or byte-order mark)');
		expect(emu.requests).toHaveLength(0);
	});

	it('in an input field read by "Map Automatically"', async () => {
		const item = { InstanceId: 'ccc-\u202Etest', ContactFlowId: DOC.contactFlowId, JobId: 'job-load-0' };
		const wf = crmWorkflowWith({ items: [item], withNotify: false, typeVersion: 2, parameters: { mappingMode: 'autoMapInputData' } });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('"Instance ID" (input field "InstanceId") of item 0 contains an invisible character (U+202E, a zero-width, bidi or byte-order mark)');
		expect(emu.requests).toHaveLength(0);
	});

	it('in the contact flow of Get Result', async () => {
		const wf = crmWorkflowWith({
			items: [crmItem('job-auth-pass')],
			typeVersion: 2,
			withNotify: false,
			parameters: { operation: 'getResult', contactFlowId: `${DOC.contactFlowId}\u200D` },
		});
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error?.message).toBe('"Contact Flow ID" (parameter "contactFlowId") of item 0 contains an invisible character (U+200D, a zero-width, bidi or byte-order mark)');
		expect(emu.requests).toHaveLength(0);
	});
});

describe('a parameter saved without an expression', () => {
	it('is the same for every item; when it is bad, every item gets its own error under Continue On Fail', async () => {
		const items = [crmItem('job-load-0'), crmItem('job-load-1'), crmItem('job-load-2')];
		const wf = crmWorkflowWith({ items, withNotify: false, onError: 'continueRegularOutput', parameters: { contactFlowId: 'flow\tid' } });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.outputs(LAUNCH).map((i) => i.json.error)).toEqual(
			[0, 1, 2].map((i) => `"Contact Flow ID" (parameter "contactFlowId") of item ${i} contains a control character (such as a line break or tab)`),
		);
		expect(emu.requests).toHaveLength(0);
	});

	it('and an expression beside it: each item sends its own Job ID with the one fixed flow', async () => {
		const items = [crmItem('job-load-0'), crmItem('job-load-1'), crmItem('job-load-2')];
		const wf = crmWorkflowWith({ items, withNotify: false, typeVersion: 2, parameters: { contactFlowId: { __rl: true, mode: 'id', value: DOC.contactFlowId } } });
		const result = await run(wf, emulatorCredential(emu));
		expect(result.error).toBeUndefined();
		expect(emu.requests.map((r) => [r.params.JobId, r.params.ContactFlowId])).toEqual([0, 1, 2].map((i) => [`job-load-${i}`, DOC.contactFlowId]));
	});
});
