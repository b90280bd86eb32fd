import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { endpointUrl } from '../../../credentials/endpoint';
import { clientConfigFrom, CredentialConfigError, redactorFor } from '../helpers/credentials';
import { hintFor } from '../helpers/errors';
import { CccClient } from '../transport/cccClient';
import { CccCallError } from '../transport/errors';

/** Why a signed call failed, in the words a person fixing the credential needs. */
function explain(error: CccCallError): string {
	const { kind, code, message } = error.details;
	if (kind === 'connect' || kind === 'no-response') return `Endpoint unreachable: ${message}`;
	if (kind === 'bad-response') return `Not a CCC endpoint: ${message}`;
	const label = /^InvalidAccessKeyId/.test(code ?? '')
		? 'Wrong AccessKey ID'
		: /^(SignatureDoesNotMatch|IncompleteSignature)$/.test(code ?? '')
			? 'Wrong AccessKey Secret'
			: /^(Forbidden|NoPermission|NotAuthorized|Unauthorized)/.test(code ?? '')
				? 'Missing RAM permission'
				: /^(InvalidSecurityToken|SecurityTokenExpired|MissingSecurityToken)/.test(code ?? '')
					? 'Wrong or expired Security Token'
					: 'CCC refused the request';
	return [`${label} (${code}): ${message}`, hintFor(code)].filter(Boolean).join(' ');
}

/**
 * Credential test: a signed, read-only ListInstances call (PageSize 1) to the credential's endpoint,
 * through the same client and signing as the node.
 */
export async function alibabaCloudCccApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const redact = redactorFor(data);
	try {
		const config = clientConfigFrom(data, { connectTimeoutMs: 5000, readTimeoutMs: 10000 });
		const client = await CccClient.create(config);
		await client.call('ListInstances', { PageNumber: '1', PageSize: '1' });
		return { status: 'OK', message: `Connection successful: signed CCC call to ${endpointUrl(config.endpoint)} accepted.` };
	} catch (error) {
		if (error instanceof CredentialConfigError) return { status: 'Error', message: redact(error.message) };
		if (error instanceof CccCallError) return { status: 'Error', message: redact(explain(error)) };
		return { status: 'Error', message: redact(`Credential test failed: ${(error as Error)?.message ?? String(error)}`) };
	}
}
