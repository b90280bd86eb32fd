#!/usr/bin/env node
// npm run test:browser: the package as a person meets it in a real n8n editor (2.41.1), driven through
// Debian's Chromium by playwright-core.
//
// Starts the `npm run dev` environment on free ports in a throwaway folder (package packed and installed
// as a community package, CCC emulator with a 50 ms IVR trace step, credential "Alibaba Cloud CCC
// (emulator)" and a second one whose key has no RAM permission, example workflow, owner account), then in the
// browser: signs in; opens a new workflow canvas; searches the node creator for "CCC", "Alibaba" and "IVR"
// (each must list "Alibaba CCC Launch Authentication"); adds the node (version 2) and opens its panel; the
// pickers' lists show readable errors (Contact Flow before an Instance is chosen; Instance with the credential
// without permission); with the emulator credential it picks the Instance, the Contact Flow and the Agent
// from the lists the emulator serves (ListInstances, ListContactFlows, ListUsers: the agent by typing a
// search text, 250 agents), sets Job ID job-auth-pass and turns Wait for Result on (screenshot
// docs/node-panel.png), runs the node ("Execute step": Authentication.Status Passed; the emulator got the
// picked values); opens the new-credential form of "Alibaba Cloud CCC API" (Region list with cn-shanghai and
// ap-southeast-1, Custom Endpoint field; screenshot docs/credential-form.png); runs the example workflow
// (Wait for Result over the emulator's scenario calls: Passed, Failed, Hangup, Timeout) and shows its
// notifications (screenshot docs/example-run.png).
//
// Chinese agent names need a CJK font: Debian's fonts-wqy-microhei is installed with apt-get when this process
// is root (otherwise the check says so and the names show as boxes in the screenshots).
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
	addCollectionOption,
	addNodeFromCreator,
	chooseCredential,
	chromiumVersion,
	closeNdv,
	closeResourceList,
	dismissToasts,
	ensureChromium,
	launchBrowser,
	loadPlaywright,
	playwrightVersion,
	openNewCredentialForm,
	openNewWorkflow,
	openNodeCreator,
	openResourceList,
	optionsOf,
	pickFromList,
	searchNodeCreator,
	signIn,
	switchOn,
	VIEWPORT,
} from './editor.mjs';
import { DEFAULT_OWNER, N8N_VERSION, sandbox, startEnvironment } from './environment.mjs';
import { createReporter, StepFailed } from '../check-reporter.mjs';
import { DEV_CREDENTIAL_ID, NO_PERMISSION_CREDENTIAL_ID, NODE_TYPE } from '../../workflows/index.mjs';

