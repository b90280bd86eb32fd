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
//   node panel   [data-test-id=ndv], [data-test-id=node-credentials-select] (its entries
//                [data-test-id=node-credentials-select-item-<credential id>]), [data-test-id=parameter-input-<name>],
//                [data-test-id=ndv-close-button], [data-test-id=node-execute-button] ("Execute step"),
//                [data-test-id=output-panel]; an Options collection adds an option with
//                [data-test-id=collection-parameter-add] → [data-test-id=collection-parameter-option]; a boolean
//                is an .el-switch holding input[role=switch][aria-checked]
//   pickers      a resource locator is [data-test-id=resource-locator-<name>] with [data-test-id=rlc-mode-selector]
//                and [data-test-id=rlc-input] (From list: a read-only input that opens the list); the list is
//                teleported to the page: [data-test-id=rlc-search] (search box), [data-test-id=rlc-item] entries,
//                or [data-test-id=rlc-error-container] ("Could not load list", then [data-test-id=rlc-error-code]
//                "<HTTP status> - ", [data-test-id=rlc-error-message], the error's description)
//   toasts       .el-notification with .el-notification__closeBtn
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

/** Chooses a credential in the node panel's Credential select by its id. */
export async function chooseCredential(page, ndv, { id, name }) {
	await ndv.getByTestId('node-credentials-select').click();
	await page.getByTestId(`node-credentials-select-item-${id}`).click();
	const input = ndv.getByTestId('node-credentials-select').locator('input');
	await page.waitForFunction(([el, wanted]) => el.value === wanted, [await input.elementHandle(), name]);
}

/**
 * Opens a resource locator's list ("From list" mode) and waits until it shows entries or an error. Returns
 * locators of its entries, its search box and its error view (all teleported out of the panel, so they are
 * found on the page, visible ones only).
 */
export async function openResourceList(page, ndv, parameterName) {
	await ndv.getByTestId(`resource-locator-${parameterName}`).getByTestId('rlc-input').click();
	const list = {
		items: page.getByTestId('rlc-item').filter({ visible: true }),
		search: page.getByTestId('rlc-search').filter({ visible: true }),
		error: page.getByTestId('rlc-error-container').filter({ visible: true }),
	};
	await Promise.any([list.items.first().waitFor({ state: 'visible' }), list.error.waitFor({ state: 'visible' })]);
	return list;
}

/**
 * Closes an open resource list by clicking beside it (a corner of the parameter list: Escape does not close the
 * list's error view) and checks that the node panel stayed open.
 */
export async function closeResourceList(page, ndv, list) {
	await ndv.getByTestId('node-parameters').click({ position: { x: 2, y: 2 } });
	await Promise.all([list.items.first().waitFor({ state: 'hidden' }), list.error.waitFor({ state: 'hidden' })]);
	await ndv.waitFor({ state: 'visible' });
}

/**
 * Picks the entry of a resource locator's list whose text contains `entry`, after typing `search` into the
 * list's search box when given (then waits until every entry shown contains the search text); waits until the
 * field shows the pick. Returns the entries listed before the search and after it.
 */
export async function pickFromList(page, ndv, parameterName, entry, { search } = {}) {
	const list = await openResourceList(page, ndv, parameterName);
	if (await list.error.isVisible()) throw new Error(`the ${parameterName} list shows an error: ${await list.error.innerText()}`);
	const before = await list.items.allInnerTexts();
	if (search !== undefined) {
		await list.search.fill(search);
		// The list is searched by the node (the CCC action's SearchPattern): wait until only matches are shown.
		await page.waitForFunction((text) => {
			const shown = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter((el) => el.getClientRects().length > 0);
			return shown.length > 0 && shown.every((el) => el.textContent.toLowerCase().includes(text));
		}, search.toLowerCase());
	}
	const wanted = list.items.filter({ hasText: entry }).first();
	await wanted.waitFor({ state: 'visible' });
	const after = await list.items.allInnerTexts();
	await wanted.click();
	const input = ndv.getByTestId(`resource-locator-${parameterName}`).getByTestId('rlc-input');
	await page.waitForFunction(([el, text]) => el.value.includes(text), [await input.elementHandle(), entry]);
	return { before, after };
}

/** Adds an option of a node's "Options" collection (Add Option → the option's display name). */
export async function addCollectionOption(page, ndv, displayName) {
	await ndv.getByTestId('collection-parameter-add').click();
	await page.getByTestId('collection-parameter-option').filter({ visible: true }).filter({ hasText: new RegExp(`^${displayName}$`) }).click();
}

/** Turns a boolean parameter (a switch) on and waits until it shows as on. */
export async function switchOn(ndv, parameterName) {
	const field = ndv.getByTestId(`parameter-input-${parameterName}`);
	await field.locator('.el-switch').click();
	await field.locator('input[role="switch"][aria-checked="true"]').waitFor({ state: 'attached' });
}

/** Closes the notifications (toasts) shown at the bottom right, so they stay out of screenshots. */
export async function dismissToasts(page) {
	const toasts = page.locator('.el-notification').filter({ visible: true });
	for (let i = 0; i < 10 && (await toasts.count()) > 0; i++) {
		await toasts.first().locator('.el-notification__closeBtn').click().catch(() => {});
		await page.waitForFunction((n) => document.querySelectorAll('.el-notification').length < n, await toasts.count(), { timeout: 5000 }).catch(() => {});
	}
}
