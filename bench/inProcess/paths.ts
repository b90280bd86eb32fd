/** Where things are, wherever the compiled bench file sits (.build/bench/inProcess/*.js). No heavy imports here. */
import { join, resolve } from 'node:path';

import { REPO_ROOT } from '../../tools/repo';

export { REPO_ROOT, repoRequire } from '../../tools/repo';

/**
 * The compiled package: `dist/` (what `npm run build` makes), or BENCH_DIST (a folder inside the package,
 * e.g. `.build/patched-dist`, so that n8n-workflow and the libraries still resolve) to measure a candidate change.
 */
export const DIST = resolve(REPO_ROOT, process.env.BENCH_DIST || 'dist');
export const NODE_MODULE = join(DIST, 'nodes/LaunchAuthentication/LaunchAuthentication.node.js');
export const CREDENTIAL_MODULE = join(DIST, 'credentials/AlibabaCloudCccApi.credentials.js');
/** The node's transport (V3 signing, n8n's request helpers) and the credential reader, for the bare transport loop. */
export const TRANSPORT_MODULE = join(DIST, 'nodes/LaunchAuthentication/transport/index.js');
export const CCC_CREDENTIAL_MODULE = join(DIST, 'credentials/cccCredential.js');
export const RESULTS_FILE = join(REPO_ROOT, '.build/bench-results.json');
