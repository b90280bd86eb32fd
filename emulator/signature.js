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
 * percentEncode is RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are, everything else is
 * UTF-8 percent-encoded with upper-case hex (space -> %20, * -> %2A, ~ unchanged).
 *
 * Only V3: the package signs nothing else. Alibaba still accepts the older RPC V1 (`HMAC-SHA1`) signature,
 * but the emulator does not verify it: verify.js refuses a V1-signed request (never accepts it unchecked).
 *
 * The module also has a small client-side helper (signRequestV3) used by the emulator's tests and
 * benchmarks to build signed requests with chosen dates and nonces.
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
 * percent-encode both: the canonical query string of V3.
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

module.exports = {
	ALGORITHM_V3,
	EMPTY_SHA256,
	percentEncode,
	sha256Hex,
	hmacSha256Hex,
	safeEqual,
	canonicalQueryString,
	toPairs,
	buildCanonicalRequestV3,
	stringToSignV3,
	signatureV3,
	parseAuthorizationV3,
	isoSeconds,
	newNonce,
	signRequestV3,
};
