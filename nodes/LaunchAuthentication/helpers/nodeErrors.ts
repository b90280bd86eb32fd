import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { CallCancelledError, CccCallError } from '../transport/cccCallError';
import { hintFor } from './errorCodes';
import type { Redactor } from './redact';

export { hintFor };

export type ItemError = NodeApiError | NodeOperationError;

/** What an error item carries in its JSON with Continue On Fail. */
export function errorItemJson(error: ItemError): IDataObject {
	const context = error.context ?? {};
	return {
		error: error.message,
		code: (context.code as string | undefined) ?? null,
		requestId: (context.requestId as string | undefined) ?? null,
	};
}

/**
 * Converts any failure of one item into the n8n error that names the item. Every text that came from the
 * answer (code, message, RequestId, HostId, Recommend) or from an error is redacted: an endpoint or proxy
 * may echo the request, token included.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
	redact: Redactor,
): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const attempts = (error as { attempts?: number } | null)?.attempts ?? 1;
	const attemptsNote = attempts > 1 ? ` (after ${attempts} attempts)` : '';
	if (error instanceof CallCancelledError) {
		const cancelled = new NodeOperationError(node, error.message, { itemIndex });
		cancelled.context.cancelled = true;
		cancelled.context.code = error.reason;
		return cancelled;
	}
	if (error instanceof CccCallError) {
		const d = error.details;
		const code = d.code === undefined ? undefined : redact(d.code);
		const requestId = d.requestId === undefined ? undefined : redact(d.requestId);
		// Only CCC's own codes are named as CCC errors; the node's own (SSRF_BLOCKED) speak for themselves.
		const message = redact(
			code && d.kind === 'api' ? `CCC error ${code}: ${d.message}` : d.message,
		);
		const descriptionParts = [
			hintFor(d.code),
			requestId ? `RequestId: ${requestId}` : undefined,
			d.httpStatus ? `HTTP status: ${d.httpStatus}` : undefined,
			d.recommend ? `Alibaba diagnosis: ${d.recommend}` : undefined,
			`Item ${itemIndex}${attemptsNote}.`,
		].filter(Boolean);
		const response: JsonObject = {
			Code: code ?? d.kind,
			Message: redact(d.message),
			RequestId: requestId ?? null,
			HostId: d.hostId === undefined ? null : redact(d.hostId),
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
		apiError.context.code = code ?? d.kind;
		apiError.context.requestId = requestId ?? null;
		apiError.context.launchMayHaveHappened = d.launchMayHaveHappened;
		if (d.kind === 'cancelled') apiError.context.cancelled = true;
		return apiError;
	}
	const message = error instanceof Error ? error.message : String(error);
	const opError = new NodeOperationError(node, redact(`${message}${attemptsNote}`), { itemIndex });
	const code = (error as { code?: unknown } | null)?.code;
	opError.context.code = typeof code === 'string' ? redact(code) : null;
	return opError;
}

/**
 * The item a failed input becomes with Continue On Fail: `{ error, code, requestId }`, linked to it.
 * With "On Error: Continue (using error output)" it also carries the error itself, which is how n8n
 * recognizes it for the error output (n8n then shows it as `{ error }` with the full error attached).
 */
export function errorOutput(node: INode, error: ItemError, itemIndex: number): INodeExecutionData {
	const item: INodeExecutionData = { json: errorItemJson(error), pairedItem: { item: itemIndex } };
	if (node.onError === 'continueErrorOutput') item.error = error;
	return item;
}
