import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { CccCallError } from '../transport/errors';
import { CallCancelledError } from '../transport/callScheduler';

/** Plain-language advice for the CCC error codes a user can act on, by exact code or by prefix. */
const HINTS: Array<[RegExp, string]> = [
	[/^NotExists\.InstanceId$/, 'No CCC instance has this Instance ID in the credential’s region. Copy the instance ID from the CCC console (e.g. "ccc-test") and check that the credential’s Region or Custom Endpoint is the instance’s region.'],
	[/^NotExists\.JobId$/, 'No call with this Job ID exists in the instance. LaunchAuthentication works only while the call is live: check that the Job ID comes from the current call event and has not ended.'],
	[/^NotExists\.ChannelId$/, 'The call has no channel for this agent. The User ID must be the agent who is on the call (the one whose workbench is Device ID).'],
	[/^MissingParameter|^Missing[A-Z]/, 'A required request parameter was not sent. Check that every field of the node has a value for this item.'],
	[/^InvalidAccessKeyId\.NotFound$/, 'The AccessKey ID does not exist. Check the credential’s AccessKey ID (it starts with "LTAI" for a RAM user, "STS." for a temporary key).'],
	[/^InvalidAccessKeyId\.Inactive$/, 'The AccessKey is disabled. Enable it in the RAM console or create a new one.'],
	[/^InvalidAccessKeyId/, 'The AccessKey ID is not accepted. Check the credential’s AccessKey ID.'],
	[/^SignatureDoesNotMatch$|^IncompleteSignature$/, 'The signature does not match: the AccessKey Secret is wrong for this AccessKey ID. Paste the secret again in the credential.'],
	[/^InvalidTimeStamp|^InvalidTimestamp/, 'The request time is too far from Alibaba Cloud’s clock. Synchronize the clock of the machine that runs n8n (NTP).'],
	[/^SignatureNonceUsed$/, 'The request nonce was reused (a replayed request). Run the node again.'],
	[/^InvalidSecurityToken|^SecurityTokenExpired|^MissingSecurityToken/, 'The STS Security Token is expired, wrong, or does not belong to this AccessKey ID. Issue a new temporary credential or clear the Security Token field for a permanent key.'],
	[/^Forbidden|^NoPermission|^NotAuthorized|^Unauthorized/, 'The RAM user or role lacks permission. Grant it the "ccc:LaunchAuthentication" action (for example with the AliyunCCCFullAccess policy) on this instance.'],
	[/^Throttling/, 'Alibaba Cloud is limiting the request rate. Lower "Max Requests per Second" or "Concurrency", or raise "Max Retries".'],
	[/^InvalidAction|^InvalidVersion/, 'The endpoint does not offer this CCC action/version. Check that the credential points at a CCC endpoint.'],
	[/^(InternalError|ServiceUnavailable|UnknownError)/, 'Alibaba Cloud had an internal error. The authentication may or may not have been launched; check the call before running again.'],
];

export function hintFor(code: string | undefined): string | undefined {
	if (!code) return undefined;
	return HINTS.find(([pattern]) => pattern.test(code))?.[1];
}

/** What an error item carries in its JSON with Continue On Fail. */
export function errorItemJson(error: NodeApiError | NodeOperationError): IDataObject {
	const context = error.context ?? {};
	return {
		error: error.message,
		code: (context.code as string | undefined) ?? null,
		requestId: (context.requestId as string | undefined) ?? null,
	};
}

/** Converts any failure of one item into the n8n error that names the item, with secrets removed. */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	redact: (text: string) => string,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const attempts = (error as { attempts?: number } | null)?.attempts ?? 1;
	const attemptsNote = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	if (error instanceof CallCancelledError) {
		const cancelled = new NodeOperationError(node, error.message, { itemIndex });
		cancelled.context.cancelled = true;
		return cancelled;
	}
	if (error instanceof CccCallError) {
		const d = error.details;
		const message = redact(d.code ? `CCC error ${d.code}: ${d.message}` : d.message);
		const descriptionParts = [
			hintFor(d.code),
			d.requestId ? `RequestId: ${d.requestId}` : undefined,
			d.httpStatus ? `HTTP status: ${d.httpStatus}` : undefined,
			d.recommend ? `Alibaba diagnosis: ${d.recommend}` : undefined,
			`Item ${itemIndex}${attemptsNote}.`,
		].filter(Boolean);
		const response: JsonObject = {
			Code: d.code ?? d.kind,
			Message: redact(d.message),
			RequestId: d.requestId ?? null,
			HostId: d.hostId ?? null,
			httpCode: d.httpStatus ? String(d.httpStatus) : null,
		};
		const apiError = new NodeApiError(node, response, {
			message,
			description: redact(descriptionParts.join(' ')),
			httpCode: d.httpStatus ? String(d.httpStatus) : undefined,
			itemIndex,
		});
		// n8n swaps messages that mention ECONNRESET, ETIMEDOUT... for a generic text; ours says more
		// (whether anything was sent, whether the launch may have happened), so keep it.
		apiError.message = message;
		apiError.context.code = d.code ?? d.kind;
		apiError.context.requestId = d.requestId ?? null;
		apiError.context.launchMayHaveHappened = d.launchMayHaveHappened;
		return apiError;
	}
	const message = error instanceof Error ? error.message : String(error);
	const opError = new NodeOperationError(node, redact(`${message}${attemptsNote}`), { itemIndex });
	opError.context.code = (error as { code?: string } | null)?.code ?? null;
	return opError;
}
