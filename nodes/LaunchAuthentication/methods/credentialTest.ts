import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { EndpointConfigError } from '../../../credentials/endpoint';
import { signCccRequest } from '../../../credentials/signRequest';
import { redactorFor } from '../helpers/credentials';
import { hintFor } from '../helpers/errors';
import { parseJsonOrUndefined, parseSuccess } from '../transport/cccClient';
import { CccCallError } from '../transport/errors';

const TEST_TIMEOUT_MS = 10_000;

/** Why a signed call failed, in the words a person fixing the credential needs. */
export function explainCredentialFailure(error: CccCallError): string {
	const { kind, code, message } = error.details;
	if (kind === 'connect' || kind === 'no-response') return `Endpoint unreachable: ${message}`;
	if (kind === 'bad-response') return `Not a CCC endpoint: ${message}`;
	const c = code ?? '';
	const label = /^InvalidAccessKeyId/.test(c)
		? 'Wrong AccessKey ID'
		: /^(SignatureDoesNotMatch|IncompleteSignature)$/.test(c)
			? 'Wrong AccessKey Secret'
			: /^(Forbidden|NoPermission|NotAuthorized|Unauthorized)/.test(c)
				? 'Missing RAM permission'
				: /^(InvalidSecurityToken|SecurityTokenExpired|MissingSecurityToken)/.test(c)
					? 'Wrong or expired Security Token'
					: 'CCC refused the request';
	return [`${label} (${c}): ${message}`, hintFor(c)].filter(Boolean).join(' ');
}

function errorFromBody(status: number, body: string): CccCallError {
	const parsed = parseJsonOrUndefined(body) as Record<string, unknown> | null | undefined;
	if (parsed && typeof parsed.Code === 'string') {
		return new CccCallError({
			kind: 'api',
			code: parsed.Code,
			message: typeof parsed.Message === 'string' ? parsed.Message : `HTTP ${status}`,
			requestId: typeof parsed.RequestId === 'string' ? parsed.RequestId : undefined,
			httpStatus: status,
			launchMayHaveHappened: false,
		});
	}
	return new CccCallError({
		kind: 'bad-response',
		message: `HTTP ${status} with a body that is not a CCC error (${/^\s*</.test(body) ? 'an HTML page' : 'not JSON'}).`,
		httpStatus: status,
		launchMayHaveHappened: false,
	});
}

/**
 * Credential test: a read-only ListInstances call (PageSize 1), signed by the credential's own
 * `authenticate` function (the signing the HTTP Request node uses too), sent to the credential's endpoint.
 */
export async function alibabaCloudCccApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const redact = redactorFor(data);
	let signed;
	try {
		signed = await signCccRequest(data, { url: '/', method: 'GET', qs: { Action: 'ListInstances', PageNumber: 1, PageSize: 1 } });
	} catch (error) {
		const message = error instanceof EndpointConfigError ? error.message : `Cannot sign the request: ${(error as Error).message}`;
		return { status: 'Error', message: redact(message) };
	}
	const url = `${signed.url}?${new URLSearchParams(signed.qs as Record<string, string>).toString()}`;
	const origin = new URL(signed.url).origin;
	let response: Response;
	try {
		response = await fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TEST_TIMEOUT_MS) });
	} catch (error) {
		const reason = (error as { cause?: { code?: string; message?: string } }).cause;
		const cause = reason?.code ?? reason?.message ?? (error as Error).name;
		return {
			status: 'Error',
			message: redact(`Endpoint unreachable: no answer from ${origin} (${cause}). Check the credential’s Region or Custom Endpoint and the network.`),
		};
	}
	const body = await response.text();
	const failure = response.ok ? successOrError(body, response.status) : errorFromBody(response.status, body);
	if (failure) return { status: 'Error', message: redact(explainCredentialFailure(failure)) };
	return { status: 'OK', message: `Connection successful: signed CCC call to ${origin} accepted.` };
}

function successOrError(body: string, status: number): CccCallError | undefined {
	try {
		parseSuccess(body, status);
		return undefined;
	} catch (error) {
		return error instanceof CccCallError ? error : new CccCallError({ kind: 'bad-response', message: String(error), launchMayHaveHappened: false });
	}
}
