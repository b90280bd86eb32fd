import { LoggerProxy, type IDataObject } from 'n8n-workflow';

import { crmItem, crmWorkflowWith, DOC, emulatorCredential, LAUNCH, run, startEmulator, type Emulator } from './harness';

/**
 * Drives every error path the node has (bad credentials, each fault, each documented error, bad input,
 * bad endpoint) with a distinctive secret and STS token, capturing everything the node outputs, throws and
 * logs, and asserts that neither the secret, nor the token, nor any signature appears anywhere.
 */
const SECRET = 'Zq9-SECRET-never-show-me-7Hk2';
const TOKEN = 'STS-TOKEN-never-show-me-4Lp8';
const KEY = { accessKeyId: 'STS.RedactionKey0001', accessKeySecret: SECRET, securityToken: TOKEN };
/** Secrets with characters that percent-encoding and JSON escape: `+`, `/`, `=`. */
const SECRET2 = 'Sec/ret+Two=Zq9-never-show';
const TOKEN2 = 'TOK+en/With=never-show-4Lp8';
const KEY2 = { accessKeyId: 'STS.RedactionKey0002', accessKeySecret: SECRET2, securityToken: TOKEN2 };

let emu: Emulator;
const captured: string[] = [];
const original = { stdout: process.stdout.write, stderr: process.stderr.write };

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessKeys: [KEY, KEY2] });
	const logger = { error: log, warn: log, info: log, debug: log, verbose: log };
	LoggerProxy.init(logger as never);
	process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => (captured.push(String(chunk)), (original.stdout as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest))) as typeof process.stdout.write;
	process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => (captured.push(String(chunk)), (original.stderr as (...a: unknown[]) => boolean).call(process.stderr, chunk, ...rest))) as typeof process.stderr.write;
});
afterAll(async () => {
	process.stdout.write = original.stdout;
	process.stderr.write = original.stderr;
	await emu.close();
});

function log(message: string, meta?: unknown) {
	captured.push(`${message} ${JSON.stringify(meta ?? {})}`);
}

const FAULTS = ['throttle', 'server-error', 'reset-before', 'reset-after', 'timeout', 'stall-before', 'malformed-json', 'html', 'ok-not-ok', 'no-data', 'echo', 'truncated-2xx', 'error-no-code', 'error-xml', 'redirect'];
/** Every form an endpoint could echo the secrets in (the redactor's own list is not used here: the test spells them out). */
const FORMS = [SECRET, TOKEN].flatMap((s) => [s, encodeURIComponent(s), encodeURIComponent(encodeURIComponent(s)), Buffer.from(s).toString('base64'), Buffer.from(`basic x:${s}`).toString('base64'), Buffer.from(`id=${s};`).toString('base64url')]);

it('no secret, token or signature in any output, error or log line, on every error path', async () => {
	const credential = emulatorCredential(emu, KEY);
	const scenarios: Array<{ credential: typeof credential; items: ReturnType<typeof crmItem>[]; options?: Record<string, unknown>; faults?: Parameters<Emulator['setFaults']>[0] }> = [
		...FAULTS.map((type) => ({ credential, items: [crmItem('job-load-1')], faults: [{ type, action: 'LaunchAuthentication' } as NonNullable<Parameters<Emulator['setFaults']>[0]>[number]], options: { retryOnServerErrors: true, maxRetries: 1 } })),
		// A success answer whose data echoes the secrets in every form: they must not reach the output items.
		{
			credential,
			items: [crmItem('job-load-1')],
			faults: [{ type: 'bad-data', action: 'LaunchAuthentication', data: { UserContext: { UserId: FORMS.join(' '), [FORMS[2]]: 1 }, CallContext: { JobId: FORMS.join('|') } } } as never],
		},
		{ credential, items: [crmItem('job-ended'), crmItem('job-missing-channel'), crmItem('job-load-1', { instance: 'ccc-nope' })] },
		{ credential, items: [crmItem('   ')] },
		{ credential: { ...credential, accessKeySecret: `${SECRET}-wrong` }, items: [crmItem('job-load-1')] },
		{ credential: { ...credential, securityToken: `${TOKEN}-wrong` }, items: [crmItem('job-load-1')] },
		{ credential: { ...credential, accessKeyId: 'LTAI-unknown' }, items: [crmItem('job-load-1')] },
		{ credential: { ...credential, endpoint: `http://127.0.0.1:1/?token=${TOKEN}` }, items: [crmItem('job-load-1')] },
		{ credential: { ...credential, endpoint: 'http://127.0.0.1:1' }, items: [crmItem('job-load-1')], options: { maxRetries: 0 } },
	];
	const seen: string[] = [];
	for (const s of scenarios) {
		emu.reset();
		emu.setFaults(s.faults ?? []);
		for (const onError of ['continueRegularOutput', 'continueErrorOutput', undefined] as const) {
			const wf = crmWorkflowWith({ items: s.items, options: { readTimeoutMs: 300, connectTimeoutMs: 100, ...(s.options ?? {}) }, onError, withNotify: false });
			const result = await run(wf, s.credential);
			seen.push(JSON.stringify(result.run));
			if (result.error) seen.push(String((result.error as Error).stack), JSON.stringify(result.error));
			if (onError) seen.push(JSON.stringify(result.outputs(LAUNCH, 0)), onError === 'continueErrorOutput' ? JSON.stringify(result.outputs(LAUNCH, 1)) : '');
		}
	}
	const everything = [...seen, ...captured].join('\n');
	expect(everything.length).toBeGreaterThan(10_000); // the scenarios really produced errors to inspect
	expect(everything).toMatch(/Throttling\.User|SignatureDoesNotMatch|InvalidSecurityToken|NotExists\.JobId/);
	for (const form of FORMS) expect(everything).not.toContain(form);
	expect(everything).not.toMatch(/Signature=(?!\[redacted\])/);
	expect(everything).not.toMatch(/ACS3-HMAC-SHA256 Credential/);
});

