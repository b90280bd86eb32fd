import { randomUUID } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { lazyModule } from '../utils/lazyModule';
import { readCccCredential, type CccCredential } from './cccCredential';
import { CredentialConfigError } from './credentialConfigError';
import { endpointUrl } from './endpoint';

/**
 * How every CCC request is signed: Alibaba's V3 signature, ACS3-HMAC-SHA256, computed by Alibaba's own
 * library (@alicloud/openapi-util `getAuthorization`, the function Alibaba's SDK calls), for RPC-style
 * actions whose parameters travel in the query. V3 is Alibaba's current signature method; its documentation
 * asks users of the older methods (the RPC HMAC-SHA1 signature among them) to switch:
 * https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature
 *
 * This file is the only one that knows it: the node's transport, the credential test and n8n's HTTP
 * Request node (through the credential's `authenticate`) all sign here.
 */
export const CCC_API_VERSION = '2020-07-01';
const ALGORITHM = 'ACS3-HMAC-SHA256';

type OpenApiUtil = typeof import('@alicloud/openapi-util').default;
const loadOpenApiUtil = lazyModule<OpenApiUtil>(() => import('@alicloud/openapi-util'));

/** A request ready to send: POST or GET to the endpoint's root, the action's parameters in the query. */
export interface SignedCccRequest {
	method: string;
	/** Origin and path ("https://ccc.cn-shanghai.aliyuncs.com/"), without the query. */
	url: string;
	/** The query string (without "?"), each key and value percent-encoded as V3 canonicalizes them. */
	query: string;
	headers: Record<string, string>;
}

/** What a request to sign holds: the action, its parameters (text) and, rarely, a body whose hash is signed. */
export interface CccAction {
	action: string;
	parameters: Record<string, string>;
	method?: string;
	body?: string | Buffer;
}

/** The V3 headers and Authorization for one request. */
async function v3Headers(
	credential: CccCredential,
	request: CccAction,
	method: string,
	host: string,
): Promise<Record<string, string>> {
	const util = await loadOpenApiUtil();
	const payloadHash = util.hexEncode(util.hash(Buffer.from(request.body ?? ''), ALGORITHM));
	const headers: Record<string, string> = {
		host,
		'x-acs-action': request.action,
		'x-acs-version': CCC_API_VERSION,
		'x-acs-date': util.getTimestamp(),
		'x-acs-signature-nonce': randomUUID(),
		'x-acs-content-sha256': payloadHash,
	};
	if (credential.securityToken) {
		headers['x-acs-accesskey-id'] = credential.accessKeyId;
		headers['x-acs-security-token'] = credential.securityToken;
	}
	const canonical = { pathname: '/', method, query: request.parameters, headers };
	headers.Authorization = util.getAuthorization(
		canonical as never,
		ALGORITHM,
		payloadHash,
		credential.accessKeyId,
		credential.accessKeySecret,
	);
	return headers;
}

/** Signs one CCC action for the credential's endpoint (the node's transport and the credential test send it). */
export async function signCccAction(
	credential: CccCredential,
	request: CccAction,
): Promise<SignedCccRequest> {
	const util = await loadOpenApiUtil();
	const method = (request.method ?? 'POST').toUpperCase();
	const headers = await v3Headers(credential, request, method, credential.endpoint.host);
	const query = Object.keys(request.parameters)
		.sort()
		.map((key) => `${util.getEncodeParam(key)}=${util.getEncodeParam(request.parameters[key])}`)
		.join('&');
	return { method, url: `${endpointUrl(credential.endpoint)}/`, query, headers };
}

/** Query and body parameters of an HTTP Request node request, as text, without any signature fields. */
function requestParameters(
	url: URL,
	options: IHttpRequestOptions,
	bodyIsParameters: boolean,
): Record<string, string> {
	const parameters: Record<string, string> = {};
	const add = (key: string, value: unknown) => {
		if (value === undefined || value === null) return;
		parameters[key] = typeof value === 'object' ? JSON.stringify(value) : String(value);
	};
	url.searchParams.forEach((value, key) => add(key, value));
	for (const [key, value] of Object.entries(options.qs ?? {})) add(key, value);
	if (bodyIsParameters)
		for (const [key, value] of Object.entries(options.body as Record<string, unknown>))
			add(key, value);
	// V3 puts action and version in headers; V1 leftovers in the query would only confuse the endpoint.
	for (const key of [
		'Action',
		'Version',
		'Signature',
		'AccessKeyId',
		'SecurityToken',
		'SignatureNonce',
		'Timestamp',
		'SignatureMethod',
		'SignatureVersion',
		'Format',
	]) {
		delete parameters[key];
	}
	return parameters;
}

/**
 * The credential's `authenticate`: signs any CCC request made with it, e.g. by n8n's HTTP Request node with
 * "Predefined Credential Type". The request names the action in the query (`Action=ListUsers`) and gives its
 * parameters in the query or as a body object (moved to the query); `Version` defaults to 2020-07-01.
 * A relative URL goes to the credential's endpoint.
 */
export async function authenticateCccRequest(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const credential = readCccCredential(credentials);
	const base = requestOptions.baseURL || endpointUrl(credential.endpoint);
	// n8n's HTTP Request node passes the legacy request-library option `uri` rather than `url`.
	const legacyUri = (requestOptions as { uri?: string }).uri;
	const url = new URL(requestOptions.url || legacyUri || '/', base);
	if (url.pathname !== '/' && url.pathname !== '') {
		throw new CredentialConfigError(
			`CCC requests go to the path "/" of the endpoint (got "${url.pathname}"). Put the action and its parameters in the query, e.g. ?Action=ListInstances&PageNumber=1.`,
		);
	}
	const body = requestOptions.body;
	const bodyIsParameters =
		!!body &&
		typeof body === 'object' &&
		!Buffer.isBuffer(body) &&
		!Array.isArray(body) &&
		!(body instanceof URLSearchParams);
	const bodyText = typeof body === 'string' || Buffer.isBuffer(body) ? body : undefined;
	const given = (name: string): string | undefined => {
		const value =
			url.searchParams.get(name) ??
			requestOptions.qs?.[name] ??
			(bodyIsParameters ? (body as Record<string, unknown>)[name] : undefined);
		return value === undefined || value === null || value === '' ? undefined : String(value);
	};
	const action = given('Action');
	if (!action)
		throw new CredentialConfigError(
			'Add the query parameter "Action" with the CCC action to call, e.g. Action=ListInstances.',
		);
	const version = given('Version') ?? CCC_API_VERSION;
	if (version !== CCC_API_VERSION)
		throw new CredentialConfigError(
			`This credential signs CCC API ${CCC_API_VERSION} requests (got Version=${version}).`,
		);
	const parameters = requestParameters(url, requestOptions, bodyIsParameters);
	const method = (requestOptions.method ?? 'GET').toUpperCase();
	const headers = await v3Headers(
		credential,
		{ action, parameters, body: bodyText },
		method,
		url.host,
	);
	delete headers.host; // the HTTP client sets Host from the URL: the same value that was signed

	const signed: IHttpRequestOptions = {
		...requestOptions,
		url: `${url.origin}/`,
		qs: parameters,
		headers: { ...(requestOptions.headers ?? {}), ...headers },
	};
	delete signed.baseURL;
	if (legacyUri !== undefined) (signed as { uri?: string }).uri = `${url.origin}/`;
	if (bodyIsParameters) delete signed.body;
	return signed;
}
