import { LoggerProxy } from 'n8n-workflow';

import { crmItem, crmWorkflowWith, emulatorCredential, LAUNCH, run, startEmulator, type Emulator } from './harness';

/**
 * Drives every error path the node has (bad credentials, each fault, each documented error, bad input,
 * bad endpoint) with a distinctive secret and STS token, capturing everything the node outputs, throws and
 * logs, and asserts that neither the secret, nor the token, nor any signature appears anywhere.
 */
const SECRET = 'Zq9-SECRET-never-show-me-7Hk2';
const TOKEN = 'STS-TOKEN-never-show-me-4Lp8';
const KEY = { accessKeyId: 'STS.RedactionKey0001', accessKeySecret: SECRET, securityToken: TOKEN };

let emu: Emulator;
const captured: string[] = [];
const original = { stdout: process.stdout.write, stderr: process.stderr.write };

beforeAll(async () => {
	emu = await startEmulator({ port: 0, accessKeys: [KEY] });
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
