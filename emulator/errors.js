'use strict';

/**
 * Alibaba-style error answers of the emulator.
 *
 * Error body: { RequestId, HostId, Code, Message, Recommend }, content-type application/json;charset=utf-8,
 * header x-acs-request-id = RequestId.
 *
 * Error codes and where they come from (Alibaba documentation / error center, found via search;
 * "guess" marks what could not be confirmed):
 *   InvalidAccessKeyId.NotFound 404 "Specified access key is not found."            (POP common errors)
 *   SignatureDoesNotMatch 400 "Specified signature does not match our calculation." followed by what the
 *     server signed, echoed as Alibaba does (never redacted: see verify.js for the exact wording and sources)
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
 *   NotExists.UserId 404 "The specified user %s does not exist." (guess; also for a LaunchAuthentication
 *     without UserId on a call that has no agent: guess)
 *   Parameter.Invalid 400 for a ContactFlowVariables that is not a JSON object string (guess; CCC uses
 *     Parameter.Null / Parameter.Maximum / Parameter.Minimum for other parameter errors)
 *   Parameter.Minimum / Parameter.Maximum 400 for ListInstances paging (CCC error pages)
 *   The read actions' own errors (Parameter.Format, Parameter.Enumeration, NotExists.InstanceId on
 *     ListContactFlows / ListUsers / ListIvrTrackingDetails / GetIvrTrackingSummary) and their sources: the
 *     headers of directory.js and ivrTrace.js; actions/envelope.js turns them into this error body.
 *   InvalidParameter 400 (query or body not parsable), RequestEntityTooLarge 413 (body over 1 MB): guesses,
 *     Alibaba's names not found.
 *
 * The emulator's own code, not Alibaba's (Alibaba would verify the request):
 *   Emulator.V3SignatureOnly 400 for an RPC V1 (HMAC-SHA1) signed request: the emulator verifies only V3
 *     (ACS3-HMAC-SHA256), the only signature this package sends, and refuses V1 rather than accept it unchecked.
 */

/**
 * @typedef {import('./types').Ctx} Ctx
 * @typedef {import('./types').Answer} Answer
 */

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
	v3SignatureOnly:
		'The CCC emulator verifies only V3 (ACS3-HMAC-SHA256) signatures, and this package sends only V3. This request ' +
		'carries an RPC V1 (HMAC-SHA1) signature (Signature / AccessKeyId parameters, no ACS3 Authorization header): ' +
		'Alibaba still accepts V1, the emulator does not check it and refuses it.',
};

/** The emulator's code for a V1-signed request (not an Alibaba code: Alibaba would verify it). */
const V3_ONLY_CODE = 'Emulator.V3SignatureOnly';

/**
 * Alibaba's error-center link for a code, as in its error bodies.
 * @param {string} code
 * @param {string} requestId
 * @returns {string}
 */
function recommendUrl(code, requestId) {
	return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=CCC&requestId=${requestId}`;
}

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
			Recommend: recommendUrl(code, ctx.requestId),
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

module.exports = { MSG, V3_ONLY_CODE, errorAnswer, missing, incomplete, recommendUrl };
