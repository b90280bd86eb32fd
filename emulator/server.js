'use strict';

/**
 * Local emulator of the Alibaba Cloud Contact Center (CCC) OpenAPI endpoint, version 2020-07-01,
 * for tests, benchmarks and demos. Node built-ins only.
 *
 *   const { startEmulator } = require('./emulator/server');
 *   const emu = await startEmulator({ port: 0 });
 *   // ... call emu.endpoint with DEFAULT_ACCESS_KEYS[0] ...
 *   await emu.close();
 *
 * What it checks, in this order (first failure answers):
 *   1. HTTP method GET/POST, path '/', parsable query and body.
 *   2. Authentication: V3 (Authorization: ACS3-HMAC-SHA256 ...) or V1 (Signature/AccessKeyId params):
 *      access key known, required headers/params present, SignedHeaders cover host, content-type
 *      and every x-acs-* header, timestamp within 15 minutes, x-acs-content-sha256 equal to the body
 *      hash, signature, nonce not used in the last 15 minutes, STS token.
 *   3. Version 2020-07-01, action known, RAM permission of the key.
 *   4. Fault injection (only authenticated, accepted requests are ever matched).
 *   5. The action (LaunchAuthentication, ListInstances) against the fixtures.
 *
 * Fault types (option `faults`, or emu.setFaults). "launched" = the LaunchAuthentication was carried
 * out (the IVR flow would have started), as recorded in emu.requests[i].launched / emu.launchCount().
 *
 * | type           | what the client sees                                               | launched |
 * |----------------|--------------------------------------------------------------------|----------|
 * | latency        | the normal answer, delayed by delayMs (adds up; also `latencyMs`)  | as normal|
 * | throttle       | HTTP 429 (or `status`), Code Throttling.User                        | no       |
 * | server-error   | HTTP 500 InternalError, or `status: 503` ServiceUnavailable        | `launched` option, default no |
 * | reset-before   | socket destroyed before the action (ECONNRESET / socket hang up)    | no       |
 * | reset-after    | the launch is carried out, then the socket is destroyed             | yes*     |
 * | timeout        | the launch is carried out, then no answer (or the real answer after | yes*     |
 * |                | delayMs, long past the client's timeout)                           |          |
 * | stall-before   | no answer at all (socket destroyed after delayMs if given)          | no       |
 * | malformed-json | HTTP 200, application/json, truncated body '{"RequestId":"..","Data":{' | yes* |
 * | html           | HTTP 502 (or `status`) text/html page, as a proxy would send        | no       |
 * | ok-not-ok      | HTTP 200 JSON with Code 'Busy' (or `code`), no Data                 | no       |
 * | no-data        | HTTP 200 JSON with Code 'OK' but no Data                            | yes*     |
 * | huge           | HTTP 200 JSON answer padded to `bytes` (default 5 MB)               | yes*     |
 *
 *   yes* = when the request itself was valid (the action would have succeeded); a fault never turns
 *   an invalid request (unknown job, missing parameter...) into a launch.
 *   Common fault fields: action, jobId (filters), times (first N matching requests), every (every
 *   Nth matching request), delayMs. See faults.js for the counting rules.
 *
 * Error codes and where they come from (Alibaba documentation / error center, found via search;
 * "guess" marks what could not be confirmed):
 *   InvalidAccessKeyId.NotFound 404 "Specified access key is not found."            (POP common errors)
 *   SignatureDoesNotMatch 400 "Specified signature does not match our calculation." (+ server string to sign)
 *   IncompleteSignature 400 "The request signature does not conform to Aliyun standards." (+ detail)
 *   InvalidSignatureMethod 400 "Specified signature method is not valid."
 *   InvalidTimeStamp.Format 400 / InvalidTimeStamp.Expired 400 "Specified time stamp or date value is ..."
 *   SignatureNonceUsed 400 "Specified signature nonce was used already."
 *   MissingSecurityToken 400 (code confirmed; message "SecurityToken is mandatory for this action." is a guess)
 *   InvalidSecurityToken.MismatchWithAccessKey 400 "Specified SecurityToken mismatch with the AccessKey."
 *   InvalidSecurityToken.Malformed 400 "Specified SecurityToken is malformed." (sent with a non-STS key: guess)
 *   Missing{Name} 400 "{Name} is mandatory for this action." (POP naming for a missing required parameter,
 *     e.g. MissingInstanceId; also MissingAccessKeyId for an unsigned request, MissingTimestamp, ...)
 *   Invalid{Name} 400 "Specified parameter {Name} is not valid."
 *   InvalidVersion 400 "Specified parameter Version is not valid." (guess)
 *   InvalidAction.NotFound 404 "Specified api is not found, please check your url and method."
 *   UnsupportedHTTPMethod 400 "This http method not supported."
 *   Forbidden.RAM 403 "User not authorized to operate on the specified resource, or this API doesn't support RAM."
 *   Throttling.User 429 "Request was denied due to user flow control." (an older Alibaba POP table lists
 *     HTTP 400 for it; the emulator answers 429 by default, `status` changes it)
 *   InternalError 500 / ServiceUnavailable 503
 *   NotExists.InstanceId / NotExists.JobId / NotExists.ChannelId 404 (LaunchAuthentication API page)
 *   NotExists.UserId 404 "The specified user %s does not exist." (guess)
 *   Parameter.Invalid 400 for a ContactFlowVariables that is not a JSON object string (guess; CCC uses
 *     Parameter.Null / Parameter.Maximum / Parameter.Minimum for other parameter errors)
 *   Parameter.Minimum / Parameter.Maximum 400 for ListInstances paging (CCC error pages)
 *   InvalidSignatureVersion 400 (V1 SignatureVersion other than 1.0), InvalidParameter 400 (query or body
 *     not parsable), RequestEntityTooLarge 413 (body over 1 MB): guesses, Alibaba's names not found.
 * All faults are applied after the gateway checks (authentication, version, action, RAM), so a forged
 * or unsigned request never triggers nor counts for one (reset-before / stall-before / html included).
 * Error body: { RequestId, HostId, Code, Message, Recommend }, content-type application/json;charset=utf-8.
 */

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');

