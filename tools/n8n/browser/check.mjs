#!/usr/bin/env node
// npm run test:browser: the package as a person meets it in a real n8n editor (2.41.1), driven through
// Debian's Chromium by playwright-core.
//
// Starts the `npm run dev` environment on free ports in a throwaway folder (package packed and installed
// as a community package, CCC emulator, credential "Alibaba Cloud CCC (emulator)", example workflow, owner
// account), then in the browser: signs in; opens a new workflow canvas; searches the node creator for
// "CCC", "Alibaba" and "IVR" (each must list "Alibaba CCC Launch Authentication"); adds the node and opens
// its panel (screenshot docs/node-panel.png); opens the new-credential form of "Alibaba Cloud CCC API"
// (Region list with cn-shanghai and ap-southeast-1, Custom Endpoint field; screenshot
// docs/credential-form.png); runs the example workflow against the emulator (screenshot
// docs/example-run.png).
//
// Environment: BROWSER_SKIP_BUILD=1 packs the current dist/; BROWSER_KEEP=1 keeps the run folder;
// BROWSER_TIMEOUT_MS (default 420000) bounds the run once Chromium is there; CHROMIUM_PATH (default /usr/bin/chromium);
// BROWSER_SCREENSHOTS_DIR (default docs/). A missing Debian Chromium is installed with apt-get when this
// process is root; where it cannot be, the check says what it did not run and how to install Chromium, and
// counts as skipped (a failure under CI=true).
// Ends with "N passed, M failed" and exits non-zero on failure (screenshots of failures are kept in the run folder).
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import {
	addNodeFromCreator,
	chromiumVersion,
	closeNdv,
	ensureChromium,
	launchBrowser,
	loadPlaywright,
	playwrightVersion,
	openNewCredentialForm,
	openNewWorkflow,
	openNodeCreator,
	optionsOf,
	searchNodeCreator,
	signIn,
	VIEWPORT,
} from './editor.mjs';
import { DEFAULT_OWNER, N8N_VERSION, sandbox, startEnvironment } from './environment.mjs';
import { createReporter, StepFailed } from '../check-reporter.mjs';
import { NODE_TYPE } from './workflows.mjs';

const NODE_DISPLAY_NAME = 'Alibaba CCC Launch Authentication';
/** The node creator lists the node's operations as actions ("Launch IVR authentication on a live call", ...). */
const LAUNCH_ACTION = /^\s*Launch\b/;
const CREDENTIAL_DISPLAY_NAME = 'Alibaba Cloud CCC API';
const SEARCHES = ['CCC', 'Alibaba', 'IVR'];
const REGIONS = ['cn-shanghai', 'ap-southeast-1'];

const KEEP = process.env.BROWSER_KEEP === '1';
const SKIP_BUILD = process.env.BROWSER_SKIP_BUILD === '1';
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS || 420_000);
const SHOTS = process.env.BROWSER_SCREENSHOTS_DIR || join(sandbox.REPO_DIR, 'docs');
const runDir = sandbox.makeRunDir('n8n-ccc-browser-');
let env;
let browser;
let page;
let failureShots = 0;

const { log, fail, check, step, phase, skip, finishRun } = createReporter({
	// Keep a screenshot of the page at each failure.
	onFailure: async () => {
		if (!page || page.isClosed()) return;
		const shot = join(runDir, `failure-${++failureShots}.png`);
		await page.screenshot({ path: shot }).then(
			() => log(`      screenshot: ${shot} (page ${page.url()})`),
			() => {},
		);
	},
});

async function cleanup() {
	if (browser) await browser.close();
	if (env) await env.stop();
	await sandbox.stopAll(10_000);
}

let finished = false;
async function finish() {
	if (finished) return;
	finished = true;
	await cleanup();
	finishRun({ title: 'Browser check', runDir, keep: KEEP, keepVariable: 'BROWSER_KEEP', logFilter: /^(n8n|apt)/, tailLines: 25 });
}

