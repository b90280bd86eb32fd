// Helpers to run this package inside a real n8n (the release installed by ensure-n8n.mjs), shared by the
// end-to-end test (e2e/run.mjs), the browser check (browser/check.mjs), `npm run dev` (dev.mjs) and the bench
// (bench/n8n/run.mjs). One file per job under sandbox/, all exported from here:
//   repository.mjs  the repository's folder, package.json, fixtures      files.mjs    run folders, log tails
//   processes.mjs   child processes in their own process groups         waiting.mjs  free ports, waiting
//   package.mjs     build, pack, install as n8n's installer does          n8n.mjs      n8n's environment, processes, CLI, owner
//   database.mjs    the user folder's SQLite (executions, workflows)      emulator.mjs the CCC emulator and its credential
//   debian.mjs      Debian packages installed with apt-get when missing   redis.mjs    a throwaway Redis (queue mode)
//
//   import * as sandbox from './sandbox.mjs';
//   const runDir = sandbox.makeRunDir();                                  // throwaway folder under os.tmpdir()
//   const userFolder = join(runDir, 'user');
//   await sandbox.prepareUserFolder({ userFolder });   // npm run build, npm pack into runDir/pack, then install
//                                                      // it as n8n's community package installer does
//   const port = await sandbox.freePort();
//   const env = sandbox.n8nEnv({ userFolder, port, brokerPort: await sandbox.freePort() });
//   const main = sandbox.spawnN8n(['start'], { env, logFile: join(runDir, 'n8n-main.log'), name: 'n8n main' });
//   await sandbox.waitForN8nReady({ port, handle: main });
//   ...
//   await sandbox.stopAll();                                             // every process started through this module
//
// Everything here is asynchronous: a caller that serves n8n's HTTP calls in the same Node process (the CCC
// emulator) keeps serving while n8n runs. Child processes get their own process group (detached) and are
// stopped group-wide (n8n's task runners included); stopAll() also runs on exit and on SIGINT/SIGTERM.
//
// n8n 2.x facts this relies on (checked against 2.41.1's source):
// - Community packages are found by scanning <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-* (and
//   @scope/n8n-nodes-*) at start-up; node types are "<package name>.<node name>".
// - The installer extracts the package tarball there, drops devDependencies, peerDependencies and
//   optionalDependencies from its package.json, runs `npm install --audit=false --fund=false
//   --bin-links=false --install-strategy=shallow --ignore-scripts=true --package-lock=false` inside the
//   package folder and records the version in <nodes>/package.json. n8n-workflow (our peer dependency) is
//   then resolved through NODE_PATH, which n8n points at its own node_modules: n8n's own copy is used.
// - The internal JS task runner (Code node) is spawned as `node` from PATH, so PATH must start with Node 24.

export * from './sandbox/database.mjs';
export * from './sandbox/debian.mjs';
export * from './sandbox/emulator.mjs';
export * from './sandbox/files.mjs';
export * from './sandbox/n8n.mjs';
export * from './sandbox/package.mjs';
export * from './sandbox/processes.mjs';
export * from './sandbox/redis.mjs';
export * from './sandbox/repository.mjs';
export * from './sandbox/waiting.mjs';
