/**
 * Requests signed by the real Alibaba SDK (@alicloud/openapi-client 0.4.15) with V3 are accepted by the
 * emulator, and its rejections reach the SDK with Alibaba's codes. The SDK's V1 requests (RPC HMAC-SHA1,
 * signatureAlgorithm 'v2') are refused: the emulator verifies only V3, the package's only signature.
 */
import OpenApi, * as $OpenApi from '@alicloud/openapi-client';
import * as $Util from '@alicloud/tea-util';
import OpenApiUtil from '@alicloud/openapi-util';
import { DEFAULT_ACCESS_KEYS } from '../../emulator/server';
import { DOC_PARAMS } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';

const [PERMANENT, STS, NOPERM] = DEFAULT_ACCESS_KEYS;


const emu = useEmulator();
afterEach(() => jest.restoreAllMocks());

interface ClientOptions {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
	signatureAlgorithm?: string;
}

function client(o: ClientOptions): OpenApi {
	return new OpenApi(
		new $OpenApi.Config({
			accessKeyId: o.accessKeyId,
			accessKeySecret: o.accessKeySecret,
			securityToken: o.securityToken,
			signatureAlgorithm: o.signatureAlgorithm,
			endpoint: `127.0.0.1:${emu.port}`,
			protocol: 'http',
		}),
	);
}

function params(action = 'LaunchAuthentication', method = 'POST'): $OpenApi.Params {
	return new $OpenApi.Params({
		action,
		version: '2020-07-01',
		protocol: 'HTTP',
		pathname: '/',
		method,
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType: 'json',
	});
}

async function call(
	o: ClientOptions,
	request: { query?: Record<string, string>; body?: Record<string, string> },
	action = 'LaunchAuthentication',
	method = 'POST',
): Promise<{ statusCode: number; body: any }> {
	return (await client(o).callApi(
		params(action, method),
		new $OpenApi.OpenApiRequest(request),
		new $Util.RuntimeOptions({}),
	)) as { statusCode: number; body: any };
}

async function callError(
	o: ClientOptions,
	request: { query?: Record<string, string>; body?: Record<string, string> },
	action = 'LaunchAuthentication',
): Promise<{ code: string; statusCode: number; message: string; data: any }> {
	try {
		await call(o, request, action);
	} catch (e: any) {
		return { code: e.code, statusCode: e.data?.statusCode, message: String(e.message), data: e.data };
	}
	throw new Error('the call was expected to fail');
}

describe('SDK-signed requests are accepted', () => {
	it('V3 (ACS3-HMAC-SHA256, the SDK default), parameters in the query', async () => {
		const res = await call(PERMANENT, { query: DOC_PARAMS });
		expect(res.statusCode).toBe(200);
		expect(res.body.Code).toBe('OK');
		expect(res.body.Data.CallContext.JobId).toBe(DOC_PARAMS.JobId);
		expect(emu.requests).toHaveLength(1);
		expect(emu.requests[0]).toMatchObject({ action: 'LaunchAuthentication', signatureVersion: 'v3', outcome: 'ok', status: 200, launched: true });
		expect(emu.requests[0].params).toEqual(DOC_PARAMS);
	});

	it('V3, parameters in a form body', async () => {
		const res = await call(PERMANENT, { body: DOC_PARAMS });
		expect(res.statusCode).toBe(200);
		expect(res.body.Code).toBe('OK');
		expect(emu.requests[0].params).toEqual(DOC_PARAMS);
	});

	it('V3 with an STS token', async () => {
		const res = await call(STS, { query: DOC_PARAMS });
		expect(res.body.Code).toBe('OK');
		expect(JSON.stringify(emu.requests)).not.toContain(STS.securityToken as string);
	});

	it('ListInstances', async () => {
		const res = await call(PERMANENT, { query: { PageNumber: '1', PageSize: '10' } }, 'ListInstances');
		expect(res.body.Code).toBe('OK');
		expect(res.body.Data.List.map((i: any) => i.Id)).toEqual(['ccc-test', 'ccc-emulator-2']);
		expect(emu.launchCount()).toBe(0);
	});
});

