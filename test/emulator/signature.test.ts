/**
 * Published signature vectors from Alibaba Cloud's documentation, reproduced by emulator/signature.js
 * (client side) and accepted by the emulator (server side).
 *
 * V3 (ACS3-HMAC-SHA256): "Request syntax and signature method V3", section "Signature examples" >
 *   "Fixed parameter values":
 *   https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 *   (Chinese: https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature)
 *   AccessKeyId YourAccessKeyId, secret YourAccessKeySecret, nonce 3156853299f313e23d1673dc12e1703d,
 *   x-acs-date 2023-10-26T10:22:32Z, RunInstances 2014-05-26 on ecs.cn-shanghai.aliyuncs.com,
 *   ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd, RegionId=cn-shanghai, POST, empty body.
 *   Published: HashedCanonicalRequest 7ea06492..., Signature 06563a9e....
 *
 * V1 (RPC HMAC-SHA1) is not verified by the emulator (the package signs only V3): the published V1 example
 *   request ("Request signature" / "Signature mechanism" (RPC), section "Example",
 *   https://help.aliyun.com/en/document_detail/130769.html: DescribeRegions, AccessKeyId testid, Timestamp
 *   2016-02-23T12:46:24Z, Signature OLeaidS1JvxuMvnyHOwuJ+uX5qY=) is refused, not accepted.
 */
import {
	buildCanonicalRequestV3,
	canonicalQueryString,
	parseAuthorizationV3,
	percentEncode,
	sha256Hex,
	signRequestV3,
	signatureV3,
	stringToSignV3,
	EMPTY_SHA256,
} from '../../emulator/signature';
import { startEmulator } from '../../emulator/server';
import { rawRequest } from '../../emulator/client';

