// The CCC emulator of this repository and the credential pointing at it.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { FIXTURES, REPO_DIR } from './repository.mjs';

/** This repository's emulator/server.js ({ startEmulator, DEFAULT_ACCESS_KEYS, ... }). */
export function loadEmulator() {
	return createRequire(import.meta.url)(join(REPO_DIR, 'emulator', 'server.js'));
}

/** The AccessKey the tools' credential uses: the emulator's first default key. */
export function emulatorAccessKey() {
	return loadEmulator().DEFAULT_ACCESS_KEYS[0];
}

/**
 * One credential of an `n8n import:credentials --input=<file>` file: the shared emulator credential
 * (tools/fixtures.json) for the emulator at `endpoint`, with the emulator's first default key unless another is
 * given. n8n encrypts `data` on import.
 * @param {{ id: string, endpoint: string, name?: string, accessKey?: { accessKeyId: string, accessKeySecret: string } }} options
 *   id: 16 characters [A-Za-z0-9], as n8n's ids
 */
export function emulatorCredential({ id, endpoint, name = FIXTURES.emulatorCredential.name, accessKey = emulatorAccessKey() }) {
	const { accessKeyId, accessKeySecret } = accessKey;
	return { id, name, type: FIXTURES.credentialType, data: { ...FIXTURES.emulatorCredential.data, endpoint, accessKeyId, accessKeySecret } };
}

/** `n8n import:credentials --input=<file>` content: the emulator credential (emulatorCredential) alone. */
export function emulatorCredentialsFile({ id, endpoint }) {
	return [emulatorCredential({ id, endpoint })];
}