const sig = require('./signature');
const { FaultPlan, isBeforeAction } = require('./faults');

const API_VERSION = '2020-07-01';
const TOLERANCE_MS = 15 * 60 * 1000;
const NONCE_TTL_MS = 15 * 60 * 1000;
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_HUGE_BYTES = 5 * 1024 * 1024;
const DEFAULT_FIXTURES_PATH = path.join(__dirname, 'fixtures.json');

/**
 * @typedef {object} AccessKey
 * @property {string} accessKeyId
 * @property {string} accessKeySecret
 * @property {string} [securityToken] when set, requests must carry exactly this STS token
 * @property {ReadonlyArray<string>} [permissions] actions this key may call ('*' = all); unset = all, [] = none
 * @property {string} [description]
 */

/** @type {ReadonlyArray<Readonly<AccessKey>>} */
const DEFAULT_ACCESS_KEYS = Object.freeze([
	Object.freeze({
		accessKeyId: 'LTAI5tEmulatorKey000001',
		accessKeySecret: 'emulator-secret-0000000000000001',
		description: 'permanent key, all actions',
	}),
	Object.freeze({
		accessKeyId: 'STS.EmulatorStsKey00001',
		accessKeySecret: 'emulator-sts-secret-00000000001',
		securityToken: 'emulator-sts-token-0001',
		description: 'STS key: requests must carry the security token',
	}),
	Object.freeze({
		accessKeyId: 'LTAI5tNoPermission00001',
		accessKeySecret: 'emulator-secret-noperm-000000001',
		permissions: Object.freeze(/** @type {string[]} */ ([])),
		description: 'valid key without any RAM permission: every call gets Forbidden.RAM',
	}),
]);

/** Parameters that are not business parameters (never logged). */
const COMMON_PARAMS = new Set([
	'Action',
	'Version',
	'Format',
	'AccessKeyId',
	'SignatureMethod',
	'SignatureVersion',
	'SignatureNonce',
	'SignatureType',
	'Signature',
	'Timestamp',
	'SecurityToken',
	'BearerToken',
]);

const MSG = {
	incompleteSignature: 'The request signature does not conform to Aliyun standards.',
	signatureDoesNotMatch: 'Specified signature does not match our calculation.',
	accessKeyNotFound: 'Specified access key is not found.',
	timestampFormat: 'Specified time stamp or date value is not well formatted.',
	timestampExpired: 'Specified time stamp or date value is expired.',
	nonceUsed: 'Specified signature nonce was used already.',
	signatureMethod: 'Specified signature method is not valid.',
	missingToken: 'SecurityToken is mandatory for this action.',
	tokenMismatch: 'Specified SecurityToken mismatch with the AccessKey.',
	tokenMalformed: 'Specified SecurityToken is malformed.',
	actionNotFound: 'Specified api is not found, please check your url and method.',
	forbiddenRam: "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
	throttling: 'Request was denied due to user flow control.',
	internalError: 'The request processing has failed due to some unknown error, exception or failure.',
	serviceUnavailable: 'The request has failed due to a temporary failure of the server.',
	httpMethod: 'This http method not supported.',
};

const LAUNCH_REQUIRED = ['ContactFlowId', 'DeviceId', 'InstanceId', 'JobId', 'UserId'];

/* ------------------------------------------------------------------------------------------ */
/* Fixtures                                                                                   */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {Record<string, string>} StringMap
 * @typedef {{ JobId: string, CallType: string, ChannelContexts: StringMap[], missingChannelId?: string }} Job
 * @typedef {{ info: Record<string, unknown>, users: Map<string, Record<string, unknown>>, jobs: Map<string, Job>, patterns: Array<{ re: RegExp, like: Job }> }} Instance
 * @typedef {{ instances: Map<string, Instance>, order: string[] }} Fixtures
 */

const CHANNEL_KEYS = [
	'Destination',
	'ChannelState',
	'ReleaseInitiator',
	'CallType',
	'Index',
	'SkillGroupId',
	'AssociatedData',
	'ChannelId',
	'Timestamp',
	'ReleaseReason',
	'Originator',
	'ChannelFlags',
	'UserId',
	'UserExtension',
	'JobId',
];

/**
 * The API types everything as strings in its JSON example; objects/arrays become JSON strings.
 * @param {unknown} v
 * @returns {string}
 */
