import type { IncomingMessage } from 'node:http';

import type { CccEndpoint } from '../../../credentials/endpoint';
import { CccCallError, type CccFailureDetails } from './errors';
import { withRequestPhase, type RequestPhase } from './requestPhase';
import { CCC_API_VERSION } from '../../../credentials/signRequest';

/** Answers larger than this are refused (a LaunchAuthentication answer is a few kB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface CccClientConfig {
	endpoint: CccEndpoint;
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
	connectTimeoutMs: number;
	readTimeoutMs: number;
}

/** A successful CCC answer: the parsed body (Code is OK) and its RequestId. */
export interface CccResponse {
	body: Record<string, unknown>;
	requestId: string;
	httpStatus: number;
}

type Sdk = typeof import('@alicloud/openapi-client');
type TeaUtil = typeof import('@alicloud/tea-util');
type RawBody = typeof import('raw-body');

let sdkPromise: Promise<[Sdk, TeaUtil, RawBody]> | undefined;

/** Loads the Alibaba SDK on first use: n8n loads every node at boot and must not pay for it there. */
function loadSdk(): Promise<[Sdk, TeaUtil, RawBody]> {
	sdkPromise ??= Promise.all([
		import('@alicloud/openapi-client'),
		import('@alicloud/tea-util'),
		import('raw-body').then((m) => ((m as { default?: RawBody }).default ?? m) as RawBody),
	]);
	return sdkPromise;
}

const CONNECT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * One signed CCC client per execution. Calls go through the SDK's `callApi` (RPC style, V3
 * ACS3-HMAC-SHA256 signature) over the SDK's shared keep-alive agent; retries are not done here.
 */
export class CccClient {
	private constructor(
		private readonly sdk: Sdk,
		private readonly util: TeaUtil,
		private readonly rawBody: RawBody,
		private readonly client: InstanceType<Sdk['default']>,
		private readonly config: CccClientConfig,
	) {}

	static async create(config: CccClientConfig): Promise<CccClient> {
		const [sdk, util, rawBody] = await loadSdk();
		const client = new sdk.default(
			new sdk.Config({
				accessKeyId: config.accessKeyId,
				accessKeySecret: config.accessKeySecret,
				securityToken: config.securityToken || undefined,
				endpoint: config.endpoint.host,
				protocol: config.endpoint.protocol,
				connectTimeout: config.connectTimeoutMs,
				readTimeout: config.readTimeoutMs,
			}),
		);
		return new CccClient(sdk, util, rawBody, client, config);
	}

	/** Calls an RPC action with string parameters and returns the parsed body, or throws a CccCallError. */
	async call(action: string, parameters: Record<string, string>): Promise<CccResponse> {
		const { sdk, util, config } = this;
		const params = new sdk.Params({
			action,
			version: CCC_API_VERSION,
			protocol: config.endpoint.protocol.toUpperCase(),
			pathname: '/',
			method: 'POST',
			authType: 'AK',
			style: 'RPC',
			reqBodyType: 'formData',
			// The answer's stream, read below with a size limit and the read timeout (see readAnswer).
			bodyType: 'binary',
		});
		const request = new sdk.OpenApiRequest({ query: parameters });
		const runtime = new util.RuntimeOptions({
			autoretry: false,
			connectTimeout: config.connectTimeoutMs,
			readTimeout: config.readTimeoutMs,
		});
		const phase: RequestPhase = { connected: false, written: false, readTimeoutMs: config.readTimeoutMs };
		let status: number;
		let text: string;
		try {
			const raw = (await withRequestPhase(phase, () => this.client.callApi(params, request, runtime))) as { body: IncomingMessage; statusCode?: number };
			status = raw.statusCode ?? 200;
			text = await this.readAnswer(raw.body);
		} catch (error) {
			throw this.classify(error, phase);
		}
		return parseSuccess(text, status);
	}

	/** Reads a 2xx answer's body: at most MAX_RESPONSE_BYTES, within the read timeout. */
	private readAnswer(body: IncomingMessage): Promise<string> {
		const timer = setTimeout(() => {
			body.destroy(Object.assign(new Error(`ReadTimeout(${this.config.readTimeoutMs})`), { name: 'RequestTimeoutError' }));
		}, this.config.readTimeoutMs);
		return this.rawBody(body, { limit: MAX_RESPONSE_BYTES, encoding: 'utf8' }).finally(() => clearTimeout(timer));
	}