describe('SDK V1 requests (signatureAlgorithm v2 = RPC HMAC-SHA1) are refused: the emulator verifies only V3', () => {
	async function expectRefused(o: ClientOptions, request: { query?: Record<string, string>; body?: Record<string, string> }, action?: string) {
		const err = await callError({ ...o, signatureAlgorithm: 'v2' }, request, action);
		expect(err.code).toBe('Emulator.V3SignatureOnly');
		expect(err.statusCode).toBe(400);
		expect(err.data.Message).toContain('The CCC emulator verifies only V3 (ACS3-HMAC-SHA256) signatures, and this package sends only V3.');
	}

	it('correctly signed POST (query, form body), GET, STS and ListInstances: refused, nothing launched', async () => {
		await expectRefused(PERMANENT, { query: DOC_PARAMS });
		await expectRefused(PERMANENT, { body: DOC_PARAMS });
		await expectRefused(STS, { query: DOC_PARAMS });
		await expectRefused(PERMANENT, { query: { PageNumber: '1', PageSize: '10' } }, 'ListInstances');
		const get = await client({ ...PERMANENT, signatureAlgorithm: 'v2' })
			.callApi(params('LaunchAuthentication', 'GET'), new $OpenApi.OpenApiRequest({ query: DOC_PARAMS }), new $Util.RuntimeOptions({}))
			.then(() => null, (e: any) => e.code);
		expect(get).toBe('Emulator.V3SignatureOnly');
		expect(emu.launchCount()).toBe(0);
		expect(emu.requests.map((r) => [r.action, r.signatureVersion, r.outcome, r.launched])).toEqual([
			['LaunchAuthentication', 'v1', 'Emulator.V3SignatureOnly', false],
			['LaunchAuthentication', 'v1', 'Emulator.V3SignatureOnly', false],
			['LaunchAuthentication', 'v1', 'Emulator.V3SignatureOnly', false],
			['ListInstances', 'v1', 'Emulator.V3SignatureOnly', false],
			['LaunchAuthentication', 'v1', 'Emulator.V3SignatureOnly', false],
		]);
		// Business parameters only in the log: no AccessKeyId, Signature, SignatureNonce, SecurityToken.
		expect(emu.requests[0].params).toEqual(DOC_PARAMS);
		expect(emu.requests[1].params).toEqual(DOC_PARAMS);
		expect(JSON.stringify(emu.requests)).not.toContain(STS.securityToken as string);
	});

	it('a wrong secret or an unknown key gets the same refusal, not an Alibaba verdict', async () => {
		await expectRefused({ accessKeyId: PERMANENT.accessKeyId, accessKeySecret: 'not-the-secret' }, { query: DOC_PARAMS });
		await expectRefused({ accessKeyId: 'LTAI5tUnknownKey0000000', accessKeySecret: 'whatever' }, { query: DOC_PARAMS });
		expect(emu.launchCount()).toBe(0);
	});
});

