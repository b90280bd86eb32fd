import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { credentialSecrets, readCccCredential } from '../../../credentials/cccCredential';
import { CredentialConfigError } from '../../../credentials/credentialConfigError';
import { endpointUrl } from '../../../credentials/endpoint';
import { CccCallError } from '../transport/cccCallError';
import { errorFamily } from '../helpers/errorCodes';
import { MAX_RESPONSE_BYTES } from '../helpers/optionLimits';
import { makeRedactor } from '../helpers/redact';
import { cccRequest, sendWithLegacyRequest } from '../transport';

/** Connect and answer each; n8n's helper has one deadline for both (20 s in all). */
const TEST_TIMEOUT_MS = 10_000;

/** Why a signed call failed, in the words a person fixing the credential needs. */
export function explainCredentialFailure(error: CccCallError): string {
	const { kind, code, message } = error.details;
	if (code === 'SSRF_BLOCKED') return `Endpoint blocked by n8n's SSRF protection: ${message}`;
	if (kind === 'connect' || kind === 'no-response')
		return `Endpoint unreachable: ${message.replace(/^Cannot reach /, 'no answer from ')}`;
	if (kind !== 'api') return `Not a CCC endpoint: ${message}`;
	const family = errorFamily(code);
	return [
		`${family?.credentialProblem ?? 'CCC refused the request'} (${code ?? ''}): ${message}`,
		family?.hint,
	]
		.filter(Boolean)
		.join(' ');
}

/**
 * Credential test: a read-only ListInstances call (PageSize 1), signed and sent exactly as the node sends
 * its requests (same signer, same transport, same reading of the answer).
 */
export async function alibabaCloudCccApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const redact = makeRedactor(credentialSecrets(data));
	try {
		const ccc = readCccCredential(data);
		const limits = {
			connectTimeoutMs: TEST_TIMEOUT_MS,
			readTimeoutMs: TEST_TIMEOUT_MS,
			maxBytes: MAX_RESPONSE_BYTES,
		};
		await cccRequest(
			{ credential: ccc, send: sendWithLegacyRequest(this.helpers), limits, redact },
			'ListInstances',
			{ PageNumber: '1', PageSize: '1' },
		);
		return {
			status: 'OK',
			message: `Connection successful: signed CCC call to ${endpointUrl(ccc.endpoint)} accepted.`,
		};
	} catch (error) {
		if (error instanceof CccCallError)
			return { status: 'Error', message: redact(explainCredentialFailure(error)) };
		const message =
			error instanceof CredentialConfigError
				? error.message
				: `Cannot sign the request: ${(error as Error).message}`;
		return { status: 'Error', message: redact(message) };
	}
}
