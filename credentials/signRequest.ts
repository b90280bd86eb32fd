import { randomUUID } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { endpointUrl, EndpointConfigError, resolveEndpoint } from './endpoint';

export const CCC_API_VERSION = '2020-07-01';

type OpenApiUtil = typeof import('@alicloud/openapi-util').default;
let utilPromise: Promise<OpenApiUtil> | undefined;

/** Alibaba's signing library, loaded on first use so that n8n's start-up does not pay for it. */
function loadOpenApiUtil(): Promise<OpenApiUtil> {
	utilPromise ??= import('@alicloud/openapi-util').then((m) => (m as { default: OpenApiUtil }).default ?? (m as unknown as OpenApiUtil));
	return utilPromise;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * Signs any CCC RPC request made with this credential (e.g. by n8n's HTTP Request node with
 * "Predefined Credential Type"), with Alibaba's RPC signature (HMAC-SHA1, signature version 1.0) computed
 * by Alibaba's own library (@alicloud/openapi-util `getRPCSignature`).
 *
 * The request names the action in the query (`Action=ListInstances`) and may give its parameters as query
 * parameters or as a body object; `Version` defaults to 2020-07-01. A relative URL goes to the
 * credential's endpoint. Everything is sent as signed query parameters to the path "/".
 */
export async function signCccRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const accessKeyId = text(credentials.accessKeyId);
	const accessKeySecret = text(credentials.accessKeySecret);
	const securityToken = text(credentials.securityToken);
	if (!accessKeyId || !accessKeySecret) {
		throw new EndpointConfigError('The Alibaba Cloud CCC API credential needs an AccessKey ID and an AccessKey Secret.');
	}
	const base = requestOptions.baseURL || endpointUrl(resolveEndpoint(credentials));
	// n8n's HTTP Request node passes the legacy request-library option `uri` rather than `url`.
	const legacyUri = (requestOptions as { uri?: string }).uri;
	const url = new URL(requestOptions.url || legacyUri || '/', base);
	if (url.pathname !== '/' && url.pathname !== '') {
		throw new EndpointConfigError(
			`CCC RPC requests go to the path "/" of the endpoint (got "${url.pathname}"). Put the action and its parameters in the query, e.g. ?Action=ListInstances&PageNumber=1.`,
		);
	}

	const params: Record<string, string> = {};
	const add = (key: string, value: unknown) => {
		if (value === undefined || value === null) return;
		params[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	};
	url.searchParams.forEach((value, key) => add(key, value));
	for (const [key, value] of Object.entries(requestOptions.qs ?? {})) add(key, value);
	const body = requestOptions.body;
	const bodyIsParams = !!body && typeof body === 'object' && !Buffer.isBuffer(body) && !Array.isArray(body) && !(body instanceof URLSearchParams);
	if (bodyIsParams) for (const [key, value] of Object.entries(body as Record<string, unknown>)) add(key, value);
	if (!params.Action) {
		throw new EndpointConfigError('Add the query parameter "Action" with the CCC action to call, e.g. Action=ListInstances.');
	}
	for (const key of ['Signature', 'AccessKeyId', 'SecurityToken', 'SignatureNonce', 'Timestamp', 'SignatureMethod', 'SignatureVersion']) {
		delete params[key];
	}
	const util = await loadOpenApiUtil();
	params.Version ??= CCC_API_VERSION;
	params.Format ??= 'JSON';
	params.AccessKeyId = accessKeyId;
	params.SignatureMethod = 'HMAC-SHA1';
	params.SignatureVersion = '1.0';
	params.SignatureNonce = randomUUID();
	params.Timestamp = util.getTimestamp();
	if (securityToken) params.SecurityToken = securityToken;
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	params.Signature = util.getRPCSignature(params, method, accessKeySecret);

	const signed: IHttpRequestOptions = { ...requestOptions, url: `${url.origin}/`, qs: params };
	delete signed.baseURL;
	if (legacyUri !== undefined) (signed as { uri?: string }).uri = `${url.origin}/`;
	if (bodyIsParams) delete signed.body;
	return signed;
}
