// Driving n8n 2.41.1's editor with playwright-core and Debian's Chromium (never a downloaded browser).
//
// Selectors: n8n marks its UI with data-test-id attributes (not Playwright's default data-testid), so
// getByTestId() is switched to data-test-id. Those used here, as found in 2.41.1's editor:
//   sign-in      [data-test-id=emailOrLdapLoginId] input, [data-test-id=password] input, [data-test-id=form-submit-button]
//   canvas       [data-test-id=canvas-plus-button] (empty canvas "Add first step"), [data-test-id=canvas-node]
//                [data-node-name][data-node-type], [data-test-id=canvas-node-status-success] (after a run),
//                [data-test-id=execute-workflow-button]
//   node creator [data-test-id=node-creator-plus-button] (the "+" at the canvas' top right) opens the panel;
//                its search box is input[data-test-id=node-creator-search-bar] (inside [data-test-id=search-bar]);
//                results are [data-test-id=node-creator-item-name]. A community node opens a "Node details"
//                panel first: with an "Add to workflow" button, or (a node with operations) its actions as
//                [data-test-id=item-iterator-item] entries; adding it as the first step also adds a Manual
//                Trigger in front of it.
//   node panel   [data-test-id=ndv], [data-test-id=node-credentials-select], [data-test-id=parameter-input-<name>],
//                [data-test-id=ndv-close-button], [data-test-id=output-panel]
//   credentials  /home/credentials: [data-test-id=add-resource-credential] → [data-test-id=new-credential-type-select]
//                input + [data-test-id=new-credential-type-select-option] → [data-test-id=new-credential-type-button]
//                → [data-test-id=editCredential-modal] with [data-test-id=parameter-input-<property name>];
//                an options list opens as .el-select-dropdown with [data-test-id=parameter-input-item] entries
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureDebianPackage } from '../sandbox.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
export const VIEWPORT = { width: 1440, height: 900 };

/** playwright-core from the repository's node_modules (a devDependency), or a clear error. */
export function loadPlaywright() {
	const require = createRequire(import.meta.url);
	try {
		return require('playwright-core');
	} catch {
		throw new Error('playwright-core is not installed: add it as a devDependency (npm install --save-dev --save-exact playwright-core@1.65.1)');
	}
}

export function playwrightVersion() {
	try {
		return createRequire(import.meta.url)('playwright-core/package.json').version;
	} catch {
		return 'unknown';
	}
}

export function chromiumVersion() {
	try {
		return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
	} catch {
		return 'unknown';
	}
}

/**
 * Finds the Chromium to drive: CHROMIUM_PATH when set, otherwise Debian's, installed when it is missing and
 * this process can (see ensureDebianPackage). Returns { path } or { path: null, reason, command }.
 */
export async function ensureChromium({ logFile }) {
	if (!process.env.CHROMIUM_PATH) return ensureDebianPackage({ pkg: 'chromium', programs: [CHROMIUM], logFile });
	if (existsSync(CHROMIUM)) return { path: CHROMIUM };
	return { path: null, reason: `CHROMIUM_PATH=${CHROMIUM} does not exist`, command: 'unset CHROMIUM_PATH (Debian\'s chromium is then used), or point it at a Chromium binary' };
}

/**
 * Launches Chromium headless with a new, empty profile. Returns { context, page, close }.
 * (launchPersistentContext: Playwright refuses --user-data-dir in launch()'s args.)
 */