/** The forms of issue 19 items 8 and 9: lowercase percent-encoding (once, twice) and JSON escapes. */
function variants(secret: string): string[] {
	const lower = (text: string) => text.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
	return [
		lower(encodeURIComponent(secret)),
		lower(encodeURIComponent(encodeURIComponent(secret))),
		secret.replace(/\//g, '\\/'),
		secret.replace(/\+/g, '\\u002B').replace(/\//g, '\\u002f'),
		secret.replace(/\+/g, '\\u002b'),
	];
}

it('no secret or token in lowercase percent-encoding or JSON escapes: launch errors, error output, output fields, trace rows, Reason', async () => {
	const credential = emulatorCredential(emu, KEY2);
	const forms = [SECRET2, TOKEN2].flatMap(variants);
	type Fault = NonNullable<Parameters<Emulator['setFaults']>[0]>[number];
	const t = Date.now();
	const scenarios: Array<{ faults: Fault[]; options?: Record<string, unknown> }> = [
		// The excerpt of an error body without a CCC Code (one form at the start of each body: the excerpt is short).
		...forms.map((form) => ({ faults: [{ type: 'error-no-code', action: 'LaunchAuthentication', body: `{"message":"${form}"}` } as Fault] })),
		// Output fields of a launch.
		{ faults: [{ type: 'bad-data', action: 'LaunchAuthentication', data: { UserContext: { UserId: forms.join(' ') }, CallContext: { JobId: forms.join('|') } } } as Fault] },
		// Trace rows (Include Trace) and the Reason of an unreadable time.
		{
			faults: [
				{
					type: 'bad-data',
					action: 'ListIvrTrackingDetails',
					data: { TotalCount: 2, List: [{ FlowId: DOC.contactFlowId, NodeType: 'INCOMING_CALL', EnterTime: t, LeaveTime: t, NodeExitCode: 'Success', ChannelVariables: `echo=${forms.join(';x=')}`, NodeVariables: { echo: forms.join(' ') } }, { FlowId: DOC.contactFlowId, EnterTime: forms[3] }] },
				} as Fault,
			],
			options: { waitForResult: true, includeTrace: true, pollIntervalSeconds: 1, resultTimeoutSeconds: 1 },
		},
	];
	const seen: string[] = [];
	for (const s of scenarios) {
		emu.reset();
		emu.setFaults(s.faults);
		for (const onError of ['continueRegularOutput', 'continueErrorOutput', undefined] as const) {
			const wf = crmWorkflowWith({ items: [crmItem('job-load-1')], options: { ...(s.options ?? {}) } as IDataObject, onError, withNotify: false, typeVersion: 2 });
			const result = await run(wf, credential);
			seen.push(JSON.stringify(result.run));
			if (result.error) seen.push(String((result.error as Error).stack), JSON.stringify(result.error));
			if (onError) seen.push(JSON.stringify(result.outputs(LAUNCH, 0)), onError === 'continueErrorOutput' ? JSON.stringify(result.outputs(LAUNCH, 1)) : '');
		}
	}
	const everything = [...seen, ...captured].join('\n');
	expect(everything).toContain('[redacted]');
	expect(everything).toMatch(/denied|cannot be read as a time/);
	for (const form of [...forms, SECRET2, TOKEN2]) expect(everything).not.toContain(form);
	// JSON.stringify of the run doubles every backslash: look for those forms too.
	for (const form of forms) expect(everything).not.toContain(JSON.stringify(form).slice(1, -1));
});
