'use strict';

/**
 * Alibaba Cloud OpenAPI request signatures, written from Alibaba's own documentation
 * (not from the @alicloud/* SDK code):
 *
 * - V3, `ACS3-HMAC-SHA256`: "Request syntax and signature method V3"
 *   https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 *   (Chinese: https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature)
 *
 *     CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 *                        SignedHeaders \n HashedRequestPayload
 *     StringToSign     = 'ACS3-HMAC-SHA256' \n hex(sha256(CanonicalRequest))
 *     Signature        = hex(hmac-sha256(AccessKeySecret, StringToSign))
 *     Authorization    = 'ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<a;b;c>,Signature=<hex>'
 *
 * - V1 (RPC, `HMAC-SHA1`, SignatureVersion=1.0): "Request signature" / "Signature mechanism" pages
 *   of the RPC-style products (e.g. https://help.aliyun.com/en/document_detail/130769.html,
 *   https://www.alibabacloud.com/help/doc-detail/69009.html)
 *
 *     CanonicalizedQueryString = sorted percentEncode(k)=percentEncode(v) joined by '&' (all params but Signature)
 *     StringToSign = Method & percentEncode('/') & percentEncode(CanonicalizedQueryString)
 *     Signature    = base64(hmac-sha1(AccessKeySecret + '&', StringToSign))
 *
 * percentEncode is RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are, everything else is
 * UTF-8 percent-encoded with upper-case hex (space -> %20, * -> %2A, ~ unchanged).
 *
 * The module also has small client-side helpers (signRequestV3 / signRequestV1) used by the
 * emulator's tests and benchmarks to build signed requests with chosen dates and nonces.
 */

const crypto = require('node:crypto');

const ALGORITHM_V3 = 'ACS3-HMAC-SHA256';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * RFC 3986 percent-encoding as Alibaba specifies it.
 * @param {string | number | boolean} value
 * @returns {string}
 */