function apiString(v) {
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

/**
 * @param {Record<string, unknown>} ch
 * @returns {StringMap}
 */
function normalizeChannel(ch) {
	/** @type {StringMap} */
	const out = {};
	for (const k of CHANNEL_KEYS) out[k] = apiString(ch[k]);
	return out;
}

/**
 * @param {string | Record<string, any> | undefined} source
 * @returns {Fixtures}
 */
function loadFixtures(source) {
	/** @type {any} */
	let raw = source;
	if (raw === undefined) raw = DEFAULT_FIXTURES_PATH;
	if (typeof raw === 'string') raw = JSON.parse(fs.readFileSync(raw, 'utf8'));
	if (!raw || !Array.isArray(raw.instances)) throw new TypeError('fixtures must have an "instances" array');
	/** @type {Map<string, Instance>} */
	const instances = new Map();
	/** @type {string[]} */
	const order = [];
	for (const inst of raw.instances) {
		const { users = [], jobs = [], ...info } = inst;
		if (!info.Id) throw new TypeError('every fixture instance needs an Id');
		/** @type {Map<string, Job>} */
		const jobMap = new Map();
		for (const j of jobs) {
			jobMap.set(j.JobId, {
				JobId: j.JobId,
				CallType: apiString(j.CallType),
				ChannelContexts: (j.ChannelContexts || []).map(normalizeChannel),
				missingChannelId: j.missingChannelId,
			});
		}
		instances.set(info.Id, {
			info,
			users: new Map(users.map((/** @type {any} */ u) => [u.UserId, u])),
			jobs: jobMap,
			patterns: [],
		});
		order.push(info.Id);
	}
	for (const p of raw.jobPatterns || []) {
		const inst = instances.get(p.instanceId);
		const like = inst && inst.jobs.get(p.like);
		if (!inst || !like) throw new TypeError(`jobPatterns: unknown instance ${p.instanceId} or job ${p.like}`);
		inst.patterns.push({ re: new RegExp(p.pattern), like });
	}
	return { instances, order };
}

/**
 * @param {Instance} inst
 * @param {string} jobId
 * @returns {Job | undefined}
 */
function findJob(inst, jobId) {
	const job = inst.jobs.get(jobId);
	if (job) return job;
	for (const p of inst.patterns) {
		if (p.re.test(jobId)) {
			const from = p.like.JobId;
			return {
				JobId: jobId,
				CallType: p.like.CallType,
				missingChannelId: p.like.missingChannelId,
				ChannelContexts: p.like.ChannelContexts.map((ch) => ({
					...ch,
					ChannelId: ch.ChannelId.split(from).join(jobId),
					JobId: ch.JobId === from ? jobId : ch.JobId,
				})),
			};
		}
	}
	return undefined;
}

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * Decode an application/x-www-form-urlencoded / query string into pairs (throws URIError).
 * @param {string} raw
 * @returns {Array<[string, string]>}
 */
function parsePairs(raw) {
	/** @type {Array<[string, string]>} */
	const pairs = [];
	if (!raw) return pairs;
	for (const part of raw.split('&')) {
		if (!part) continue;
		const eq = part.indexOf('=');
		const k = eq < 0 ? part : part.slice(0, eq);
		const v = eq < 0 ? '' : part.slice(eq + 1);
		pairs.push([decodeURIComponent(k.replace(/\+/g, '%20')), decodeURIComponent(v.replace(/\+/g, '%20'))]);
	}
	return pairs;
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
 * @param {string | string[] | undefined} v
 * @returns {string | undefined}
 */
function headerValue(v) {
	return Array.isArray(v) ? v.join(',') : v;
}

/** Nonces seen in the last 15 minutes, pruned by time (insertion order = expiry order). */
class NonceStore {
	constructor() {
		/** @type {Map<string, number>} */
		this.map = new Map();
	}

	/**
	 * @param {string} key
	 * @param {number} nowMs
	 * @returns {boolean} false when the nonce was already used
	 */
	use(key, nowMs) {
		for (const [k, exp] of this.map) {
			if (exp > nowMs) break;
			this.map.delete(k);
		}
		if (this.map.has(key)) return false;
		this.map.set(key, nowMs + NONCE_TTL_MS);
		return true;
	}

	clear() {
		this.map.clear();
	}

	get size() {
		return this.map.size;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Answers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {object} Answer
 * @property {'json'|'raw'|'reset'|'stall'} kind
 * @property {number} status HTTP status (0 when no HTTP answer is sent)
 * @property {unknown} [obj] JSON body (kind json)
 * @property {string | Buffer} [body] raw body (kind raw)
 * @property {string} [contentType] (kind raw)
 * @property {string} outcome 'ok' | error Code | 'fault:<type>'
 * @property {boolean} launched
 * @property {number} [delayMs] extra delay before the answer (or the reset)
 * @property {number} [destroyAfterMs] kind stall: destroy the socket after this long
 */

/**
 * @typedef {object} Ctx
 * @property {number} at
 * @property {string} requestId
 * @property {string} method
 * @property {string} host
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} pathname
 * @property {string} rawQuery
 * @property {Buffer} body
 * @property {'v3'|'v1'} signatureVersion
 * @property {string} action
 * @property {Array<[string, string]>} queryPairs
 * @property {Record<string, string>} params all parameters (query, then body)
 * @property {AccessKey | null} accessKey
 */

/**
 * @param {Ctx} ctx
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {Answer}
 */
function errorAnswer(ctx, status, code, message) {
	return {
		kind: 'json',
		status,
		obj: {
			RequestId: ctx.requestId,
			HostId: ctx.host,
			Code: code,
			Message: message,
			Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=CCC&requestId=${ctx.requestId}`,
		},
		outcome: code,
		launched: false,
	};
}

/**
 * @param {Ctx} ctx
 * @param {string} name
 * @returns {Answer}
 */
function missing(ctx, name) {
	return errorAnswer(ctx, 400, `Missing${name}`, `${name} is mandatory for this action.`);
}

/**
 * @param {Ctx} ctx
 * @param {string} detail
 * @returns {Answer}
 */
function incomplete(ctx, detail) {
	return errorAnswer(ctx, 400, 'IncompleteSignature', `${MSG.incompleteSignature} ${detail}`);
}

/**
 * @param {string} text
 * @param {string | undefined} token
 * @returns {string}
 */
function redact(text, token) {
	if (!token) return text;
	let out = text.split(token).join('***');
	const enc = sig.percentEncode(token);
	out = out.split(enc).join('***');
	return out.split(sig.percentEncode(enc)).join('***');
}

/* ------------------------------------------------------------------------------------------ */
/* Authentication                                                                             */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {object} State
 * @property {Map<string, AccessKey>} keys
 * @property {Fixtures} fixtures
 * @property {FaultPlan} faults
 * @property {number} latencyMs
 * @property {NonceStore} nonces
 * @property {Array<RequestRecord>} log
 * @property {() => number} now clock used for timestamp checks
 * @property {((line: string) => void) | null} logLine
 * @property {Set<NodeJS.Timeout>} timers
 * @property {Map<number, Buffer>} hugeCache
 * @property {number} inFlight requests received and not yet answered (or closed)
 * @property {number} maxInFlight the most at one time since reset()
 */

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @param {AccessKey} key
 * @param {string} nonce
 * @param {string | undefined} token
 * @returns {Answer | null}
 */
function checkNonceAndToken(state, ctx, key, nonce, token) {
	if (!state.nonces.use(key.accessKeyId + '\n' + nonce, Date.now())) {
		return errorAnswer(ctx, 400, 'SignatureNonceUsed', MSG.nonceUsed);
	}
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

	const signed = new Set(auth.signedHeaders);
	if (!signed.has('host')) return incomplete(ctx, 'SignedHeaders must include host.');
	/** @type {Record<string, string>} */
	const values = {};
	for (const name of Object.keys(h)) {
		if ((name.startsWith('x-acs-') || name === 'content-type') && !signed.has(name)) {
			return incomplete(ctx, `SignedHeaders must include ${name}.`);
		}
	}
	for (const name of signed) {
		const v = headerValue(h[name]);
		if (v === undefined) return incomplete(ctx, `Signed header ${name} is not in the request.`);
		values[name] = v;
	}

	const tsError = checkTimestamp(state, ctx, date);
	if (tsError) return tsError;

	const hashedPayload = sig.sha256Hex(ctx.body);
	if (contentSha.trim() !== hashedPayload) {
		return errorAnswer(
			ctx,
			400,
			'SignatureDoesNotMatch',
			`${MSG.signatureDoesNotMatch} x-acs-content-sha256 is not the hex sha256 of the request body.`,
		);
	}
	const { canonicalRequest } = sig.buildCanonicalRequestV3({
		method: ctx.method,
		canonicalUri: ctx.pathname,
		queryPairs: ctx.queryPairs,
		headers: values,
		signedHeaders: [...signed],
		hashedPayload,
	});
	const stringToSign = sig.stringToSignV3(canonicalRequest);
	const expected = sig.signatureV3(key.accessKeySecret, stringToSign);
	if (!sig.safeEqual(expected, auth.signature.toLowerCase())) {
		const token = headerValue(h['x-acs-security-token']);
		return errorAnswer(
			ctx,
			400,
			'SignatureDoesNotMatch',
			`${MSG.signatureDoesNotMatch} server string to sign is:${stringToSign} server CanonicalRequest is:${redact(canonicalRequest, token)}`,
		);
	}
	const err = checkNonceAndToken(state, ctx, key, nonce, headerValue(h['x-acs-security-token']));
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
	if (!p.Action) return missing(ctx, 'Action');
	if (!p.Version) return missing(ctx, 'Version');
	if (!p.Timestamp) return missing(ctx, 'Timestamp');
	if (!p.SignatureNonce) return missing(ctx, 'SignatureNonce');

	const tsError = checkTimestamp(state, ctx, p.Timestamp);
	if (tsError) return tsError;

	/** @type {Record<string, string>} */
	const signedParams = {};
	for (const k of Object.keys(p)) if (k !== 'Signature') signedParams[k] = p[k];
	const stringToSign = sig.stringToSignV1(ctx.method, signedParams);
	const expected = sig.signatureV1(key.accessKeySecret, stringToSign);
	if (!sig.safeEqual(expected, p.Signature)) {
		return errorAnswer(
			ctx,
			400,
			'SignatureDoesNotMatch',
			`${MSG.signatureDoesNotMatch} server string to sign is:${redact(stringToSign, p.SecurityToken)}`,
		);
	}
	const err = checkNonceAndToken(state, ctx, key, p.SignatureNonce, p.SecurityToken);
	if (err) return err;
	ctx.accessKey = key;
	return null;
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {{ ok: true, obj: Record<string, unknown> } | { ok: false, answer: Answer }} ActionResult
 */

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function launchAuthentication(state, ctx) {
	const p = ctx.params;
	for (const name of LAUNCH_REQUIRED) {
		if (p[name] === undefined || p[name] === '') return { ok: false, answer: missing(ctx, name) };
	}
	if (p.ContactFlowVariables !== undefined && p.ContactFlowVariables !== '') {
		let parsed;
		try {
			parsed = JSON.parse(p.ContactFlowVariables);
		} catch {
			parsed = undefined;
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
			return {
				ok: false,
				answer: errorAnswer(
					ctx,
					400,
					'Parameter.Invalid',
					'The parameter ContactFlowVariables is invalid: it must be a JSON object string.',
				),
			};
		}
	}
	const inst = state.fixtures.instances.get(p.InstanceId);
	if (!inst) {
		return {
			ok: false,
			answer: errorAnswer(ctx, 404, 'NotExists.InstanceId', `The specified instance ${p.InstanceId} does not exist.`),
		};
	}
	const job = findJob(inst, p.JobId);
	if (!job) {
		return { ok: false, answer: errorAnswer(ctx, 404, 'NotExists.JobId', `The call ${p.JobId} does not exist.`) };
	}
	const user = inst.users.get(p.UserId);
	if (!user) {
		return { ok: false, answer: errorAnswer(ctx, 404, 'NotExists.UserId', `The specified user ${p.UserId} does not exist.`) };
	}
	if (job.missingChannelId) {
		return {
			ok: false,
			answer: errorAnswer(
				ctx,
				404,
				'NotExists.ChannelId',
				`The specified channel ${job.missingChannelId} does not exist in call ${p.JobId}.`,
			),
		};
	}
	// Key order and string typing exactly as the API page's JSON example.
	return {
		ok: true,
		obj: {
			RequestId: ctx.requestId,
			Message: '无',
			HttpStatusCode: '200',
			Params: '无',
			Data: {
				UserContext: {
					UserState: apiString(user.UserState),
					InstanceId: p.InstanceId,
					DeviceId: p.DeviceId,
					BreakCode: apiString(user.BreakCode),
					OutboundScenario: apiString(user.OutboundScenario),
					Mobile: apiString(user.Mobile),
					SignedSkillGroupIdList: apiString(user.SignedSkillGroupIdList),
					Extension: apiString(user.Extension),
					UserId: p.UserId,
					Heartbeat: apiString(user.Heartbeat),
					WorkMode: apiString(user.WorkMode),
					JobId: p.JobId,
					Reserved: apiString(user.Reserved),
				},
				CallContext: {
					InstanceId: p.InstanceId,
					CallType: job.CallType,
					JobId: p.JobId,
					ChannelContexts: job.ChannelContexts.map((ch) => ({ ...ch })),
				},
			},
			Code: 'OK',
		},
	};
}

/**
 * @param {Ctx} ctx
 * @param {string} name
 * @returns {{ value: number } | { answer: Answer }}
 */
function pagingParam(ctx, name) {
	const raw = ctx.params[name];
	if (raw === undefined || raw === '') return { answer: missing(ctx, name) };
	if (!/^-?\d+$/.test(raw)) return { answer: errorAnswer(ctx, 400, `Invalid${name}`, `Specified parameter ${name} is not valid.`) };
	const value = Number(raw);
	if (value < 1) {
		return { answer: errorAnswer(ctx, 400, 'Parameter.Minimum', `The parameter ${name} must be greater than or equal to 1.`) };
	}
	if (value > 100) {
		return { answer: errorAnswer(ctx, 400, 'Parameter.Maximum', `The parameter ${name} must be less than or equal to 100.`) };
	}
	return { value };
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function listInstances(state, ctx) {
	const pn = pagingParam(ctx, 'PageNumber');
	if ('answer' in pn) return { ok: false, answer: pn.answer };
	const ps = pagingParam(ctx, 'PageSize');
	if ('answer' in ps) return { ok: false, answer: ps.answer };
	const all = state.fixtures.order.map((id) => {
		const info = /** @type {Instance} */ (state.fixtures.instances.get(id)).info;
		return {
			Id: info.Id,
			Name: info.Name,
			Description: info.Description,
			Status: info.Status || 'RUNNING',
			DomainName: info.DomainName,
			ConsoleUrl: info.ConsoleUrl,
			CreateTime: info.CreateTime,
			AliyunUid: info.AliyunUid,
			Owner: info.Owner,
			NumberList: [],
			AdminList: [],
		};
	});
	const start = (pn.value - 1) * ps.value;
	return {
		ok: true,
		obj: {
			RequestId: ctx.requestId,
			Code: 'OK',
			HttpStatusCode: 200,
			Data: {
				PageNumber: pn.value,
				PageSize: ps.value,
				TotalCount: all.length,
				List: all.slice(start, start + ps.value),
			},
		},
	};
}

/** @type {Record<string, (state: State, ctx: Ctx) => ActionResult>} */
const ACTIONS = {
	LaunchAuthentication: launchAuthentication,
	ListInstances: listInstances,
};

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/**
 * @param {number} status
 * @returns {string}
 */
function htmlPage(status) {
	const title = `${status} ${http.STATUS_CODES[status] || 'Error'}`;
	return (
		'<html>\r\n<head><title>' +
		title +
		'</title></head>\r\n<body>\r\n<center><h1>' +
		title +
		'</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n'
	);
}

/**
 * @param {State} state
 * @param {Record<string, unknown>} obj
 * @param {number} bytes
 * @returns {Buffer}
 */
function hugeBody(state, obj, bytes) {
	const base = Buffer.from(JSON.stringify({ ...obj, Padding: '' }));
	const pad = Math.max(0, bytes - base.length);
	let padding = state.hugeCache.get(pad);
	if (!padding) {
		padding = Buffer.alloc(pad, 'x');
		state.hugeCache.clear();
		state.hugeCache.set(pad, padding);
	}
	// base ends with ,"Padding":""} : splice the padding between the quotes.
	return Buffer.concat([base.subarray(0, base.length - 2), padding, base.subarray(base.length - 2)]);
}

/**
 * A fault that acts before the action.
 * @param {Ctx} ctx
 * @param {import('./faults').Fault} f
 * @returns {Answer}
 */
function beforeFaultAnswer(ctx, f) {
	const outcome = `fault:${f.type}`;
	const delayMs = f.delayMs || 0;
	switch (f.type) {
		case 'throttle': {
			const a = errorAnswer(ctx, f.status || 429, f.code || 'Throttling.User', f.message || MSG.throttling);
			return { ...a, outcome, delayMs };
		}
		case 'server-error':
			return { ...serverError(ctx, f), outcome, delayMs };
		case 'reset-before':
			return { kind: 'reset', status: 0, outcome, launched: false, delayMs };
		case 'stall-before':
			return { kind: 'stall', status: 0, outcome, launched: false, destroyAfterMs: f.delayMs };
		case 'html': {
			const status = f.status || 502;
			return { kind: 'raw', status, contentType: 'text/html', body: htmlPage(status), outcome, launched: false, delayMs };
		}
		case 'ok-not-ok':
		default:
			return {
				kind: 'json',
				status: 200,
				obj: {
					RequestId: ctx.requestId,
					Code: f.code || 'Busy',
					Message: f.message || 'The system is busy, please try again later.',
					HttpStatusCode: 200,
				},
				outcome,
				launched: false,
				delayMs,
			};
	}
}

/**
 * @param {Ctx} ctx
 * @param {import('./faults').Fault} f
 * @returns {Answer}
 */
function serverError(ctx, f) {
	const status = f.status || 500;
	const code = f.code || (status === 503 ? 'ServiceUnavailable' : 'InternalError');
	const message = f.message || (status === 503 ? MSG.serviceUnavailable : MSG.internalError);
	return errorAnswer(ctx, status, code, message);
}

/**
 * A fault that acts after the action was carried out.
 * @param {State} state
 * @param {Ctx} ctx
 * @param {import('./faults').Fault} f
 * @param {Answer} normal the answer the client would have had
 * @param {ActionResult} result
 * @returns {Answer}
 */
function afterFaultAnswer(state, ctx, f, normal, result) {
	const outcome = `fault:${f.type}`;
	const launched = normal.launched;
	const delayMs = f.delayMs || 0;
	const obj = /** @type {Record<string, unknown>} */ (result.ok ? result.obj : result.answer.obj);
	switch (f.type) {
		case 'server-error':
			return { ...serverError(ctx, f), outcome, launched, delayMs };
		case 'reset-after':
			return { kind: 'reset', status: 0, outcome, launched, delayMs };
		case 'timeout':
			if (f.delayMs !== undefined) return { ...normal, outcome, launched, delayMs };
			return { kind: 'stall', status: 0, outcome, launched };
		case 'malformed-json':
			return {
				kind: 'raw',
				status: 200,
				contentType: 'application/json;charset=utf-8',
				body: `{"RequestId":"${ctx.requestId}","Data":{`,
				outcome,
				launched,
				delayMs,
			};
		case 'no-data': {
			const { Data: _omit, ...rest } = obj;
			return {
				kind: 'json',
				status: 200,
				obj: { ...rest, Code: 'OK', HttpStatusCode: typeof rest.HttpStatusCode === 'number' ? 200 : '200' },
				outcome,
				launched,
				delayMs,
			};
		}
		case 'huge':
		default:
			return {
				kind: 'raw',
				status: 200,
				contentType: 'application/json;charset=utf-8',
				body: hugeBody(state, obj, f.bytes === undefined ? DEFAULT_HUGE_BYTES : f.bytes),
				outcome,
				launched,
				delayMs,
			};
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Request pipeline                                                                           */
/* ------------------------------------------------------------------------------------------ */

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {Answer}
 */
function processRequest(state, ctx) {
	if (ctx.signatureVersion === 'v3') ctx.action = String(headerValue(ctx.headers['x-acs-action']) || '');
	if (ctx.method !== 'GET' && ctx.method !== 'POST') {
		return errorAnswer(ctx, 400, 'UnsupportedHTTPMethod', MSG.httpMethod);
	}
	try {
		ctx.queryPairs = parsePairs(ctx.rawQuery);
	} catch {
		return errorAnswer(ctx, 400, 'InvalidParameter', 'The query string is not well formed.');
	}
	for (const [k, v] of ctx.queryPairs) ctx.params[k] = v;
	const contentType = String(headerValue(ctx.headers['content-type']) || '').toLowerCase();
	if (ctx.body.length > 0) {
		try {
			if (contentType.startsWith('application/x-www-form-urlencoded')) {
				for (const [k, v] of parsePairs(ctx.body.toString('utf8'))) ctx.params[k] = v;
			} else if (contentType.startsWith('application/json')) {
				const parsed = JSON.parse(ctx.body.toString('utf8'));
				if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
					for (const [k, v] of Object.entries(parsed)) {
						ctx.params[k] = typeof v === 'string' ? v : JSON.stringify(v);
					}
				}
			}
		} catch {
			return errorAnswer(ctx, 400, 'InvalidParameter', 'The request body is not well formed.');
		}
	}
	if (ctx.signatureVersion === 'v1') ctx.action = ctx.params.Action || '';
	if (ctx.pathname !== '/') return errorAnswer(ctx, 404, 'InvalidAction.NotFound', MSG.actionNotFound);

	const authError = ctx.signatureVersion === 'v3' ? verifyV3(state, ctx) : verifyV1(state, ctx);
	if (authError) return authError;
	const key = /** @type {AccessKey} */ (ctx.accessKey);

	const version = ctx.signatureVersion === 'v3' ? String(headerValue(ctx.headers['x-acs-version'])) : ctx.params.Version;
	if (version !== API_VERSION) return errorAnswer(ctx, 400, 'InvalidVersion', 'Specified parameter Version is not valid.');
	const handler = Object.prototype.hasOwnProperty.call(ACTIONS, ctx.action) ? ACTIONS[ctx.action] : undefined;
	if (!handler) return errorAnswer(ctx, 404, 'InvalidAction.NotFound', MSG.actionNotFound);
	if (key.permissions && !key.permissions.includes('*') && !key.permissions.includes(ctx.action)) {
		return errorAnswer(ctx, 403, 'Forbidden.RAM', MSG.forbiddenRam);
	}

	const { fault, addedDelayMs } = state.faults.decide(ctx.action, ctx.params.JobId);
	if (fault && isBeforeAction(fault)) {
		const a = beforeFaultAnswer(ctx, fault);
		return { ...a, delayMs: (a.delayMs || 0) + addedDelayMs };
	}
	const result = handler(state, ctx);
	/** @type {Answer} */
	const normal = result.ok
		? { kind: 'json', status: 200, obj: result.obj, outcome: 'ok', launched: ctx.action === 'LaunchAuthentication' }
		: result.answer;
	if (!fault) return addedDelayMs ? { ...normal, delayMs: addedDelayMs } : normal;
	const a = afterFaultAnswer(state, ctx, fault, normal, result);
	return { ...a, delayMs: (a.delayMs || 0) + addedDelayMs };
}

/**
 * @typedef {object} RequestRecord
 * @property {number} at arrival time, ms since epoch
 * @property {string} action
 * @property {Record<string, string>} params business parameters only (no signature, key, token)
 * @property {'v3'|'v1'} signatureVersion
 * @property {string} outcome 'ok' | error Code | 'fault:<type>'
 * @property {number} status HTTP status sent (0 when none: reset, stall)
 * @property {boolean} launched the LaunchAuthentication was carried out
 */

/**
 * @param {Record<string, string>} params
 * @returns {Record<string, string>}
 */
function businessParams(params) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const k of Object.keys(params)) if (!COMMON_PARAMS.has(k)) out[k] = params[k];
	return out;
}

/**
 * @param {State} state
 * @param {number} ms
 * @param {() => void} fn
 */
function schedule(state, ms, fn) {
	const t = setTimeout(() => {
		state.timers.delete(t);
		fn();
	}, ms);
	if (typeof t.unref === 'function') t.unref();
	state.timers.add(t);
}

/**
 * @param {State} state
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {number} at
 * @param {Buffer | null} body null when too large
 */
function handle(state, req, res, at, body) {
	const rawUrl = req.url || '/';
	const q = rawUrl.indexOf('?');
	/** @type {Ctx} */
	const ctx = {
		at,
		requestId: crypto.randomUUID().toUpperCase(),
		method: String(req.method || 'GET').toUpperCase(),
		host: String(req.headers.host || ''),
		headers: req.headers,
		pathname: q < 0 ? rawUrl : rawUrl.slice(0, q),
		rawQuery: q < 0 ? '' : rawUrl.slice(q + 1),
		body: body || Buffer.alloc(0),
		signatureVersion: req.headers.authorization ? 'v3' : 'v1',
		action: '',
		queryPairs: [],
		params: {},
		accessKey: null,
	};
	/** @type {Answer} */
	let answer;
	if (body === null) {
		answer = errorAnswer(ctx, 413, 'RequestEntityTooLarge', 'The request body is too large.');
	} else {
		try {
			answer = processRequest(state, ctx);
		} catch (e) {
			answer = errorAnswer(ctx, 500, 'InternalError', `${MSG.internalError} (emulator: ${e instanceof Error ? e.message : String(e)})`);
		}
	}

	/** @type {RequestRecord} */
	const record = {
		at,
		action: ctx.action,
		params: businessParams(ctx.params),
		signatureVersion: ctx.signatureVersion,
		outcome: answer.outcome,
		status: answer.status,
		launched: answer.launched,
	};
	state.log.push(record);
	if (state.logLine) {
		state.logLine(
			`${new Date(at).toISOString()} ${record.action || '-'} ${record.signatureVersion} ${record.status || '---'} ${record.outcome}` +
				`${record.launched ? ' launched' : ''} ${JSON.stringify(record.params)}`,
		);
	}
	deliver(state, req, res, ctx, answer);
}

/**
 * @param {State} state
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 * @param {Ctx} ctx
 * @param {Answer} answer
 */
function deliver(state, req, res, ctx, answer) {
	if (answer.kind === 'stall') {
		if (answer.destroyAfterMs !== undefined) schedule(state, answer.destroyAfterMs, () => req.socket.destroy());
		return;
	}
	const send = () => {
		if (res.destroyed || res.writableEnded) return;
		if (answer.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		/** @type {string | Buffer} */
		let payload;
		let contentType;
		if (answer.kind === 'json') {
			payload = Buffer.from(JSON.stringify(answer.obj), 'utf8');
			contentType = 'application/json;charset=utf-8';
		} else {
			payload = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : /** @type {Buffer} */ (answer.body);
			contentType = answer.contentType || 'application/octet-stream';
		}
		res.writeHead(answer.status, {
			'content-type': contentType,
			'content-length': payload.length,
			'x-acs-request-id': ctx.requestId,
		});
		res.end(payload);
	};
	const delay = state.latencyMs + (answer.delayMs || 0);
	if (delay > 0) schedule(state, delay, send);
	else send();
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * @typedef {object} EmulatorOptions
 * @property {number} [port] default 0 (any free port)
 * @property {string} [host] default '127.0.0.1'
 * @property {string | Record<string, any>} [fixtures] fixtures object, or path of a JSON file (default emulator/fixtures.json)
 * @property {AccessKey[]} [accessKeys] replaces DEFAULT_ACCESS_KEYS
 * @property {import('./faults').Fault[]} [faults]
 * @property {number} [latencyMs] delay added to every answer
 * @property {((line: string) => void) | boolean} [log] one line per request (true: console.error)
 * @property {() => number} [now] clock for timestamp checks (ms since epoch), default Date.now
 */

/**
 * @typedef {object} Emulator
 * @property {string} endpoint e.g. 'http://127.0.0.1:8787'
 * @property {string} host
 * @property {number} port
 * @property {http.Server} server
 * @property {ReadonlyArray<Readonly<AccessKey>>} accessKeys
 * @property {RequestRecord[]} requests log of every request received (cleared by reset())
 * @property {(jobId?: string) => number} launchCount
 * @property {(windowMs?: number, action?: string | null) => number} maxRequestsInWindow
 * @property {() => number} maxInFlight most requests received and not yet answered at one time (since reset())
 * @property {(faults: import('./faults').Fault[] | null | undefined) => void} setFaults
 * @property {(ms: number) => void} setLatency
 * @property {() => void} reset
 * @property {() => Promise<void>} close
 */

/**
 * Start the emulator.
 * @param {EmulatorOptions} [options]
 * @returns {Promise<Emulator>}
 */
async function startEmulator(options = {}) {
	const keys = (options.accessKeys || DEFAULT_ACCESS_KEYS).map((k) => {
		if (!k || !k.accessKeyId || !k.accessKeySecret) throw new TypeError('every access key needs accessKeyId and accessKeySecret');
		return { ...k };
	});
	/** @type {((line: string) => void) | null} */
	let logLine = null;
	if (typeof options.log === 'function') logLine = options.log;
	else if (options.log === true) logLine = (line) => console.error(line);

	/** @type {State} */
	const state = {
		keys: new Map(keys.map((k) => [k.accessKeyId, k])),
		fixtures: loadFixtures(options.fixtures),
		faults: new FaultPlan(options.faults),
		latencyMs: Math.max(0, Number(options.latencyMs) || 0),
		nonces: new NonceStore(),
		log: [],
		now: options.now || Date.now,
		logLine,
		timers: new Set(),
		hugeCache: new Map(),
		inFlight: 0,
		maxInFlight: 0,
	};

	const server = http.createServer((req, res) => {
		const at = Date.now();
		state.inFlight++;
		if (state.inFlight > state.maxInFlight) state.maxInFlight = state.inFlight;
		res.on('close', () => {
			state.inFlight--;
		});
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size <= MAX_BODY_BYTES) chunks.push(c);
		});
		req.on('end', () => handle(state, req, res, at, size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
		req.on('error', () => {});
	});
	server.keepAliveTimeout = 30000;
	server.on('clientError', (_err, socket) => socket.destroy());

	const host = options.host || '127.0.0.1';
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port === undefined ? 0 : options.port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const port = address.port;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	let closed = false;

	/** @type {Emulator} */
	const emu = {
		endpoint: `http://${urlHost}:${port}`,
		host,
		port,
		server,
		accessKeys: Object.freeze(keys.map((k) => Object.freeze({ ...k }))),
		get requests() {
			return state.log;
		},
		launchCount(jobId) {
			let n = 0;
			for (const r of state.log) {
				if (r.launched && r.action === 'LaunchAuthentication' && (jobId === undefined || r.params.JobId === jobId)) n++;
			}
			return n;
		},
		maxRequestsInWindow(windowMs = 1000, action = 'LaunchAuthentication') {
			const times = state.log
				.filter((r) => action === null || action === undefined || action === '*' || r.action === action)
				.map((r) => r.at)
				.sort((a, b) => a - b);
			let best = 0;
			let lo = 0;
			for (let hi = 0; hi < times.length; hi++) {
				while (times[hi] - times[lo] >= windowMs) lo++;
				if (hi - lo + 1 > best) best = hi - lo + 1;
			}
			return best;
		},
		maxInFlight() {
			return state.maxInFlight;
		},
		setFaults(faults) {
			state.faults = new FaultPlan(faults);
		},
		setLatency(ms) {
			state.latencyMs = Math.max(0, Number(ms) || 0);
		},
		reset() {
			state.log.length = 0;
			state.maxInFlight = state.inFlight;
			state.nonces.clear();
			state.faults.reset();
		},
		async close() {
			if (closed) return;
			closed = true;
			for (const t of state.timers) clearTimeout(t);
			state.timers.clear();
			await new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
	return emu;
}

module.exports = {
	startEmulator,
	DEFAULT_ACCESS_KEYS,
	API_VERSION,
	loadFixtures,
};