let watchdog;
/** Bounds the run once Chromium is there (installing it with apt-get is not counted). */
function armWatchdog() {
	watchdog = setTimeout(async () => {
		await fail(`whole run within ${TIMEOUT_MS / 1000}s once Chromium is installed (BROWSER_TIMEOUT_MS)`, new Error('timed out; stopping every process'));
		await finish();
		process.exit(1);
	}, TIMEOUT_MS);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, async () => {
		await fail(`interrupted by ${signal}`, new Error('stopping every process'));
		await finish();
		process.exit(1);
	});
}

function shotPath(name) {
	mkdirSync(SHOTS, { recursive: true });
	return join(SHOTS, name);
}

async function saveShot(locatorOrPage, name) {
	const path = shotPath(name);
	// Park the pointer on the backdrop so that no hover tooltip lands in the picture.
	await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
	await page.waitForTimeout(300);
	await locatorOrPage.screenshot({ path, animations: 'disabled' });
	const size = statSync(path).size;
	assert.ok(size > 10_000, `${path} is only ${size} bytes`);
	log(`    → ${path} (${Math.round(size / 1024)} KB)`);
}

async function main() {
	phase(`Environment: n8n ${N8N_VERSION} + ${sandbox.PACKAGE_NAME} + CCC emulator`);
	log(`  run folder: ${runDir}`);
	await step('playwright-core is installed', () => {
		const { chromium } = loadPlaywright();
		assert.ok(chromium);
		log(`    playwright-core ${playwrightVersion()}`);
	});
	const chromium = await ensureChromium({ logFile: join(runDir, 'logs', 'apt-chromium.log') });
	if (!chromium.path) {
		const notRun = 'the browser check (n8n editor started, node search, node panel, credential form, example run, screenshots in docs/)';
		await skip(notRun, chromium.reason, { command: chromium.command });
		return;
	}
	await step(`Chromium at ${chromium.path}${chromium.installed ? ' (installed now with apt-get)' : ''}`, () => log(`    ${chromiumVersion()}`));
	armWatchdog();
	const n8nPort = await sandbox.freePort();
	env = await step(`n8n editor on a free port (${n8nPort}) with the package installed, credential, example workflow and owner`, () =>
		startEnvironment({
			userFolder: join(runDir, 'user'),
			workDir: runDir,
			n8nPort,
			emulatorPort: 0,
			build: !SKIP_BUILD,
			importWorkflow: 'always',
			owner: DEFAULT_OWNER,
			log: (line) => log(`    ${line}`),
		}),
	);
	browser = await step('Chromium launched (headless, new empty profile)', () => launchBrowser());
	page = browser.page;

	phase('Sign in and open a workflow canvas');
	await step(`sign in as ${env.owner.email} (owner set up by N8N_INSTANCE_OWNER_* variables)`, async () => {
		const landed = await signIn(page, env.url, env.owner);
		log(`    landed on ${landed}`);
	});
	await step('new workflow canvas opens ("Add first step")', () => openNewWorkflow(page, env.url));

	phase('Node creator search');
	const search = await step('node creator opens with its search box', () => openNodeCreator(page));
	for (const query of SEARCHES) {
		await check(`search "${query}" lists "${NODE_DISPLAY_NAME}"`, async () => {
			const names = await searchNodeCreator(page, search, query, NODE_DISPLAY_NAME);
			const rank = names.indexOf(NODE_DISPLAY_NAME);
			log(`    ${names.length} result(s): ${names.slice(0, 5).join(' | ')}${names.length > 5 ? ' | …' : ''}`);
			assert.ok(rank >= 0, `"${NODE_DISPLAY_NAME}" not among: ${JSON.stringify(names)}`);
			log(`    rank ${rank + 1}`);
		});
	}

	phase('Node on the canvas and its panel');
	await search.fill('CCC');
	const ndv = await step('add the node from the node creator: its panel (NDV) opens', () => addNodeFromCreator(page, NODE_DISPLAY_NAME, { action: LAUNCH_ACTION }));
	await check('panel shows the credential "Alibaba Cloud CCC (emulator)" and the node\'s fields', async () => {
		const credential = await ndv.getByTestId('node-credentials-select').locator('input').inputValue();
		assert.equal(credential, env.credentialName);
		for (const name of ['instanceId', 'contactFlowId', 'jobId', 'userId', 'deviceId']) {
			assert.ok(await ndv.getByTestId(`parameter-input-${name}`).isVisible(), `field ${name} visible`);
		}
		const text = await ndv.innerText();
		// The labels of the node's latest version (2: Launch operation, pickers for instance, contact flow and agent).
		for (const label of ['Operation', 'Mapping Mode', 'Instance', 'Contact Flow', 'Job ID', 'Agent', 'Device ID', 'Options']) {
			assert.ok(text.includes(label), `label "${label}" shown`);
		}
	});
	await check('screenshot of the node panel → docs/node-panel.png', () => saveShot(page, 'node-panel.png'));
	await check(`node is on the canvas as ${NODE_TYPE}`, async () => {
		await closeNdv(page);
		const nodes = page.locator(`[data-test-id="canvas-node"][data-node-type="${NODE_TYPE}"]`);
		assert.equal(await nodes.count(), 1);
	});

	phase(`Credential form "${CREDENTIAL_DISPLAY_NAME}"`);
	const modal = await step(`Create credential → "${CREDENTIAL_DISPLAY_NAME}" → Continue opens its form`, () =>
		openNewCredentialForm(page, env.url, CREDENTIAL_DISPLAY_NAME),
	);
	await check('form shows Region, Custom Endpoint, AccessKey ID, AccessKey Secret and Security Token', async () => {
		const text = await modal.innerText();
		for (const label of ['Region', 'Custom Endpoint', 'AccessKey ID', 'AccessKey Secret', 'Security Token']) {
			assert.ok(text.includes(label), `label "${label}" shown`);
		}
		assert.ok(await modal.getByTestId('parameter-input-endpoint').locator('input').isVisible(), 'Custom Endpoint input visible');
		const placeholder = await modal.getByTestId('parameter-input-endpoint').locator('input').getAttribute('placeholder');
		log(`    Custom Endpoint placeholder: ${placeholder}`);
	});
	await check('screenshot of the credential form → docs/credential-form.png', () => saveShot(page, 'credential-form.png'));
	await check(`Region list offers ${REGIONS.join(' and ')}`, async () => {
		const options = await optionsOf(page, modal, 'regionId');
		log(`    ${options.length} regions: ${options.slice(0, 3).join(' | ')} | …`);
		for (const region of REGIONS) {
			assert.ok(
				options.some((o) => o.includes(`(${region})`)),
				`${region} not in ${JSON.stringify(options)}`,
			);
		}
	});

	phase('Example workflow against the emulator');
	const workflowUrl = `${env.url}/workflow/${env.workflowId}`;
	await step('example workflow opens with Launch Authentication on the canvas', async () => {
		await page.goto(workflowUrl);
		await page.locator(`[data-test-id="canvas-node"][data-node-type="${NODE_TYPE}"]`).waitFor({ state: 'visible', timeout: 30_000 });
	});
	const before = env.emulator.launchCount();
	await check('"Execute workflow" runs every node; the emulator launched IVR authentication for each call', async () => {
		await page.getByTestId('execute-workflow-button').click();
		for (const name of ['Launch Authentication', 'Notify']) {
			await page
				.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`)
				.getByTestId('canvas-node-status-success')
				.waitFor({ state: 'visible', timeout: 60_000 });
		}
		const launched = env.emulator.launchCount() - before;
		log(`    emulator: ${launched} LaunchAuthentication call(s) launched`);
		assert.ok(launched >= 3, `expected >= 3 launches, got ${launched}`);
	});
	await check('Launch Authentication panel shows its output items → docs/example-run.png', async () => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="Launch Authentication"]`).dblclick();
		const ndvPanel = page.getByTestId('ndv');
		await ndvPanel.waitFor({ state: 'visible' });
		const output = page.getByTestId('output-panel');
		await output.waitFor({ state: 'visible' });
		await page.waitForTimeout(500);
		const text = await output.innerText();
		assert.match(text, /\d+ items?/, 'output panel reports items');
		assert.match(text, /UserContext|CallContext|ChannelId|RequestId/i, 'output shows CCC fields');
		await saveShot(page, 'example-run.png');
	});
}

main()
	.catch(async (error) => {
		if (!(error instanceof StepFailed)) await fail('browser check driver', error);
	})
	.finally(async () => {
		if (watchdog) clearTimeout(watchdog);
		await finish();
	});
