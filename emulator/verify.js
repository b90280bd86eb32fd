'use strict';

/**
 * Request verification: V3 (Authorization: ACS3-HMAC-SHA256 ...) and V1 (RPC HMAC-SHA1, Signature and
 * AccessKeyId parameters), timestamps, nonces and STS tokens. Signing itself is in signature.js.
 *
 * SignatureDoesNotMatch echoes what the server signed, exactly as Alibaba does, with nothing redacted:
 * an STS token in the request comes back in the answer (the emulator is never kinder than Alibaba, so a
 * client's own redaction is really tested).
 * - V1: Message "Specified signature does not match our calculation. server string to sign is:<string to sign>"
 *   where the string to sign is METHOD&%2F&percentEncode(canonical query): every parameter, SecurityToken
 *   and AccessKeyId included, values percent-encoded twice. Answers quoted in public issues show this
 *   "server string to sign is:POST&%2F&AccessKeyId%3D...%26Timestamp%3D2019-05-12T14%253A06%253A51Z..." form
 *   (github.com/NewFuture/DDNS/issues/57, 2019; github.com/dromara/SMS4J/issues/34, 2025, Dysmsapi); their
 *   first sentence reads "Specified signature is not matched with our calculation.", while Alibaba's
 *   signature documentation lists "Specified signature does not match our calculation." for the code,
 *   which the emulator keeps.
 * - V3: Message "Specified signature does not match our calculation. server StringToSign is
 *   [ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>] server CanonicalRequest is [<canonical request>]".
 *   The StringToSign part is quoted from a 2025 answer in github.com/aliyun/alibabacloud-csharp-sdk/issues/40;
 *   the "server CanonicalRequest is [...]" part is listed after it by public V3 signing notes and log
 *   scrubbers (its separator, one space here, is not confirmed). The canonical request holds every signed
 *   header, x-acs-security-token (the STS token, as sent) included.
 */

const sig = require('./signature');
const { MSG, errorAnswer, missing, incomplete } = require('./errors');

/**
 * @typedef {import('./types').Ctx} Ctx
 * @typedef {import('./types').Answer} Answer
 * @typedef {import('./types').State} State
 * @typedef {import('./types').AccessKey} AccessKey
 */

/** Largest difference between the request's timestamp and the emulator's clock. */
const TOLERANCE_MS = 15 * 60 * 1000;

/**
 * @param {string | string[] | undefined} v
 * @returns {string | undefined}
 */
function headerValue(v) {
	return Array.isArray(v) ? v.join(',') : v;
}

/**
 * yyyy-MM-ddTHH:mm:ssZ (fractional seconds tolerated) to epoch ms, NaN when not well formatted.
 * @param {string} s
 * @returns {number}
 */
function parseIsoUtc(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/.exec(s);
	if (!m) return NaN;
	const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return NaN;
	return Date.UTC(y, mo - 1, d, h, mi, se);
}

/**
 * The STS token the request carried (V3 header or V1 parameter), if any.
 * @param {Ctx} ctx
 * @returns {string | undefined}
 */