const NODE_DISPLAY_NAME = 'Alibaba CCC Launch Authentication';
/** The node creator lists the node's operations as actions ("Launch IVR authentication on a live call", ...). */
const LAUNCH_ACTION = /^\s*Launch\b/;
const CREDENTIAL_DISPLAY_NAME = 'Alibaba Cloud CCC API';
const SEARCHES = ['CCC', 'Alibaba', 'IVR'];
const REGIONS = ['cn-shanghai', 'ap-southeast-1'];
/** What the pickers must offer and what is picked (the emulator's directory, emulator/directory.js). */
const PICKS = {
	instance: 'ccc-test (ccc-test)',
	instances: ['ccc-test (ccc-test)', 'ccc-emulator-2 (ccc-emulator-2)'],
	flow: 'PIN verification · MAIN_FLOW',
	flowCount: 7,
	agentSearch: 'user-test',
	agent: '(user-test, ext. 80326034)',
	agentCount: 250,
	job: 'job-auth-pass',
};
const EXPECTED_LAUNCH = { InstanceId: 'ccc-test', ContactFlowId: 'af145gfc-1108-4d55-8fca-f719bd512ebb', JobId: PICKS.job, UserId: 'user-test@ccc-test' };
/** The example workflow's calls (tools/workflows/crm-event-wait-for-result.json, see tools/workflows/editor.mjs) and how each ends. */
const EXAMPLE_OUTCOMES = [
	['T-1001', 'job-auth-pass', 'Passed'],
	['T-1002', 'job-auth-fail', 'Failed'],
	['T-1003', 'job-auth-hangup', 'Hangup'],
	['T-1004', 'job-three-channels', 'Passed'],
	['T-1005', 'job-auth-never', 'Timeout'],
];
/** A CJK font for the agents' Chinese display names (Debian package, and a file it installs). */
const CJK_FONT = { pkg: 'fonts-wqy-microhei', programs: ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'] };

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
		const notRun = 'the browser check (n8n editor started, node search, node panel with its pickers and their errors, credential form, example run, screenshots in docs/)';
		await skip(notRun, chromium.reason, { command: chromium.command });
		return;
	}
	await step(`Chromium at ${chromium.path}${chromium.installed ? ' (installed now with apt-get)' : ''}`, () => log(`    ${chromiumVersion()}`));
	const font = await sandbox.ensureDebianPackage({ ...CJK_FONT, logFile: join(runDir, 'logs', 'apt-font.log') });
	if (font.path) log(`  CJK font: ${font.path}${font.installed ? ' (installed now with apt-get)' : ''}`);
	else log(`  ! no CJK font (${font.reason}): the agents' Chinese names show as boxes in the screenshots. To install one: ${font.command}`);
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
			noPermissionCredential: true,
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

	phase('Node on the canvas and its panel: pickers backed by the emulator');
	await search.fill('CCC');
	const ndv = await step('add the node from the node creator: its panel (NDV) opens', () => addNodeFromCreator(page, NODE_DISPLAY_NAME, { action: LAUNCH_ACTION }));
	const good = { id: DEV_CREDENTIAL_ID, name: env.credentialName };
	const noPermission = { id: NO_PERMISSION_CREDENTIAL_ID, name: env.noPermissionCredentialName };

	await check('Contact Flow list before an Instance is chosen: "Could not load list" and "Choose the Instance first"', async () => {
		const list = await openResourceList(page, ndv, 'contactFlowId');
		const text = await list.error.innerText();
		log(`    ${text.replace(/\s*\n\s*/g, ' | ')}`);
		assert.match(text, /Could not load list/);
		assert.match(text, /Choose the Instance first: the list depends on it\./);
		await closeResourceList(page, ndv, list);
	});
	await check(`Instance list with "${noPermission.name}": the HTTP status, Forbidden.RAM, Alibaba's message and the hint`, async () => {
		await chooseCredential(page, ndv, noPermission);
		const list = await openResourceList(page, ndv, 'instanceId');
		const text = await list.error.innerText();
		log(`    ${text.replace(/\s*\n\s*/g, ' | ')}`);
		assert.match(await list.error.getByTestId('rlc-error-code').innerText(), /^403\b/);
		assert.match(await list.error.getByTestId('rlc-error-message').innerText(), /^ListInstances failed: Forbidden\.RAM: User not authorized/);
		assert.match(text, /lacks permission\. Grant it the CCC actions/);
		assert.doesNotMatch(text, /emulator-secret/, 'no secret in the message');
		await closeResourceList(page, ndv, list);
	});
	await step(`choose the credential "${good.name}"`, () => chooseCredential(page, ndv, good));
	await check('panel shows the credential "Alibaba Cloud CCC (emulator)" and the node\'s fields', async () => {
		const credential = await ndv.getByTestId('node-credentials-select').locator('input').inputValue();
		assert.equal(credential, env.credentialName);
		for (const name of ['instanceId', 'contactFlowId', 'jobId', 'userId', 'deviceId']) {
			assert.ok(await ndv.getByTestId(`parameter-input-${name}`).isVisible(), `field ${name} visible`);
		}
		for (const name of ['instanceId', 'contactFlowId', 'userId']) {
			assert.ok(await ndv.getByTestId(`resource-locator-${name}`).isVisible(), `${name} is a picker (resource locator)`);
		}
		const text = await ndv.innerText();
		// The labels of the node's latest version (2: Launch operation, pickers for instance, contact flow and agent).
		for (const label of ['Operation', 'Mapping Mode', 'Instance', 'Contact Flow', 'Job ID', 'Agent', 'Device ID', 'Options']) {
			assert.ok(text.includes(label), `label "${label}" shown`);
		}
	});
	const listed = (action) => env.emulator.requests.filter((r) => r.action === action && r.outcome === 'ok');
	await step(`pick the Instance from the list (ListInstances): ${PICKS.instance}`, async () => {
		const { before } = await pickFromList(page, ndv, 'instanceId', PICKS.instance);
		log(`    ${before.join(' | ')}`);
		assert.deepEqual(before, PICKS.instances);
		assert.ok(listed('ListInstances').length > 0, 'the emulator answered ListInstances');
	});
	await step(`pick the Contact Flow from the list of that instance (ListContactFlows): ${PICKS.flow}`, async () => {
		const { before } = await pickFromList(page, ndv, 'contactFlowId', PICKS.flow);
		log(`    ${before.length} flows: ${before.slice(0, 3).join(' | ')} | …`);
		assert.equal(before.length, PICKS.flowCount);
		assert.equal(before[0], PICKS.flow, 'authentication flows first');
		assert.ok(listed('ListContactFlows').some((r) => r.params.InstanceId === 'ccc-test'), 'ListContactFlows of ccc-test');
	});
	await step(`pick the Agent by typing "${PICKS.agentSearch}" into the list's search (ListUsers, ${PICKS.agentCount} agents)`, async () => {
		const { before, after } = await pickFromList(page, ndv, 'userId', PICKS.agent, { search: PICKS.agentSearch });
		log(`    ${before.length} agents listed before the search (pages of 100), ${after.length} after: ${after.join(' | ')}`);
		assert.ok(before.length >= 100 && before.length <= PICKS.agentCount, `${before.length} agents before the search`);
		assert.equal(after.length, 1, 'one agent matches');
		assert.ok(listed('ListUsers').some((r) => r.params.SearchPattern === PICKS.agentSearch && r.params.InstanceId === 'ccc-test'), 'ListUsers with SearchPattern');
		const total = listed('ListUsers').find((r) => r.params.SearchPattern === undefined);
		assert.ok(total, 'ListUsers without a search');
	});
	await step(`Job ID ${PICKS.job}, option Wait for Result on`, async () => {
		await ndv.getByTestId('parameter-input-jobId').locator('input').fill(PICKS.job);
		await addCollectionOption(page, ndv, 'Wait for Result');
		await switchOn(ndv, 'waitForResult');
	});
	await check('screenshot of the node panel with the picks → docs/node-panel.png', async () => {
		await ndv.getByTestId('resource-locator-userId').getByTestId('rlc-input').waitFor({ state: 'visible' });
		await saveShot(page, 'node-panel.png');
	});
	await check('"Execute step" launches with the picked values and waits: Authentication.Status Passed', async () => {
		const from = env.emulator.requests.length;
		await ndv.getByTestId('node-execute-button').click();
		const output = page.getByTestId('output-panel');
		const text = await sandbox.waitFor('the output to show the outcome', async () => {
			const shown = await output.innerText();
			return /Status:\s*\w+/.test(shown) ? shown : null;
		}, { timeoutMs: 60_000 });
		assert.match(text, /Status:\s*Passed/);
		assert.match(text, /ExitCode:\s*Success/);
		const launches = env.emulator.requests.slice(from).filter((r) => r.action === 'LaunchAuthentication');
		assert.equal(launches.length, 1, 'one launch');
		assert.deepEqual(launches[0].params, EXPECTED_LAUNCH);
		await dismissToasts(page);
	});
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
	const before = Object.fromEntries(EXAMPLE_OUTCOMES.map(([, job]) => [job, env.emulator.launchCount(job)]));
	await check('"Execute workflow" runs every node (Wait for Result: a few seconds); each call launched once', async () => {
		await page.getByTestId('execute-workflow-button').click();
		for (const name of ['Launch Authentication', 'Notify']) {
			await page
				.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`)
				.getByTestId('canvas-node-status-success')
				.waitFor({ state: 'visible', timeout: 60_000 });
		}
		const launched = EXAMPLE_OUTCOMES.map(([, job]) => env.emulator.launchCount(job) - before[job]);
		log(`    emulator: ${launched.reduce((a, b) => a + b, 0)} LaunchAuthentication call(s) launched`);
		assert.deepEqual(launched, EXAMPLE_OUTCOMES.map(() => 1));
		await dismissToasts(page);
	});
	await check(`Launch Authentication panel shows its items with Authentication.Status ${[...new Set(EXAMPLE_OUTCOMES.map((o) => o[2]))].join(', ')}`, async () => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="Launch Authentication"]`).dblclick();
		const output = page.getByTestId('output-panel');
		await output.waitFor({ state: 'visible' });
		const text = await sandbox.waitFor('the output items with their outcome', async () => {
			const shown = await output.innerText();
			return /7 items/.test(shown) && /Status:/.test(shown) ? shown : null;
		});
		for (const status of new Set(EXAMPLE_OUTCOMES.map((o) => o[2]))) assert.match(text, new RegExp(`Status:\\s*${status}\\b`));
		assert.match(text, /UserContext|CallContext|ChannelId|RequestId/i, 'output shows CCC fields');
		await closeNdv(page);
	});
	await check('Notify panel: one notification per channel with its outcome → docs/example-run.png', async () => {
		await page.locator(`[data-test-id="canvas-node"][data-node-name="Notify"]`).dblclick();
		const output = page.getByTestId('output-panel');
		await output.waitFor({ state: 'visible' });
		const last = EXAMPLE_OUTCOMES.at(-1)[0];
		const text = await sandbox.waitFor('the notifications', async () => {
			const shown = await output.innerText();
			return shown.includes(`IVR authentication for ticket ${last}:`) ? shown : null;
		});
		assert.match(text, /7 items/);
		for (const [ticket, job, status] of EXAMPLE_OUTCOMES) {
			assert.ok(text.includes(`IVR authentication for ticket ${ticket}: ${status}.`), `${ticket} (${job}): ${status}`);
		}
		await dismissToasts(page);
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