function percentEncode(value) {
	return encodeURIComponent(String(value)).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

/**
 * @param {string | Buffer} data
 * @returns {string} lower-case hex sha256
 */
function sha256Hex(data) {
	return crypto.createHash('sha256').update(data).digest('hex');
}

/**
 * @param {string} secret
 * @param {string} data
 * @returns {string} lower-case hex hmac-sha256
 */
function hmacSha256Hex(secret, data) {
	return crypto.createHmac('sha256', secret).update(data, 'utf8').digest('hex');
}

/**
 * @param {string} key
 * @param {string} data
 * @returns {string} base64 hmac-sha1
 */
function hmacSha1Base64(key, data) {
	return crypto.createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

/**
 * Constant-time string comparison (false when lengths differ).
 * @param {string} a
 * @param {string} b
 * @returns {boolean}
 */
function safeEqual(a, b) {
	const ab = Buffer.from(String(a), 'utf8');
	const bb = Buffer.from(String(b), 'utf8');
	if (ab.length !== bb.length) return false;
	return crypto.timingSafeEqual(ab, bb);
}

/**
 * Sort [name, value] pairs by name (code-unit order; stable for repeated names) and
 * percent-encode both: the canonical query string of V3 and the canonicalized query string of V1.
 * @param {Array<[string, string]>} pairs
 * @returns {string}
 */
function canonicalQueryString(pairs) {
	const sorted = pairs.slice().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return sorted.map(([k, v]) => percentEncode(k) + '=' + percentEncode(v == null ? '' : v)).join('&');
}

/**
 * @param {Record<string, unknown> | Array<[string, string]> | undefined} params
 * @returns {Array<[string, string]>}
 */
function toPairs(params) {
	if (!params) return [];
	if (Array.isArray(params)) return params.map(([k, v]) => [String(k), v == null ? '' : String(v)]);
	/** @type {Array<[string, string]>} */
	const pairs = [];
	for (const [k, v] of Object.entries(params)) {
		if (v === undefined) continue;
		pairs.push([k, v === null ? '' : String(v)]);
	}
	return pairs;
}

/**
 * Build the V3 canonical request.
 * @param {object} p
 * @param {string} p.method HTTP method (upper-cased here)
 * @param {string} [p.canonicalUri] '/' for RPC-style APIs
 * @param {Array<[string, string]>} p.queryPairs decoded query parameters
 * @param {Record<string, string>} p.headers header values keyed by lower-case name
 * @param {string[]} p.signedHeaders lower-case names to sign (sorted here)
 * @param {string} p.hashedPayload hex sha256 of the body
 * @returns {{ canonicalRequest: string, signedHeaders: string }}
 */
function buildCanonicalRequestV3(p) {
	const names = p.signedHeaders.map((h) => h.toLowerCase()).sort();
	let canonicalHeaders = '';
	for (const name of names) {
		const value = p.headers[name];
		canonicalHeaders += name + ':' + String(value == null ? '' : value).trim() + '\n';
	}
	const signedHeaders = names.join(';');
	const canonicalRequest = [
		String(p.method).toUpperCase(),
		p.canonicalUri || '/',
		canonicalQueryString(p.queryPairs),
		canonicalHeaders,
		signedHeaders,
		p.hashedPayload,
	].join('\n');
	return { canonicalRequest, signedHeaders };
}

/**
 * @param {string} canonicalRequest
 * @returns {string}
 */
function stringToSignV3(canonicalRequest) {
	return ALGORITHM_V3 + '\n' + sha256Hex(canonicalRequest);
}

/**
 * @param {string} accessKeySecret
 * @param {string} stringToSign
 * @returns {string}
 */
function signatureV3(accessKeySecret, stringToSign) {
	return hmacSha256Hex(accessKeySecret, stringToSign);
}

/**
 * Parse `ACS3-HMAC-SHA256 Credential=AKID,SignedHeaders=a;b,Signature=hex`.
 * @param {string | undefined} header
 * @returns {{ algorithm: string, credential: string, signedHeaders: string[], signature: string } | null}
 *   null when the header is not of that form
 */
function parseAuthorizationV3(header) {
	if (typeof header !== 'string') return null;
	const m = /^\s*(ACS3-[A-Z0-9-]+)\s+(.+?)\s*$/.exec(header);
	if (!m) return null;
	/** @type {Record<string, string>} */
	const fields = {};
	for (const part of m[2].split(',')) {
		const eq = part.indexOf('=');
		if (eq <= 0) return null;
		fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
	}
	if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) return null;
	return {
		algorithm: m[1],
		credential: fields.Credential,
		signedHeaders: fields.SignedHeaders.split(';').map((s) => s.trim().toLowerCase()).filter(Boolean),
		signature: fields.Signature,
	};
}

/**
 * V1 string to sign. `params` must not contain Signature.
 * @param {string} method
 * @param {Record<string, unknown> | Array<[string, string]>} params
 * @returns {string}
 */
function stringToSignV1(method, params) {
	return String(method).toUpperCase() + '&' + percentEncode('/') + '&' + percentEncode(canonicalQueryString(toPairs(params)));
}

/**
 * @param {string} accessKeySecret
 * @param {string} stringToSign
 * @returns {string}
 */
function signatureV1(accessKeySecret, stringToSign) {
	return hmacSha1Base64(accessKeySecret + '&', stringToSign);
}

/**
 * ISO 8601 UTC to the second: 2023-10-26T10:22:32Z.
 * @param {Date | number} [date]
 * @returns {string}
 */
function isoSeconds(date) {
	const d = date === undefined ? new Date() : new Date(date);
	return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * @returns {string}
 */
function newNonce() {
	return crypto.randomUUID();
}

/**
 * Client side of V3: build the headers (with Authorization) for one RPC-style request.
 * @param {object} o
 * @param {string} o.host value of the Host header, e.g. '127.0.0.1:8787' or 'ccc.cn-shanghai.aliyuncs.com'
 * @param {string} o.action
 * @param {string} o.version
 * @param {string} o.accessKeyId
 * @param {string} o.accessKeySecret
 * @param {string} [o.securityToken] sent and signed as x-acs-security-token
 * @param {string} [o.method] default 'POST'
 * @param {string} [o.pathname] default '/'
 * @param {Record<string, unknown> | Array<[string, string]>} [o.query] business parameters in the query string
 * @param {string | Buffer} [o.body] raw body
 * @param {string} [o.contentType] content-type of the body (signed)
 * @param {string | Date | number} [o.date] x-acs-date (default now)
 * @param {string} [o.nonce] x-acs-signature-nonce (default random)
 * @param {Record<string, string>} [o.extraHeaders] more headers (x-acs-* ones are signed)
 * @returns {{ path: string, headers: Record<string, string>, body: string | Buffer, canonicalRequest: string, stringToSign: string, signature: string, authorization: string }}
 */
function signRequestV3(o) {
	const method = (o.method || 'POST').toUpperCase();
	const pathname = o.pathname || '/';
	const queryPairs = toPairs(o.query);
	const body = o.body === undefined ? '' : o.body;
	const hashedPayload = sha256Hex(body);
	/** @type {Record<string, string>} */
	const headers = {
		host: o.host,
		'x-acs-action': o.action,
		'x-acs-version': o.version,
		'x-acs-date': typeof o.date === 'string' ? o.date : isoSeconds(o.date),
		'x-acs-signature-nonce': o.nonce || newNonce(),
		'x-acs-content-sha256': hashedPayload,
	};
	if (o.securityToken) headers['x-acs-security-token'] = o.securityToken;
	if (o.contentType) headers['content-type'] = o.contentType;
	for (const [k, v] of Object.entries(o.extraHeaders || {})) headers[k.toLowerCase()] = v;
	const signed = Object.keys(headers).filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-'));
	const { canonicalRequest, signedHeaders } = buildCanonicalRequestV3({
		method,
		canonicalUri: pathname,
		queryPairs,
		headers,
		signedHeaders: signed,
		hashedPayload,
	});
	const stringToSign = stringToSignV3(canonicalRequest);
	const signature = signatureV3(o.accessKeySecret, stringToSign);
	const authorization = `${ALGORITHM_V3} Credential=${o.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
	headers.authorization = authorization;
	const qs = queryPairs.map(([k, v]) => percentEncode(k) + '=' + percentEncode(v)).join('&');
	return { path: qs ? `${pathname}?${qs}` : pathname, headers, body, canonicalRequest, stringToSign, signature, authorization };
}

/**
 * Client side of V1: add the common parameters and the Signature to a parameter set.
 * @param {object} o
 * @param {string} o.action
 * @param {string} o.version
 * @param {string} o.accessKeyId
 * @param {string} o.accessKeySecret
 * @param {string} [o.securityToken] sent as SecurityToken
 * @param {string} [o.method] default 'GET'
 * @param {Record<string, unknown>} [o.params] business parameters
 * @param {string | Date | number} [o.timestamp] default now
 * @param {string} [o.nonce] default random
 * @param {string} [o.format] default 'JSON'
 * @returns {{ params: Record<string, string>, queryString: string, stringToSign: string, signature: string }}
 *   `params` includes Signature; `queryString` is the RFC 3986 encoded form of all of them
 */
function signRequestV1(o) {
	/** @type {Record<string, string>} */
	const params = {};
	for (const [k, v] of toPairs(o.params)) params[k] = v;
	params.Action = o.action;
	params.Version = o.version;
	params.Format = o.format || 'JSON';
	params.AccessKeyId = o.accessKeyId;
	params.SignatureMethod = 'HMAC-SHA1';
	params.SignatureVersion = '1.0';
	params.SignatureNonce = o.nonce || newNonce();
	params.Timestamp = typeof o.timestamp === 'string' ? o.timestamp : isoSeconds(o.timestamp);
	if (o.securityToken) params.SecurityToken = o.securityToken;
	const stringToSign = stringToSignV1(o.method || 'GET', params);
	const signature = signatureV1(o.accessKeySecret, stringToSign);
	params.Signature = signature;
	const queryString = Object.entries(params)
		.map(([k, v]) => percentEncode(k) + '=' + percentEncode(v))
		.join('&');
	return { params, queryString, stringToSign, signature };
}

module.exports = {
	ALGORITHM_V3,
	EMPTY_SHA256,
	percentEncode,
	sha256Hex,
	hmacSha256Hex,
	hmacSha1Base64,
	safeEqual,
	canonicalQueryString,
	toPairs,
	buildCanonicalRequestV3,
	stringToSignV3,
	signatureV3,
	parseAuthorizationV3,
	stringToSignV1,
	signatureV1,
	isoSeconds,
	newNonce,
	signRequestV3,
	signRequestV1,
};
