'use strict';

/**
 * Request verification: V3 signatures only (Authorization: ACS3-HMAC-SHA256 ...), timestamps, nonces and STS
 * tokens. Signing itself is in signature.js.
 *
 * V1 is refused, never accepted. Alibaba still accepts the older RPC V1 signature (HMAC-SHA1: Signature,
 * AccessKeyId, SignatureMethod... parameters, no Authorization header), but this package sends only V3, so the
 * emulator does not verify V1: a request without an Authorization header that carries V1 signing parameters
 * gets 400 `Emulator.V3SignatureOnly` (an emulator code, not Alibaba's: see errors.js), whatever its signature.
 * A request with neither is unsigned: 400 MissingAccessKeyId.
 *
 * SignatureDoesNotMatch echoes what the server signed, exactly as Alibaba does, with nothing redacted:
 * an STS token in the request comes back in the answer (the emulator is never kinder than Alibaba, so a
 * client's own redaction is really tested).
 * - V3: Message "Specified signature does not match our calculation. server StringToSign is
 *   [ACS3-HMAC-SHA256\n<hex sha256 of the canonical request>] server CanonicalRequest is [<canonical request>]".
 *   The StringToSign part is quoted from a 2025 answer in github.com/aliyun/alibabacloud-csharp-sdk/issues/40;
 *   the "server CanonicalRequest is [...]" part is listed after it by public V3 signing notes and log
 *   scrubbers (its separator, one space here, is not confirmed). The canonical request holds every signed
 *   header, x-acs-security-token (the STS token, as sent) included.
 */

const sig = require('./signature');
const { MSG, V3_ONLY_CODE, errorAnswer, missing, incomplete } = require('./errors');

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
 * The STS token the request carried (the signed x-acs-security-token header), if any.
 * @param {Ctx} ctx
 * @returns {string | undefined}
 */
function requestToken(ctx) {
	return headerValue(ctx.headers['x-acs-security-token']);
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

/** Parameters of an RPC V1 signature: a request without an Authorization header that has one is V1-signed. */
const V1_SIGNING_PARAMS = ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce'];

/**
 * A request without an ACS3 Authorization header: refused, never accepted (see the top of this file).
 * @param {Ctx} ctx
 * @returns {Answer}
 */
function refuseWithoutV3(ctx) {
	if (!V1_SIGNING_PARAMS.some((name) => ctx.params[name] !== undefined)) return missing(ctx, 'AccessKeyId');
	return errorAnswer(ctx, 400, V3_ONLY_CODE, MSG.v3SignatureOnly);
}

/**
 * Authenticate a request: V3 when it has an Authorization header; anything else is refused.
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer | null} null when accepted (ctx.accessKey set)
 */
function verifyRequest(state, ctx) {
	return ctx.signatureVersion === 'v3' ? verifyV3(state, ctx) : refuseWithoutV3(ctx);
}

module.exports = { verifyRequest, verifyV3, headerValue, parseIsoUtc, requestToken, TOLERANCE_MS };
