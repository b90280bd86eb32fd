// A throwaway test CA and a server certificate signed by it, made with the openssl CLI at test time into the
// run folder (nothing of it is committed): the "company CA" that n8n is given with NODE_EXTRA_CA_CERTS, and the
// certificate of the emulator over HTTPS (subjectAltName DNS:<host>, e.g. ccc-emulator.internal).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as sandbox from '../sandbox.mjs';

/**
 * Makes ca.pem (+ its key) and server.pem / server-key.pem for `host` in `dir` (1-day validity, RSA 2048).
 * Needs openssl on PATH (Debian and Ubuntu install it with the base system).
 * @param {{ dir: string, host: string, logFile?: string }} options
 * @returns {Promise<{ caFile: string, certFile: string, keyFile: string, ca: Buffer, cert: Buffer, key: Buffer }>}
 */
export async function makeTestCa({ dir, host, logFile }) {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const file = (name) => join(dir, name);
	const openssl = (args) => sandbox.runOk('openssl', args, { cwd: dir, logFile, name: `openssl ${args[0]}`, timeoutMs: 60_000 });
	await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=n8n-nodes-alibaba-ccc e2e test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
	await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server-key.pem'), '-out', file('server.csr'), '-subj', `/CN=${host}`]);
	writeFileSync(file('server.ext'), `subjectAltName=DNS:${host}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
	await openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('server.ext')]);
	return {
		caFile: file('ca.pem'),
		certFile: file('server.pem'),
		keyFile: file('server-key.pem'),
		ca: readFileSync(file('ca.pem')),
		cert: readFileSync(file('server.pem')),
		key: readFileSync(file('server-key.pem')),
	};
}
