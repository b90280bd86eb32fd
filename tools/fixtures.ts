/**
 * The shared fixtures (tools/fixtures.json), typed: the node and credential type names, the credential
 * pointing at the bundled emulator, and the LaunchAuthentication API page's own example.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import fixtures from './fixtures.json';
import { repoRequire } from './repo';

export const NODE_TYPE = fixtures.nodeType;
export const CREDENTIAL_TYPE = fixtures.credentialType;
/** The name n8n gives the node when it is added (the node's `defaults.name`; a unit test keeps them equal). */
export const NODE_NAME = fixtures.nodeName;

/** The API page's example request parameters. */
export const DOC_PARAMS = fixtures.documented.request;
/** The API page's example JSON response, verbatim (strings where the API sends strings, 无 placeholders). */
export const DOC_RESPONSE = fixtures.documented.response;

export interface AccessKey {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
}

/** The emulator's first default AccessKey (emulator/server.js, loaded from the repository). */
export function emulatorAccessKey(): AccessKey {
	const { DEFAULT_ACCESS_KEYS } = repoRequire('./emulator/server.js') as { DEFAULT_ACCESS_KEYS: readonly AccessKey[] };
	return DEFAULT_ACCESS_KEYS[0];
}

/** Credential data (alibabaCloudCccApi) for the emulator listening at `endpoint`. */
export function emulatorCredential(endpoint: string, overrides: Partial<ICredentialDataDecryptedObject> = {}): ICredentialDataDecryptedObject {
	const { accessKeyId, accessKeySecret } = emulatorAccessKey();
	return { ...fixtures.emulatorCredential.data, endpoint, accessKeyId, accessKeySecret, ...overrides };
}
