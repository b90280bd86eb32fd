import type { ICredentialTestFunctions } from 'n8n-workflow';

import { AlibabaCloudCccApi } from '../../credentials/AlibabaCloudCccApi.credentials';
import { alibabaCloudCccApiTest } from '../../nodes/LaunchAuthentication/methods/credentialCheck';
import { n8nRequestHelpers } from '../../tools/engine/n8nRequestHelpers';
import { DEFAULT_ACCESS_KEYS, emulatorCredential, startEmulator, useEmulator } from './harness';

const emu = useEmulator();

function test(data: Record<string, unknown>) {
	return alibabaCloudCccApiTest.call({ helpers: n8nRequestHelpers() } as unknown as ICredentialTestFunctions, { id: '1', name: 'c', type: 'alibabaCloudCccApi', data: data as never });
}

describe('credential test (signed read-only ListInstances)', () => {
	it('passes with a valid key, and with an STS key and its token', async () => {
		expect(await test(emulatorCredential(emu))).toEqual({ status: 'OK', message: expect.stringContaining('Connection successful') });
		const sts = DEFAULT_ACCESS_KEYS.find((k) => k.securityToken)!;
		const stsFields = { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, securityToken: sts.securityToken };
		expect((await test(emulatorCredential(emu, stsFields))).status).toBe('OK');
		expect(emu.requests.at(-1)?.action).toBe('ListInstances');
	});

	it.each([
		['a wrong AccessKey ID', { accessKeyId: 'LTAI5tTypo' }, /^Wrong AccessKey ID \(InvalidAccessKeyId\.NotFound\)/],
		['a wrong secret', { accessKeySecret: 'wrong-secret-value' }, /^Wrong AccessKey Secret \(SignatureDoesNotMatch\)/],
		['a key without RAM permission', { accessKeyId: 'LTAI5tNoPermission00001', accessKeySecret: 'emulator-secret-noperm-000000001' }, /^Missing RAM permission \(Forbidden\.RAM\).*ccc:LaunchAuthentication/],
		['a wrong STS token', { accessKeyId: 'STS.EmulatorStsKey00001', accessKeySecret: 'emulator-sts-secret-00000000001', securityToken: 'nope-token' }, /^Wrong or expired Security Token/],
		['a malformed endpoint', { endpoint: 'ccc.aliyuncs.com/path?x' }, /valid|host name/],
		['a missing secret', { accessKeySecret: '' }, /AccessKey Secret/],
	])('tells apart %s', async (_what, overrides, message) => {
		const result = await test(emulatorCredential(emu, overrides));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('wrong-secret-value');
	});
});

it('tells apart an unreachable endpoint', async () => {
	const closed = await startEmulator({ port: 0 });
	await closed.close();
	const result = await test(emulatorCredential(emu, { endpoint: closed.endpoint }));
	expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/^Endpoint unreachable: no answer from http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/) });
});

it('a wrong secret with an STS token: Alibaba’s answer echoes the signed request, the message holds no trace of the token', async () => {
	const sts = DEFAULT_ACCESS_KEYS.find((k) => k.securityToken)!;
	const token = sts.securityToken!;
	const result = await test(emulatorCredential(emu, { accessKeyId: sts.accessKeyId, accessKeySecret: 'wrong-secret-value', securityToken: token }));
	expect(result.message).toMatch(/^Wrong AccessKey Secret \(SignatureDoesNotMatch\)/);
	expect(emu.requests.at(-1)?.outcome).toBe('SignatureDoesNotMatch');
	const forms = [token, encodeURIComponent(token), encodeURIComponent(encodeURIComponent(token)), Buffer.from(token).toString('base64')];
	for (const form of forms) expect(result.message).not.toContain(form);
	expect(result.message).toContain('[redacted]');
});

describe('the credential signs any CCC request (HTTP Request node, Predefined Credential Type)', () => {
	const credentialType = new AlibabaCloudCccApi();
	const authenticate = credentialType.authenticate as unknown as (c: Record<string, unknown>, r: Record<string, unknown>) => Promise<Record<string, unknown>>;

	async function send(options: Record<string, unknown>) {
		const qs = new URLSearchParams(options.qs as Record<string, string>).toString();
		const response = await fetch(`${options.url}?${qs}`, { method: (options.method as string) ?? 'GET', headers: options.headers as Record<string, string> });
		return { status: response.status, body: (await response.json()) as Record<string, unknown> };
	}

	it('LaunchAuthentication through the credential alone is accepted by the signature-checking emulator', async () => {
		const signed = await authenticate(emulatorCredential(emu), {
			url: `${emu.endpoint}/`,
			method: 'POST',
			qs: { Action: 'LaunchAuthentication', InstanceId: 'ccc-test', JobId: 'job-65382141036853491', UserId: 'user-test@ccc-test', DeviceId: 'dev-1', ContactFlowId: 'flow-1' },
		});
		const { status, body } = await send(signed);
		expect(status).toBe(200);
		expect(body.Code).toBe('OK');
		expect(emu.requests.at(-1)).toMatchObject({ action: 'LaunchAuthentication', signatureVersion: 'v3', outcome: 'ok' });
	});

	it('a relative URL goes to the credential’s endpoint; body parameters are signed into the query', async () => {
		const signed = await authenticate(emulatorCredential(emu), { url: '/', method: 'GET', body: { Action: 'ListInstances', PageNumber: 1, PageSize: 5 } });
		expect(signed.body).toBeUndefined();
		const { status, body } = await send(signed);
		expect(status).toBe(200);
		expect(body.Code).toBe('OK');
	});

	it('reads the action from the URL, including the legacy `uri` option the HTTP Request node passes', async () => {
		const signed = await authenticate(emulatorCredential(emu), { uri: `${emu.endpoint}/?Action=ListInstances&PageNumber=1&PageSize=2`, method: 'GET', qs: {} });
		expect(signed.uri).toBe(`${emu.endpoint}/`);
		expect((signed.headers as Record<string, string>)['x-acs-action']).toBe('ListInstances');
		const { status, body } = await send({ ...signed, url: signed.uri });
		expect(status).toBe(200);
		expect(body.Code).toBe('OK');
	});

	it('refuses a request without Action, or to another path, saying what to do', async () => {
		await expect(authenticate(emulatorCredential(emu), { url: '/', qs: {} })).rejects.toThrow(/Action=ListInstances/);
		await expect(authenticate(emulatorCredential(emu), { url: '/v1/x', qs: { Action: 'ListInstances' } })).rejects.toThrow(/path "\/"/);
	});
});