describe('SDK-signed requests are rejected like Alibaba does', () => {
	it.each([
		['V3', undefined],
	])('%s: wrong secret -> 400 SignatureDoesNotMatch', async (_name, signatureAlgorithm) => {
		const err = await callError(
			{ accessKeyId: PERMANENT.accessKeyId, accessKeySecret: 'not-the-secret', signatureAlgorithm },
			{ query: DOC_PARAMS },
		);
		expect(err.code).toBe('SignatureDoesNotMatch');
		expect(err.statusCode).toBe(400);
		expect(err.message).toContain('Specified signature does not match our calculation.');
		expect(err.message).not.toContain(PERMANENT.accessKeySecret);
		expect(emu.launchCount()).toBe(0);
		expect(emu.requests[0]).toMatchObject({ outcome: 'SignatureDoesNotMatch', status: 400, launched: false });
	});

	it.each([
		['V3', undefined],
	])('%s: unknown AccessKeyId -> 404 InvalidAccessKeyId.NotFound', async (_name, signatureAlgorithm) => {
		const err = await callError(
			{ accessKeyId: 'LTAI5tUnknownKey0000000', accessKeySecret: 'whatever', signatureAlgorithm },
			{ query: DOC_PARAMS },
		);
		expect(err.code).toBe('InvalidAccessKeyId.NotFound');
		expect(err.statusCode).toBe(404);
		expect(err.data.Message).toBe('Specified access key is not found.');
	});

	it.each([
		['V3', undefined],
	])('%s: key without RAM permission -> 403 Forbidden.RAM', async (_name, signatureAlgorithm) => {
		const err = await callError({ ...NOPERM, signatureAlgorithm }, { query: DOC_PARAMS });
		expect(err.code).toBe('Forbidden.RAM');
		expect(err.statusCode).toBe(403);
		expect(err.data.Message).toBe("User not authorized to operate on the specified resource, or this API doesn't support RAM.");
		const list = await callError({ ...NOPERM, signatureAlgorithm }, { query: { PageNumber: '1', PageSize: '1' } }, 'ListInstances');
		expect(list.code).toBe('Forbidden.RAM');
		expect(emu.launchCount()).toBe(0);
	});

	it.each([
		['V3', undefined],
	])('%s: STS key without its token -> MissingSecurityToken, with another token -> MismatchWithAccessKey', async (_name, signatureAlgorithm) => {
		const missing = await callError(
			{ accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret, signatureAlgorithm },
			{ query: DOC_PARAMS },
		);
		expect(missing.code).toBe('MissingSecurityToken');
		expect(missing.statusCode).toBe(400);
		const wrong = await callError({ ...STS, securityToken: 'another-token', signatureAlgorithm }, { query: DOC_PARAMS });
		expect(wrong.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
		expect(wrong.statusCode).toBe(400);
		expect(emu.launchCount()).toBe(0);
	});

	it.each([
		['V3', undefined],
	])('%s: a reused nonce -> 400 SignatureNonceUsed (and no second launch)', async (_name, signatureAlgorithm) => {
		jest.spyOn($Util.default, 'getNonce').mockReturnValue('sdk-fixed-nonce-0001');
		const first = await call({ ...PERMANENT, signatureAlgorithm }, { query: DOC_PARAMS });
		expect(first.body.Code).toBe('OK');
		const err = await callError({ ...PERMANENT, signatureAlgorithm }, { query: DOC_PARAMS });
		expect(err.code).toBe('SignatureNonceUsed');
		expect(err.statusCode).toBe(400);
		expect(err.data.Message).toBe('Specified signature nonce was used already.');
		expect(emu.launchCount()).toBe(1);
	});

	it.each([
		['V3', undefined],
	])('%s: a timestamp 16 minutes old -> 400 InvalidTimeStamp.Expired', async (_name, signatureAlgorithm) => {
		const old = new Date(Date.now() - 16 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		jest.spyOn(OpenApiUtil, 'getTimestamp').mockReturnValue(old);
		const err = await callError({ ...PERMANENT, signatureAlgorithm }, { query: DOC_PARAMS });
		expect(err.code).toBe('InvalidTimeStamp.Expired');
		expect(err.statusCode).toBe(400);
		expect(err.data.Message).toBe('Specified time stamp or date value is expired.');
		expect(emu.launchCount()).toBe(0);
	});

	it('a token sent with a permanent key -> InvalidSecurityToken.Malformed', async () => {
		const err = await callError({ ...PERMANENT, securityToken: 'some-token' }, { query: DOC_PARAMS });
		expect(err.code).toBe('InvalidSecurityToken.Malformed');
	});

	it('business errors reach the SDK too (404 NotExists.JobId)', async () => {
		const err = await callError(PERMANENT, { query: { ...DOC_PARAMS, JobId: 'job-does-not-exist' } });
		expect(err.code).toBe('NotExists.JobId');
		expect(err.statusCode).toBe(404);
		expect(err.data.Message).toBe('The call job-does-not-exist does not exist.');
	});
});
