/**
 * Every authentication / gateway rejection of the emulator, with requests built by hand
 * (emulator/signature.js + node:http), and the shape of Alibaba's error body.
 */
import { DEFAULT_ACCESS_KEYS, startEmulator } from '../../emulator/server';
import { callSigned, rawRequest } from '../../emulator/client';
import { buildCanonicalRequestV3, isoSeconds, percentEncode, sha256Hex, signRequestV3, signatureV3, stringToSignV3 } from '../../emulator/signature';
import { DOC_PARAMS } from '../../tools/fixtures';
import { useEmulator } from '../helpers/emulator';

const [PERMANENT, STS] = DEFAULT_ACCESS_KEYS;
const PARAMS = DOC_PARAMS;
const MIN = 60 * 1000;

const emu = useEmulator();
let host: string;

beforeAll(() => {
	host = new URL(emu.endpoint).host;
});

function v3(overrides: Partial<Parameters<typeof signRequestV3>[0]> = {}) {
	return signRequestV3({
		host,
		action: 'LaunchAuthentication',
		version: '2020-07-01',
		accessKeyId: PERMANENT.accessKeyId,
		accessKeySecret: PERMANENT.accessKeySecret,
		query: PARAMS,
		...overrides,
	});
}

async function send(signed: { path: string; headers: Record<string, string>; body: string | Buffer }, method = 'POST') {
	return rawRequest(emu.endpoint, { method, path: signed.path, headers: signed.headers, body: signed.body });
}

function expectError(res: { status: number; json: any }, status: number, code: string) {
	expect({ status: res.status, code: res.json?.Code }).toEqual({ status, code });
}

