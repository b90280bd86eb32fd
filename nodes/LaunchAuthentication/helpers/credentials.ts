import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { EndpointConfigError, resolveEndpoint } from '../../../credentials/endpoint';
import type { CccClientConfig } from '../transport/cccClient';
import { makeRedactor } from './redact';

export interface CccCredentialData {
	regionId?: string;
	endpoint?: string;
	accessKeyId?: string;
	accessKeySecret?: string;
	securityToken?: string;
}

/** A credential that cannot work as filled in; the message says which field and how to fix it. */
export const CredentialConfigError = EndpointConfigError;

/** Builds the client configuration from the credential's fields; throws CredentialConfigError with a fix. */
export function clientConfigFrom(
	data: ICredentialDataDecryptedObject | CccCredentialData,
	timeouts: { connectTimeoutMs: number; readTimeoutMs: number },
): CccClientConfig {
	const d = data as CccCredentialData;
	const accessKeyId = typeof d.accessKeyId === 'string' ? d.accessKeyId.trim() : '';
	const accessKeySecret = typeof d.accessKeySecret === 'string' ? d.accessKeySecret.trim() : '';
	const securityToken = typeof d.securityToken === 'string' ? d.securityToken.trim() : '';
	if (accessKeyId === '') throw new CredentialConfigError('The credential has no AccessKey ID. Open the credential and fill in "AccessKey ID".');
	if (accessKeySecret === '') throw new CredentialConfigError('The credential has no AccessKey Secret. Open the credential and fill in "AccessKey Secret".');
	const endpoint = resolveEndpoint(d);
	return { endpoint, accessKeyId, accessKeySecret, securityToken: securityToken || undefined, ...timeouts };
}

/** A redactor for everything this credential could leak: its secret and its STS token. */
export function redactorFor(data: ICredentialDataDecryptedObject | CccCredentialData): (text: string) => string {
	const d = data as CccCredentialData;
	return makeRedactor([d.accessKeySecret, d.securityToken, d.accessKeySecret?.trim(), d.securityToken?.trim()]);
}
