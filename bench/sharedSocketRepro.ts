/**
 * Reproduces a hazard found while benchmarking (not part of `npm run bench`):
 *   npm run build && npm run build:tools && node .build/bench/sharedSocketRepro.js
 *
 * httpx (the Alibaba SDK's HTTP client) keeps one global keep-alive agent and stores each request's read
 * timer on the socket; only httpx.read clears it. Any other user of the SDK in the same process that lets
 * the SDK read the body itself (bodyType 'json' or 'string', the SDK's usual way) leaves that timer armed.
 * When it fires (its read timeout later: 3 s with the SDK's defaults), it clears the timer of whatever
 * request is then on that socket, and a request read with httpx.read fails at once with "ReadTimeout"
 * although the server answered.
 *
 * Here: 300 requests through the SDK with bodyType 'json' (as another Alibaba node in the same n8n would),
 * then 300 calls through the node's CccClient. Prints how far the node's calls got.
 *
 * Status: failed at call 23-104 with 77346b1 (the node read its answers with httpx.read); passes since
 * 3bbb907 (the node disarms httpx's timer and reads 2xx bodies itself). Kept as a regression check;
 * BENCH_DIST=... points it at another build.
 */
import { emulatorCredential } from '../tools/fixtures';
import { bareSdkClient, EmulatorProcess, loadItems } from './common';
import { DIST, repoRequire } from './paths';

async function main(): Promise<void> {
	const emu = await EmulatorProcess.start(20);
	try {
		const items = loadItems(300);
		const { CccClient } = repoRequire(`${DIST}/nodes/LaunchAuthentication/transport/cccClient.js`) as {
			CccClient: { create(config: unknown): Promise<{ call(action: string, p: Record<string, string>): Promise<unknown> }> };
		};
		const { clientConfigFrom } = repoRequire(`${DIST}/nodes/LaunchAuthentication/helpers/credentials.js`) as {
			clientConfigFrom(data: unknown, timeouts: { connectTimeoutMs: number; readTimeoutMs: number }): unknown;
		};
		const node = await CccClient.create(clientConfigFrom(emulatorCredential(emu.endpoint), { connectTimeoutMs: 5000, readTimeoutMs: 10000 }));

		const { sdk, util, client: other, params } = bareSdkClient(emu.endpoint, 'json');
		for (const item of items) {
			await other.callApi(params, new sdk.OpenApiRequest({ query: item as Record<string, string> }), new util.RuntimeOptions({}));
		}
		process.stdout.write(`another SDK user: ${items.length} requests (bodyType 'json'), all answered\n`);

		const t0 = Date.now();
		let done = 0;
		try {
			for (const item of items) {
				await node.call('LaunchAuthentication', item as Record<string, string>);
				done++;
			}
			process.stdout.write(`node: ${done} calls OK in ${Date.now() - t0} ms (hazard not hit this time)\n`);
		} catch (error) {
			const stats = await emu.stats();
			process.stdout.write(
				`node: call ${done + 1} FAILED after ${Date.now() - t0} ms: ${(error as Error).message}\n` +
					`emulator: ${stats.count} requests, statuses ${JSON.stringify(stats.statuses)} (the server answered every one)\n`,
			);
		}
	} finally {
		await emu.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	},
);