describe('error body', () => {
	it("uses Alibaba's shape and headers", async () => {
		const res = await callSigned(emu.endpoint, { params: { ...PARAMS, InstanceId: 'ccc-nope' } });
		expect(res.status).toBe(404);
		expect(res.headers['content-type']).toBe('application/json;charset=utf-8');
		expect(Object.keys(res.json)).toEqual(['RequestId', 'HostId', 'Code', 'Message', 'Recommend']);
		expect(res.json.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
		expect(res.headers['x-acs-request-id']).toBe(res.json.RequestId);
		expect(res.json.HostId).toBe(host);
		expect(res.json.Code).toBe('NotExists.InstanceId');
		expect(res.json.Message).toBe('The specified instance ccc-nope does not exist.');
		expect(res.json.Recommend).toMatch(/^https:\/\/api\.aliyun\.com\/troubleshoot\?q=NotExists\.InstanceId&product=CCC/);
	});
});

describe('V3 rejections', () => {
	it('accepts a hand-signed request (query and form body)', async () => {
		expect((await send(v3())).json.Code).toBe('OK');
		const body = 'ContactFlowId=cf&DeviceId=dev&InstanceId=ccc-test&JobId=job-no-channels&UserId=user-test%40ccc-test';
		const res = await send(v3({ query: undefined, body, contentType: 'application/x-www-form-urlencoded' }));
		expect(res.json.Code).toBe('OK');
		expect(emu.requests[1].params.UserId).toBe('user-test@ccc-test');
	});

	it('no credentials at all -> 400 MissingAccessKeyId', async () => {
		const res = await rawRequest(emu.endpoint, { method: 'POST', path: '/?InstanceId=ccc-test' });
		expectError(res, 400, 'MissingAccessKeyId');
	});

	it('malformed Authorization -> 400 IncompleteSignature', async () => {
		const signed = v3();
		for (const authorization of ['Bearer abc', `ACS3-HMAC-SHA256 Credential=${PERMANENT.accessKeyId}`, `acs ${PERMANENT.accessKeyId}:abc=`]) {
			const res = await send({ ...signed, headers: { ...signed.headers, authorization } });
			expectError(res, 400, 'IncompleteSignature');
			expect(res.json.Message).toMatch(/^The request signature does not conform to Aliyun standards\./);
		}
	});

	it('another algorithm -> 400 InvalidSignatureMethod', async () => {
		const signed = v3();
		const res = await send({ ...signed, headers: { ...signed.headers, authorization: signed.authorization.replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3') } });
		expectError(res, 400, 'InvalidSignatureMethod');
	});

	it('unknown AccessKeyId -> 404 InvalidAccessKeyId.NotFound', async () => {
		const res = await send(v3({ accessKeyId: 'LTAI5tNobodyHasThisKey1' }));
		expectError(res, 404, 'InvalidAccessKeyId.NotFound');
		expect(res.json.Message).toBe('Specified access key is not found.');
	});

	it('wrong secret -> 400 SignatureDoesNotMatch with the server StringToSign and CanonicalRequest, never the secret', async () => {
		const signed = v3({ accessKeySecret: 'wrong-secret' });
		const res = await send(signed);
		expectError(res, 400, 'SignatureDoesNotMatch');
		expect(res.json.Message).toBe(
			`Specified signature does not match our calculation. server StringToSign is [${signed.stringToSign}] server CanonicalRequest is [${signed.canonicalRequest}]`,
		);
		expect(res.text).not.toContain(PERMANENT.accessKeySecret);
		expect(emu.launchCount()).toBe(0);
	});

	it('a parameter changed after signing -> SignatureDoesNotMatch', async () => {
		const signed = v3();
		const res = await send({ ...signed, path: signed.path.replace('job-65382141036853491', 'job-no-channels') });
		expectError(res, 400, 'SignatureDoesNotMatch');
	});

	it('a body changed after signing (x-acs-content-sha256 no longer matches) -> SignatureDoesNotMatch', async () => {
		const body = 'ContactFlowId=cf&DeviceId=dev&InstanceId=ccc-test&JobId=job-no-channels&UserId=u';
		const signed = v3({ query: undefined, body, contentType: 'application/x-www-form-urlencoded' });
		const res = await send({ ...signed, body: body.replace('job-no-channels', 'job-three-channels') });
		expectError(res, 400, 'SignatureDoesNotMatch');
		expect(res.json.Message).toContain('x-acs-content-sha256');
	});

	it('an x-acs-* header or content-type that is not signed -> IncompleteSignature', async () => {
		const signed = v3();
		let res = await send({ ...signed, headers: { ...signed.headers, 'x-acs-extra': '1' } });
		expectError(res, 400, 'IncompleteSignature');
		expect(res.json.Message).toContain('x-acs-extra');
		res = await send({ ...signed, headers: { ...signed.headers, 'content-type': 'application/json' } });
		expectError(res, 400, 'IncompleteSignature');
		expect(res.json.Message).toContain('content-type');
	});

	it('host not in SignedHeaders -> IncompleteSignature', async () => {
		const headers: Record<string, string> = {
			host,
			'x-acs-action': 'LaunchAuthentication',
			'x-acs-version': '2020-07-01',
			'x-acs-date': isoSeconds(),
			'x-acs-signature-nonce': 'nonce-without-host',
			'x-acs-content-sha256': sha256Hex(''),
		};
		const signedHeaders = Object.keys(headers).filter((h) => h !== 'host');
		const { canonicalRequest, signedHeaders: sh } = buildCanonicalRequestV3({
			method: 'POST',
			canonicalUri: '/',
			queryPairs: [],
			headers,
			signedHeaders,
			hashedPayload: sha256Hex(''),
		});
		const signature = signatureV3(PERMANENT.accessKeySecret, stringToSignV3(canonicalRequest));
		headers.authorization = `ACS3-HMAC-SHA256 Credential=${PERMANENT.accessKeyId},SignedHeaders=${sh},Signature=${signature}`;
		const res = await rawRequest(emu.endpoint, { method: 'POST', path: '/', headers });
		expectError(res, 400, 'IncompleteSignature');
		expect(res.json.Message).toContain('host');
	});

	it('missing x-acs-date / nonce / content-sha256 / action / version', async () => {
		const cases: Array<[string, string]> = [
			['x-acs-date', 'MissingTimestamp'],
			['x-acs-signature-nonce', 'MissingSignatureNonce'],
			['x-acs-content-sha256', 'IncompleteSignature'],
			['x-acs-action', 'MissingAction'],
			['x-acs-version', 'MissingVersion'],
		];
		for (const [header, code] of cases) {
			const signed = v3();
			const headers = { ...signed.headers };
			delete headers[header];
			expectError(await send({ ...signed, headers }), 400, code);
		}
	});

	it('x-acs-date more than 15 minutes off (past or future) -> InvalidTimeStamp.Expired; 14 minutes is fine', async () => {
		expectError(await send(v3({ date: Date.now() - 16 * MIN })), 400, 'InvalidTimeStamp.Expired');
		expectError(await send(v3({ date: Date.now() + 16 * MIN })), 400, 'InvalidTimeStamp.Expired');
		expect((await send(v3({ date: Date.now() - 14 * MIN }))).json.Code).toBe('OK');
		expect((await send(v3({ date: Date.now() + 14 * MIN }))).json.Code).toBe('OK');
	});

	it('x-acs-date not ISO 8601 UTC -> InvalidTimeStamp.Format', async () => {
		for (const date of ['2024-01-01 10:00:00', 'Mon, 01 Jan 2024 10:00:00 GMT', '2024-01-01T10:00:00+08:00']) {
			expectError(await send(v3({ date })), 400, 'InvalidTimeStamp.Format');
		}
	});

	it('a nonce reused within 15 minutes -> SignatureNonceUsed; a forged request does not burn the nonce', async () => {
		expectError(await send(v3({ nonce: 'nonce-1', accessKeySecret: 'forged' })), 400, 'SignatureDoesNotMatch');
		expect((await send(v3({ nonce: 'nonce-1' }))).json.Code).toBe('OK');
		const again = await send(v3({ nonce: 'nonce-1' }));
		expectError(again, 400, 'SignatureNonceUsed');
		expect(again.json.Message).toBe('Specified signature nonce was used already.');
		expect(emu.launchCount()).toBe(1);
		emu.reset();
		expect((await send(v3({ nonce: 'nonce-1' }))).json.Code).toBe('OK');
	});

	it('STS: token required, must match, must be signed', async () => {
		const sts = { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret };
		expect((await send(v3({ ...sts, securityToken: STS.securityToken }))).json.Code).toBe('OK');
		expectError(await send(v3(sts)), 400, 'MissingSecurityToken');
		expectError(await send(v3({ ...sts, securityToken: 'emulator-sts-token-9999' })), 400, 'InvalidSecurityToken.MismatchWithAccessKey');
		// Token added after signing: the x-acs-security-token header is not signed.
		const signed = v3(sts);
		const res = await send({ ...signed, headers: { ...signed.headers, 'x-acs-security-token': STS.securityToken as string } });
		expectError(res, 400, 'IncompleteSignature');
		// Like Alibaba, SignatureDoesNotMatch echoes the canonical request, the signed token header included;
		// the emulator's own log never holds the token.
		const bad = await send(v3({ ...sts, securityToken: STS.securityToken, accessKeySecret: 'wrong' }));
		expectError(bad, 400, 'SignatureDoesNotMatch');
		expect(bad.json.Message).toContain(`\nx-acs-security-token:${STS.securityToken}\n`);
		expect(JSON.stringify(emu.requests)).not.toContain(STS.securityToken as string);
	});

	it('a token with a permanent key -> InvalidSecurityToken.Malformed', async () => {
		expectError(await send(v3({ securityToken: 'x' })), 400, 'InvalidSecurityToken.Malformed');
	});

	it('wrong version -> 400 InvalidVersion; unknown action -> 404 InvalidAction.NotFound', async () => {
		expectError(await send(v3({ version: '2017-07-05' })), 400, 'InvalidVersion');
		const res = await send(v3({ action: 'LaunchSurvey' }));
		expectError(res, 404, 'InvalidAction.NotFound');
		expect(res.json.Message).toBe('Specified api is not found, please check your url and method.');
		expect(emu.requests.map((r) => r.outcome)).toEqual(['InvalidVersion', 'InvalidAction.NotFound']);
	});

	it('another path -> 404 InvalidAction.NotFound; PUT -> UnsupportedHTTPMethod', async () => {
		expectError(await send(v3({ pathname: '/api/v1/launch' })), 404, 'InvalidAction.NotFound');
		const signed = v3({ method: 'PUT' });
		expectError(await send(signed, 'PUT'), 400, 'UnsupportedHTTPMethod');
	});

	it('GET works as well as POST', async () => {
		expect((await send(v3({ method: 'GET' }), 'GET')).json.Code).toBe('OK');
	});
});

describe('V1 (RPC HMAC-SHA1) is refused: the emulator verifies only V3', () => {
	/** A request in V1's form: common parameters in the query, a Signature, no Authorization header. */
	function v1Query(overrides: Record<string, string> = {}): string {
		const params: Record<string, string> = {
			...PARAMS,
			Action: 'LaunchAuthentication',
			Version: '2020-07-01',
			Format: 'JSON',
			AccessKeyId: PERMANENT.accessKeyId,
			SignatureMethod: 'HMAC-SHA1',
			SignatureVersion: '1.0',
			SignatureNonce: 'v1-nonce-0001',
			Timestamp: isoSeconds(),
			Signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
			...overrides,
		};
		return Object.entries(params)
			.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
			.join('&');
	}

	function expectRefused(res: { status: number; json: any; text: string }) {
		expectError(res, 400, 'Emulator.V3SignatureOnly');
		expect(res.json.Message).toContain('The CCC emulator verifies only V3 (ACS3-HMAC-SHA256) signatures');
		expect(res.json.Message).toContain('this package sends only V3');
		expect(res.json.Message).toContain('RPC V1 (HMAC-SHA1)');
	}

	it('GET, POST with a query and POST with a form body: refused, never launched, whatever the key or signature', async () => {
		expectRefused(await rawRequest(emu.endpoint, { method: 'GET', path: `/?${v1Query()}` }));
		expectRefused(await rawRequest(emu.endpoint, { method: 'POST', path: `/?${v1Query({ SignatureNonce: 'v1-nonce-0002' })}` }));
		expectRefused(
			await rawRequest(emu.endpoint, {
				method: 'POST',
				path: '/',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: v1Query({ SignatureNonce: 'v1-nonce-0003' }),
			}),
		);
		// An unknown key, an STS token, no Signature at all: the same refusal, before any other check.
		expectRefused(await rawRequest(emu.endpoint, { method: 'GET', path: `/?${v1Query({ AccessKeyId: 'LTAI5tNobodyHasThisKey1' })}` }));
		expectRefused(await rawRequest(emu.endpoint, { method: 'GET', path: `/?${v1Query({ AccessKeyId: STS.accessKeyId, SecurityToken: STS.securityToken as string })}` }));
		expectRefused(await rawRequest(emu.endpoint, { method: 'GET', path: `/?${v1Query().replace(/&Signature=[^&]*/, '')}` }));
		expect(emu.launchCount()).toBe(0);
		expect(emu.requests.map((r) => [r.action, r.signatureVersion, r.outcome, r.status, r.launched])).toEqual(
			Array.from({ length: 6 }, () => ['LaunchAuthentication', 'v1', 'Emulator.V3SignatureOnly', 400, false]),
		);
		// The log keeps business parameters only, never the token or the signature.
		expect(emu.requests[4].params).toEqual(PARAMS);
		expect(JSON.stringify(emu.requests)).not.toContain(STS.securityToken as string);
	});

	it('faults never match a refused V1 request', async () => {
		emu.setFaults([{ type: 'echo', launched: true }]);
		expectRefused(await rawRequest(emu.endpoint, { method: 'GET', path: `/?${v1Query()}` }));
		expect(emu.launchCount()).toBe(0);
	});
});

describe('the request log', () => {
	it('keeps business parameters only', async () => {
		await callSigned(emu.endpoint, { key: STS, params: PARAMS });
		const logged = emu.requests[0];
		expect(logged.params).toEqual(PARAMS);
		expect(logged).toEqual({
			at: expect.any(Number),
			delayMs: 0,
			action: 'LaunchAuthentication',
			params: PARAMS,
			signatureVersion: 'v3',
			outcome: 'ok',
			status: 200,
			launched: true,
			remotePort: expect.any(Number),
		});
	});
});

describe('SignatureDoesNotMatch echoes the token, like Alibaba', () => {
	it('a token with reserved characters comes back as sent (V3)', async () => {
		const key = { accessKeyId: 'STS.EchoKey0001', accessKeySecret: 'echo-secret', securityToken: 'CAIS+a/b=c&d' };
		const own = await startEmulator({ accessKeys: [key] });
		try {
			const v3bad = signRequestV3({ host: new URL(own.endpoint).host, action: 'LaunchAuthentication', version: '2020-07-01', ...key, accessKeySecret: 'wrong', query: PARAMS });
			const res3 = await rawRequest(own.endpoint, { method: 'POST', path: v3bad.path, headers: v3bad.headers });
			expectError(res3, 400, 'SignatureDoesNotMatch');
			expect(res3.json.Message).toContain('\nx-acs-security-token:CAIS+a/b=c&d\n');
			expect(res3.json.Message).not.toContain(key.accessKeySecret);
			expect(own.requests.map((r) => r.outcome)).toEqual(['SignatureDoesNotMatch']);
		} finally {
			await own.close();
		}
	});
});