export async function launchBrowser() {
	const { chromium, selectors } = loadPlaywright();
	selectors.setTestIdAttribute('data-test-id');
	const userDataDir = mkdtempSync(join(tmpdir(), 'n8n-ccc-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: VIEWPORT,
		timeout: 60_000,
	});
	context.setDefaultTimeout(20_000);
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		userDataDir,
		async close() {
			await context.close().catch(() => {});
			rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

export async function signIn(page, baseUrl, { email, password }) {
	await page.goto(`${baseUrl}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
	await page.getByTestId('password').locator('input').fill(password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin') && !url.pathname.startsWith('/setup'), { timeout: 30_000 });
	return new URL(page.url()).pathname;
}

/** A new, empty workflow canvas. */
export async function openNewWorkflow(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor({ state: 'visible', timeout: 30_000 });
}

/** Opens the node creator with the canvas' "+" button; returns its search input. */
export async function openNodeCreator(page) {
	await page.getByTestId('node-creator-plus-button').click();
	const search = page.getByTestId('node-creator-search-bar');
	await search.waitFor({ state: 'visible' });
	return search;
}

/**
 * Types a query into the node creator and waits until `expected` is listed (or the timeout passes).
 * Returns every listed name (in order).
 */
export async function searchNodeCreator(page, search, query, expected, { timeoutMs = 10_000 } = {}) {
	await search.fill('');
	await search.fill(query);
	const item = page.getByTestId('node-creator-item-name').filter({ hasText: expected });
	await item
		.first()
		.waitFor({ state: 'visible', timeout: timeoutMs })
		.catch(() => {});
	// Let the list settle (it is filtered while typing).
	await page.waitForTimeout(300);
	return page.getByTestId('node-creator-item-name').allInnerTexts();
}

/**
 * Clicks a node creator result, then what n8n shows before the node's panel (NDV) for a community node: its
 * "Node details" panel with an "Add to workflow" button (a node without operations) or with the node's
 * actions (a node with operations: the first whose text matches `action` is clicked). Waits for the NDV.
 * @param {import('playwright-core').Page} page
 * @param {string} displayName
 * @param {{ action?: string | RegExp }} [options]
 */
export async function addNodeFromCreator(page, displayName, { action } = {}) {
	await page.getByTestId('node-creator-item-name').filter({ hasText: displayName }).first().click();
	const ndv = page.getByTestId('ndv');
	const addButton = page.getByRole('button', { name: 'Add to workflow' });
	const actionItem = action === undefined ? undefined : page.getByTestId('item-iterator-item').filter({ hasText: action }).first();
	const shown = [ndv, addButton, actionItem].filter(Boolean).map((locator) => locator.waitFor({ state: 'visible', timeout: 20_000 }));
	await Promise.any(shown).catch(() => {});
	if (!(await ndv.isVisible())) {
		if (actionItem && (await actionItem.isVisible())) await actionItem.click();
		else await addButton.click();
	}
	await ndv.waitFor({ state: 'visible' });
	await page.getByTestId('node-parameters').waitFor({ state: 'visible' });
	return ndv;
}

export async function closeNdv(page) {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

/** /home/credentials → Create credential → type `typeDisplayName` → Continue; returns the credential modal. */
export async function openNewCredentialForm(page, baseUrl, typeDisplayName) {
	await page.goto(`${baseUrl}/home/credentials`);
	await page.getByTestId('add-resource-credential').click();
	await page.getByTestId('new-credential-type-select').locator('input').fill(typeDisplayName);
	await page.getByTestId('new-credential-type-select-option').filter({ hasText: typeDisplayName }).first().click();
	await page.getByTestId('new-credential-type-button').click();
	const modal = page.getByTestId('editCredential-modal');
	await modal.getByTestId('credential-edit-dialog').waitFor({ state: 'visible' });
	return modal;
}

/** Opens an options parameter's dropdown and returns the headlines of its visible entries. */
export async function optionsOf(page, container, parameterName) {
	await container.getByTestId(`parameter-input-${parameterName}`).click();
	const entries = page.locator('.el-select-dropdown').getByTestId('parameter-input-item').filter({ visible: true });
	await entries.first().waitFor({ state: 'visible' });
	const headlines = await entries.evaluateAll((els) =>
		els.map((el) => (el.querySelector('.option-headline')?.textContent ?? el.textContent ?? '').trim()),
	);
	await page.keyboard.press('Escape');
	return headlines;
}