	private classify(error: unknown, phase: RequestPhase): CccCallError {
		const e = (error ?? {}) as {
			name?: string;
			code?: string;
			message?: string;
			statusCode?: number;
			data?: Record<string, unknown>;
		};
		if (e.data && typeof e.data === 'object' && (str(e.data.Code) || str(e.data.code))) {
			const data = e.data;
			const status = typeof e.statusCode === 'number' ? e.statusCode : Number(data.statusCode) || undefined;
			return new CccCallError({
				kind: 'api',
				code: str(data.Code) ?? str(data.code),
				message: str(data.Message) ?? str(data.message) ?? 'CCC returned an error without a message',
				requestId: str(data.RequestId) ?? str(data.requestId),
				hostId: str(data.HostId),
				recommend: str(data.Recommend),
				httpStatus: status,
				// An error answer means the request was rejected; a 5xx may have been raised after the launch.
				launchMayHaveHappened: status !== undefined && status >= 500,
			});
		}
		if ((error as { type?: string }).type === 'entity.too.large') {
			return new CccCallError({
				kind: 'bad-response',
				message: `The endpoint’s answer is more than the ${MAX_RESPONSE_BYTES} bytes a CCC answer can be; refused.`,
				httpStatus: 200,
				launchMayHaveHappened: true,
			});
		}
		if (error instanceof SyntaxError) {
			return new CccCallError({
				kind: 'bad-response',
				message:
					'The endpoint answered with an HTTP error whose body is not JSON (for example an HTML page from a proxy or gateway). Check the credential’s endpoint and any proxy between n8n and Alibaba Cloud.',
				launchMayHaveHappened: true,
			});
		}
		const sysCode = typeof e.code === 'string' ? e.code : undefined;
		const endpoint = `${this.config.endpoint.protocol}://${this.config.endpoint.host}`;
		const isTimeout = e.name === 'RequestTimeoutError' || /Timeout/.test(e.message ?? '');
		if (!phase.connected) {
			if (isTimeout) {
				return new CccCallError({
					kind: 'connect',
					message: `Connect timeout: no connection to ${endpoint} within ${this.config.connectTimeoutMs} ms. Nothing was sent.`,
					timeout: { which: 'connect', afterMs: this.config.connectTimeoutMs },
					launchMayHaveHappened: false,
				});
			}
			const why = sysCode && CONNECT_ERROR_CODES.has(sysCode) ? sysCode : (sysCode ?? e.name ?? 'connection error');
			return new CccCallError({
				kind: 'connect',
				message: `Cannot reach ${endpoint} (${why}). Nothing was sent. Check the credential’s Region or Custom Endpoint and the network.`,
				launchMayHaveHappened: false,
			});
		}
		if (isTimeout) {
			return new CccCallError({
				kind: 'no-response',
				message: `Read timeout: ${endpoint} did not answer within ${this.config.readTimeoutMs} ms after the request was sent. The authentication may or may not have been launched.`,
				timeout: { which: 'read', afterMs: this.config.readTimeoutMs },
				launchMayHaveHappened: true,
			});
		}
		return new CccCallError({
			kind: 'no-response',
			message: `The connection to ${endpoint} failed after the request was sent (${sysCode ?? e.name ?? 'error'}). The authentication may or may not have been launched.`,
			launchMayHaveHappened: true,
		});
	}
}

/** JSON.parse that answers undefined instead of throwing. */
export function parseJsonOrUndefined(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Turns the raw body of an HTTP 2xx answer into a CccResponse, refusing anything that is not a CCC success. */
export function parseSuccess(body: unknown, httpStatus: number): CccResponse {
	const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : '';
	const base: Omit<CccFailureDetails, 'message'> = { kind: 'bad-response', httpStatus, launchMayHaveHappened: true };
	if (Buffer.byteLength(text, 'utf8') > MAX_RESPONSE_BYTES) {
		throw new CccCallError({
			...base,
			message: `The endpoint’s answer is ${Buffer.byteLength(text, 'utf8')} bytes, more than the ${MAX_RESPONSE_BYTES} bytes a CCC answer can be; refused.`,
		});
	}
	const parsed = parseJsonOrUndefined(text);
	if (parsed === undefined) {
		const looksHtml = /^\s*</.test(text);
		throw new CccCallError({
			...base,
			message: looksHtml
				? `The endpoint answered HTTP ${httpStatus} with an HTML page instead of JSON (a proxy, captive portal or wrong endpoint?).`
				: `The endpoint answered HTTP ${httpStatus} with a body that is not valid JSON${text === '' ? ' (empty)' : ''}.`,
		});
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new CccCallError({ ...base, message: `The endpoint answered HTTP ${httpStatus} with JSON that is not an object.` });
	}
	const obj = parsed as Record<string, unknown>;
	const requestId = str(obj.RequestId) ?? '';
	const code = str(obj.Code);
	if (code !== undefined && code !== 'OK') {
		throw new CccCallError({
			kind: 'api',
			code,
			message: str(obj.Message) ?? `CCC answered with Code ${code}`,
			requestId,
			httpStatus: Number(obj.HttpStatusCode) || httpStatus,
			launchMayHaveHappened: false,
		});
	}
	return { body: obj, requestId, httpStatus };
}
