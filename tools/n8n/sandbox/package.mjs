// The package: npm run build, npm pack, and the tarball installed into an n8n user folder the way n8n's
// community package installer does.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

import { runOk, toolEnv } from './processes.mjs';
import { REPO_DIR } from './repository.mjs';

/** `npm run build` of the repository (tsc + gulp → dist/). */
export async function buildPackage({ logFile } = {}) {
	await runOk('npm', ['run', 'build'], { cwd: REPO_DIR, env: toolEnv(), logFile, name: 'npm run build', timeoutMs: 5 * 60_000 });
}

/**
 * `npm pack` of the repository into destDir. Returns the tarball's path and the packed file list.
 * @returns {Promise<{ tarball: string, files: string[], name: string, version: string }>}
 */
export async function packPackage({ destDir, logFile }) {
	mkdirSync(destDir, { recursive: true });
	const { stdout } = await runOk('npm', ['pack', '--json', '--pack-destination', destDir, '--loglevel=error'], {
		cwd: REPO_DIR,
		env: toolEnv({ npm_config_ignore_scripts: 'true' }),
		logFile,
		name: 'npm pack',
		timeoutMs: 2 * 60_000,
	});
	const start = stdout.indexOf('[');
	const [info] = JSON.parse(stdout.slice(start));
	return {
		tarball: join(destDir, info.filename),
		files: info.files.map((f) => f.path),
		name: info.name,
		version: info.version,
	};
}

/** Build, then pack into destDir. */
export async function buildAndPack({ destDir, logFile, build = true }) {
	if (build) await buildPackage({ logFile });
	return packPackage({ destDir, logFile });
}

/** <userFolder>/.n8n/nodes: where n8n keeps community packages. */
export function nodesDir(userFolder) {
	return join(userFolder, '.n8n', 'nodes');
}

/**
 * Installs a package tarball into <userFolder>/.n8n/nodes the way n8n 2.x's community package installer
 * (CommunityPackagesService.downloadPackage) does, with npm's cache preferred so that only the npm
 * registry is ever contacted. The user folder should be outside this repository: otherwise Node would
 * resolve n8n-workflow from the repository's node_modules instead of n8n's own copy.
 * @returns {Promise<{ packageDir: string, nodesDir: string, packageJson: Record<string, any> }>}
 */
export async function installCommunityPackage({ tarball, userFolder, logFile }) {
	const nodes = nodesDir(userFolder);
	mkdirSync(join(nodes, 'node_modules'), { recursive: true });
	if (!relative(REPO_DIR, resolve(userFolder)).startsWith('..')) {
		console.warn(
			`[n8n-sandbox] ${userFolder} is inside the repository: Node will resolve n8n-workflow from the repository's node_modules, not from n8n (unlike a real install).`,
		);
	}
	const ledgerPath = join(nodes, 'package.json');
	const ledger = existsSync(ledgerPath)
		? JSON.parse(readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };

	// Extract next to node_modules first (its name comes from its package.json), then move into place.
	const staging = mkdtempSync(join(nodes, '.staging-'));
	await runOk('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { logFile, name: 'tar -x (package)' });
	const stagedJson = JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8'));
	const packageDir = join(nodes, 'node_modules', ...stagedJson.name.split('/'));
	rmSync(packageDir, { recursive: true, force: true });
	mkdirSync(dirname(packageDir), { recursive: true });
	renameSync(staging, packageDir);

	// n8n drops these before installing: peer dependencies (n8n-workflow) come from n8n itself.
	const { devDependencies: _dev, peerDependencies: _peer, optionalDependencies: _optional, ...packageJson } = stagedJson;
	writeFileSync(join(packageDir, 'package.json'), JSON.stringify(packageJson, null, 2), 'utf8');

	await runOk(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
			'--prefer-offline',
			'--update-notifier=false',
			'--loglevel=error',
		],
		{ cwd: packageDir, env: toolEnv(), logFile, name: `npm install (dependencies of ${packageJson.name})`, timeoutMs: 5 * 60_000 },
	);

	ledger.dependencies = { ...(ledger.dependencies ?? {}), [packageJson.name]: packageJson.version };
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { packageDir, nodesDir: nodes, packageJson };
}

/**
 * Build (unless build: false), pack into packDir and install into userFolder: a user folder ready for
 * `n8n start` with this package as a community package.
 */
export async function prepareUserFolder({ userFolder, packDir = join(userFolder, '..', 'pack'), build = true, logFile }) {
	const packed = await buildAndPack({ destDir: packDir, logFile, build });
	const installed = await installCommunityPackage({ tarball: packed.tarball, userFolder, logFile });
	return { ...packed, ...installed };
}