const V3_DOC = {
	accessKeyId: 'YourAccessKeyId',
	accessKeySecret: 'YourAccessKeySecret',
	nonce: '3156853299f313e23d1673dc12e1703d',
	date: '2023-10-26T10:22:32Z',
	action: 'RunInstances',
	version: '2014-05-26',
	host: 'ecs.cn-shanghai.aliyuncs.com',
	query: {
		ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd',
		RegionId: 'cn-shanghai',
	},
	canonicalRequest: [
		'POST',
		'/',
		'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
		'host:ecs.cn-shanghai.aliyuncs.com',
		'x-acs-action:RunInstances',
		'x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		'x-acs-date:2023-10-26T10:22:32Z',
		'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
		'x-acs-version:2014-05-26',
		'',
		'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
		'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	].join('\n'),
	stringToSign: 'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
	signature: '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
	authorization:
		'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
};

/** The published V1 example request: its parameters and its published Signature. */
const V1_DOC = {
	params: {
		Timestamp: '2016-02-23T12:46:24Z',
		Format: 'XML',
		AccessKeyId: 'testid',
		Action: 'DescribeRegions',
		SignatureMethod: 'HMAC-SHA1',
		SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
		Version: '2014-05-26',
		SignatureVersion: '1.0',
	} as Record<string, string>,
	signature: 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=',
};

describe('percentEncode (RFC 3986 as Alibaba specifies)', () => {
	it.each([
		['abcXYZ019-_.~', 'abcXYZ019-_.~'],
		['a b', 'a%20b'],
		['a*b', 'a%2Ab'],
		['/', '%2F'],
		['2016-02-23T12:46:24Z', '2016-02-23T12%3A46%3A24Z'],
		["!'()", '%21%27%28%29'],
		['user-test@ccc-test', 'user-test%40ccc-test'],
		['中', '%E4%B8%AD'],
		['{"a":1}', '%7B%22a%22%3A1%7D'],
	])('%s -> %s', (input, expected) => {
		expect(percentEncode(input)).toBe(expected);
	});

	it('sorts canonical query parameters by name', () => {
		expect(canonicalQueryString([['b', '2'], ['a', 'x y'], ['C', '3']])).toBe('C=3&a=x%20y&b=2');
	});

	it('hashes the empty body to the documented constant', () => {
		expect(sha256Hex('')).toBe(EMPTY_SHA256);
		expect(EMPTY_SHA256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});
});

describe('V3 ACS3-HMAC-SHA256: published vector', () => {
	it('builds the documented canonical request, string to sign and signature step by step', () => {
		const { canonicalRequest, signedHeaders } = buildCanonicalRequestV3({
			method: 'POST',
			canonicalUri: '/',
			queryPairs: Object.entries(V3_DOC.query),
			headers: {
				host: V3_DOC.host,
				'x-acs-action': V3_DOC.action,
				'x-acs-content-sha256': EMPTY_SHA256,
				'x-acs-date': V3_DOC.date,
				'x-acs-signature-nonce': V3_DOC.nonce,
				'x-acs-version': V3_DOC.version,
			},
			signedHeaders: ['x-acs-version', 'host', 'x-acs-date', 'x-acs-action', 'x-acs-signature-nonce', 'x-acs-content-sha256'],
			hashedPayload: EMPTY_SHA256,
		});
		expect(canonicalRequest).toBe(V3_DOC.canonicalRequest);
		expect(signedHeaders).toBe('host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version');
		const sts = stringToSignV3(canonicalRequest);
		expect(sts).toBe(V3_DOC.stringToSign);
		expect(signatureV3(V3_DOC.accessKeySecret, sts)).toBe(V3_DOC.signature);
	});

	it('signRequestV3 reproduces the documented Authorization header exactly', () => {
		const signed = signRequestV3({
			host: V3_DOC.host,
			action: V3_DOC.action,
			version: V3_DOC.version,
			accessKeyId: V3_DOC.accessKeyId,
			accessKeySecret: V3_DOC.accessKeySecret,
			method: 'POST',
			query: V3_DOC.query,
			date: V3_DOC.date,
			nonce: V3_DOC.nonce,
		});
		expect(signed.canonicalRequest).toBe(V3_DOC.canonicalRequest);
		expect(signed.stringToSign).toBe(V3_DOC.stringToSign);
		expect(signed.authorization).toBe(V3_DOC.authorization);
		expect(parseAuthorizationV3(signed.authorization)).toEqual({
			algorithm: 'ACS3-HMAC-SHA256',
			credential: 'YourAccessKeyId',
			signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
			signature: V3_DOC.signature,
		});
	});

	it('rejects malformed Authorization headers', () => {
		expect(parseAuthorizationV3(undefined)).toBeNull();
		expect(parseAuthorizationV3('acs testid:abc=')).toBeNull();
		expect(parseAuthorizationV3('ACS3-HMAC-SHA256 Credential=a,Signature=b')).toBeNull();
	});
});

describe('the emulator and the published vectors (server side)', () => {
	it('V3: the documented request passes signature checks (then fails on the ECS version, as it should)', async () => {
		const emu = await startEmulator({
			accessKeys: [{ accessKeyId: V3_DOC.accessKeyId, accessKeySecret: V3_DOC.accessKeySecret }],
			now: () => Date.parse(V3_DOC.date) + 60_000,
		});
		try {
			const headers = {
				host: V3_DOC.host,
				authorization: V3_DOC.authorization,
				'x-acs-action': V3_DOC.action,
				'x-acs-version': V3_DOC.version,
				'x-acs-date': V3_DOC.date,
				'x-acs-signature-nonce': V3_DOC.nonce,
				'x-acs-content-sha256': EMPTY_SHA256,
			};
			const path = '/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai';
			const ok = await rawRequest(emu.endpoint, { method: 'POST', path, headers });
			expect(ok.json.Code).toBe('InvalidVersion');
			expect(ok.status).toBe(400);

			// One character of the signature changed: now the signature check must fail, and the server's
			// string to sign is the documented one.
			emu.reset();
			const bad = await rawRequest(emu.endpoint, {
				method: 'POST',
				path,
				headers: { ...headers, authorization: V3_DOC.authorization.replace(/0$/, '1') },
			});
			expect(bad.status).toBe(400);
			expect(bad.json.Code).toBe('SignatureDoesNotMatch');
			expect(bad.json.Message).toContain(`server StringToSign is [${V3_DOC.stringToSign}]`);
			expect(bad.text).not.toContain(V3_DOC.accessKeySecret);
		} finally {
			await emu.close();
		}
	});

	it('V1: the documented request is refused, not verified (the emulator checks only V3)', async () => {
		const emu = await startEmulator({
			accessKeys: [{ accessKeyId: 'testid', accessKeySecret: 'testsecret' }],
			now: () => Date.parse('2016-02-23T12:46:24Z'),
		});
		try {
			const qs = Object.entries({ ...V1_DOC.params, Signature: V1_DOC.signature })
				.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
				.join('&');
			const res = await rawRequest(emu.endpoint, { method: 'GET', path: `/?${qs}` });
			expect(res.status).toBe(400);
			expect(res.json.Code).toBe('Emulator.V3SignatureOnly');
			expect(res.json.Message).toContain('verifies only V3 (ACS3-HMAC-SHA256) signatures, and this package sends only V3');
			expect(emu.requests.map((r) => [r.action, r.signatureVersion, r.outcome])).toEqual([['DescribeRegions', 'v1', 'Emulator.V3SignatureOnly']]);
		} finally {
			await emu.close();
		}
	});
});
