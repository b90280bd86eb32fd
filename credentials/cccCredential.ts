import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CredentialConfigError } from './credentialConfigError';
import { resolveEndpoint, type CccEndpoint } from './endpoint';

/** The fields of the "Alibaba Cloud CCC API" credential, as n8n hands them over (decrypted). */
export interface CccCredentialData {
	regionId?: string;
	endpoint?: string;
	accessKeyId?: string;
	accessKeySecret?: string;
	securityToken?: string;
}

/** A credential read and checked: where requests go and the keys that sign them (trimmed). */
export interface CccCredential {
	endpoint: CccEndpoint;
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
}

function field(data: CccCredentialData, name: keyof CccCredentialData): string {
	const value = data[name];
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * The AccessKey ID and the STS token travel in HTTP headers (x-acs-accesskey-id, x-acs-security-token,
 * Authorization), which carry visible ASCII only; Alibaba issues them in it. Anything else is a paste
 * mistake, named here before any request rather than failing as a network error.
 */
function requireHeaderText(value: string, fieldName: string): void {
	const bad = /[^\x21-\x7e]/.exec(value);
	if (!bad) return;
	const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
	throw new CredentialConfigError(
		`The credential's "${fieldName}" contains a character an HTTP header cannot carry (U+${code} at position ${bad.index + 1}): Alibaba's keys and tokens are plain ASCII. Copy it again from the RAM console or your STS call, without spaces or line breaks.`,
	);
}

/**
 * The one place that reads the credential's fields: trims the keys, requires the AccessKey pair and
 * resolves the endpoint. Throws CredentialConfigError naming the field to fix.
 */
export function readCccCredential(
	data: ICredentialDataDecryptedObject | CccCredentialData,
): CccCredential {
	const d = data as CccCredentialData;
	const accessKeyId = field(d, 'accessKeyId');
	const accessKeySecret = field(d, 'accessKeySecret');
	const securityToken = field(d, 'securityToken');
	if (accessKeyId === '')
		throw new CredentialConfigError(
			'The credential has no AccessKey ID. Open the credential and fill in "AccessKey ID".',
		);
	if (accessKeySecret === '')
		throw new CredentialConfigError(
			'The credential has no AccessKey Secret. Open the credential and fill in "AccessKey Secret".',
		);
	requireHeaderText(accessKeyId, 'AccessKey ID');
	requireHeaderText(securityToken, 'Security Token (STS)');
	return {
		endpoint: resolveEndpoint(d),
		accessKeyId,
		accessKeySecret,
		securityToken: securityToken || undefined,
	};
}

/** The credential's secrets as typed and as trimmed: everything that must never leave the node. */
export function credentialSecrets(
	data: ICredentialDataDecryptedObject | CccCredentialData,
): string[] {
	const d = data as CccCredentialData;
	const raw = [d.accessKeySecret, d.securityToken].filter(
		(s): s is string => typeof s === 'string',
	);
	return [...new Set([...raw, ...raw.map((s) => s.trim())])].filter((s) => s !== '');
}