function requestToken(ctx) {
	return ctx.signatureVersion === 'v3' ? headerValue(ctx.headers['x-acs-security-token']) : ctx.params.SecurityToken;
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @param {AccessKey} key
 * @param {string} nonce
 * @returns {Answer | null}
 */
function checkNonceAndToken(state, ctx, key, nonce) {
	if (!state.nonces.use(key.accessKeyId + '\n' + nonce, Date.now())) {
		return errorAnswer(ctx, 400, 'SignatureNonceUsed', MSG.nonceUsed);
	}
	const token = requestToken(ctx);
	if (key.securityToken) {
		if (!token) return errorAnswer(ctx, 400, 'MissingSecurityToken', MSG.missingToken);
		if (!sig.safeEqual(token, key.securityToken)) {
			return errorAnswer(ctx, 400, 'InvalidSecurityToken.MismatchWithAccessKey', MSG.tokenMismatch);
		}
	} else if (token) {
		return errorAnswer(ctx, 400, 'InvalidSecurityToken.Malformed', MSG.tokenMalformed);
	}
	return null;
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @param {string} value
 * @returns {Answer | null}
 */
function checkTimestamp(state, ctx, value) {
	const t = parseIsoUtc(value);
	if (Number.isNaN(t)) return errorAnswer(ctx, 400, 'InvalidTimeStamp.Format', MSG.timestampFormat);
	if (Math.abs(state.now() - t) > TOLERANCE_MS) {
		return errorAnswer(ctx, 400, 'InvalidTimeStamp.Expired', MSG.timestampExpired);
	}
	return null;
}

/**
 * @param {Ctx} ctx
 * @param {string} echoed what the server signed, in Alibaba's wording (see the top of this file)
 * @returns {Answer}
 */
function signatureDoesNotMatch(ctx, echoed) {
	return errorAnswer(ctx, 400, 'SignatureDoesNotMatch', `${MSG.signatureDoesNotMatch} ${echoed}`);
}

/**
 * The signed headers of a V3 request, or the IncompleteSignature answer.
 * @param {Ctx} ctx
 * @param {string[]} signedHeaders
 * @returns {{ values: Record<string, string> } | { answer: Answer }}
 */
function signedHeaderValues(ctx, signedHeaders) {
	const h = ctx.headers;
	const signed = new Set(signedHeaders);
	if (!signed.has('host')) return { answer: incomplete(ctx, 'SignedHeaders must include host.') };
	for (const name of Object.keys(h)) {
		if ((name.startsWith('x-acs-') || name === 'content-type') && !signed.has(name)) {
			return { answer: incomplete(ctx, `SignedHeaders must include ${name}.`) };
		}
	}
	/** @type {Record<string, string>} */
	const values = {};
	for (const name of signed) {
		const v = headerValue(h[name]);
		if (v === undefined) return { answer: incomplete(ctx, `Signed header ${name} is not in the request.`) };
		values[name] = v;
	}
	return { values };
}

/**
 * ACS3-HMAC-SHA256.
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer | null} null when accepted (ctx.accessKey set)
 */
function verifyV3(state, ctx) {
	const h = ctx.headers;
	const auth = sig.parseAuthorizationV3(headerValue(h.authorization));
	if (!auth) {
		return incomplete(ctx, 'Authorization must be "ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<h1;h2>,Signature=<hex>".');
	}
	if (auth.algorithm !== sig.ALGORITHM_V3) return errorAnswer(ctx, 400, 'InvalidSignatureMethod', MSG.signatureMethod);
	const key = state.keys.get(auth.credential);
	if (!key) return errorAnswer(ctx, 404, 'InvalidAccessKeyId.NotFound', MSG.accessKeyNotFound);
	if (!h['x-acs-action']) return missing(ctx, 'Action');
	if (!h['x-acs-version']) return missing(ctx, 'Version');
	const date = headerValue(h['x-acs-date']);
	if (!date) return missing(ctx, 'Timestamp');
	const nonce = headerValue(h['x-acs-signature-nonce']);
	if (!nonce) return missing(ctx, 'SignatureNonce');
	const contentSha = headerValue(h['x-acs-content-sha256']);
	if (!contentSha) return incomplete(ctx, 'The x-acs-content-sha256 header is required.');

	const headers = signedHeaderValues(ctx, auth.signedHeaders);
	if ('answer' in headers) return headers.answer;

	const tsError = checkTimestamp(state, ctx, date);
	if (tsError) return tsError;

	const hashedPayload = sig.sha256Hex(ctx.body);
	if (contentSha.trim() !== hashedPayload) {
		return signatureDoesNotMatch(ctx, 'x-acs-content-sha256 is not the hex sha256 of the request body.');
	}
	const { canonicalRequest } = sig.buildCanonicalRequestV3({
		method: ctx.method,
		canonicalUri: ctx.pathname,
		queryPairs: ctx.queryPairs,
		headers: headers.values,
		signedHeaders: Object.keys(headers.values),
		hashedPayload,
	});
	const stringToSign = sig.stringToSignV3(canonicalRequest);
	const expected = sig.signatureV3(key.accessKeySecret, stringToSign);
	if (!sig.safeEqual(expected, auth.signature.toLowerCase())) {
		return signatureDoesNotMatch(ctx, `server StringToSign is [${stringToSign}] server CanonicalRequest is [${canonicalRequest}]`);
	}
	const err = checkNonceAndToken(state, ctx, key, nonce);
	if (err) return err;
	ctx.accessKey = key;
	return null;
}

/**
 * RPC HMAC-SHA1, SignatureVersion 1.0.
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer | null} null when accepted (ctx.accessKey set)
 */
function verifyV1(state, ctx) {
	const p = ctx.params;
	if (!p.AccessKeyId) return missing(ctx, 'AccessKeyId');
	if (!p.Signature) return incomplete(ctx, 'The Signature parameter is required.');
	if (p.SignatureMethod !== undefined && p.SignatureMethod !== 'HMAC-SHA1') {
		return errorAnswer(ctx, 400, 'InvalidSignatureMethod', MSG.signatureMethod);
	}
	if (p.SignatureVersion !== undefined && p.SignatureVersion !== '1.0') {
		return errorAnswer(ctx, 400, 'InvalidSignatureVersion', 'Specified signature version is not valid.');
	}
	const key = state.keys.get(p.AccessKeyId);
	if (!key) return errorAnswer(ctx, 404, 'InvalidAccessKeyId.NotFound', MSG.accessKeyNotFound);
	for (const name of ['Action', 'Version', 'Timestamp', 'SignatureNonce']) {
		if (!p[name]) return missing(ctx, name);
	}

	const tsError = checkTimestamp(state, ctx, p.Timestamp);
	if (tsError) return tsError;

	/** @type {Record<string, string>} */
	const signedParams = {};
	for (const k of Object.keys(p)) if (k !== 'Signature') signedParams[k] = p[k];
	const stringToSign = sig.stringToSignV1(ctx.method, signedParams);
	const expected = sig.signatureV1(key.accessKeySecret, stringToSign);
	if (!sig.safeEqual(expected, p.Signature)) return signatureDoesNotMatch(ctx, `server string to sign is:${stringToSign}`);
	const err = checkNonceAndToken(state, ctx, key, p.SignatureNonce);
	if (err) return err;
	ctx.accessKey = key;
	return null;
}

/**
 * Authenticate a request (V3 when it has an Authorization header, else V1).
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer | null} null when accepted (ctx.accessKey set)
 */
function verifyRequest(state, ctx) {
	return ctx.signatureVersion === 'v3' ? verifyV3(state, ctx) : verifyV1(state, ctx);
}

module.exports = { verifyRequest, verifyV3, verifyV1, headerValue, parseIsoUtc, requestToken, TOLERANCE_MS };
