// The example workflow that `npm run dev` and the browser check (tools/n8n/dev.mjs, tools/n8n/browser/) import
// into n8n (n8n's import:workflow file format), and the ids of it and of the emulator credentials it uses
// (sandbox.emulatorCredentialsFile).
//
// The example is crm-event-wait-for-result.json of this folder (the demo's: Launch Authentication version 2
// with the instance and flow picked from the lists and Wait for Result on), made editor-ready: that file
// feeds its items through a node of the engine harness (testHelpers.fixedItems) that a real n8n does not
// have, so the copy made here uses n8n's own Code node returning the same items, and points Launch
// Authentication at the emulator credential. Built from the original at run time, so the two never drift apart.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cccCredential, codeNode, FIXTURES, NODE_TYPE } from './build.mjs';

export const EDITOR_SOURCE_WORKFLOW = join(dirname(fileURLToPath(import.meta.url)), 'crm-event-wait-for-result.json');

/** n8n ids are 16 characters ([A-Za-z0-9]). */
export const DEV_CREDENTIAL_ID = 'cccDevEmulator01';
export const DEV_CREDENTIAL_NAME = FIXTURES.emulatorCredential.name;
/** cccDevExample001 was the version 1 example (no Wait for Result) that earlier dev user folders hold. */
export const DEV_WORKFLOW_ID = 'cccDevExample002';
/** A second emulator credential whose key has no RAM permission (every call: 403 Forbidden.RAM): the browser check's list error. */
export const NO_PERMISSION_CREDENTIAL_ID = 'cccDevNoPermissn';
export const NO_PERMISSION_CREDENTIAL_NAME = 'Alibaba Cloud CCC (emulator, no permission)';

/** The example workflow with a Code node instead of testHelpers.fixedItems, ready for `n8n import:workflow`. */
export function editorWorkflow() {
	const workflow = JSON.parse(readFileSync(EDITOR_SOURCE_WORKFLOW, 'utf8'));
	workflow.id = DEV_WORKFLOW_ID;
	workflow.name = `${workflow.name} (emulator)`;
	workflow.nodes = workflow.nodes.map((node) => {
		if (node.type === 'testHelpers.fixedItems') {
			const items = JSON.parse(node.parameters.items);
			const literal = JSON.stringify(items, null, 2);
			const jsCode =
				'// Sample CRM events: one item per ticket whose caller must be verified by the IVR.\n' +
				'// Replace this node with your CRM trigger.\n' +
				`const events = ${literal};\n` +
				'return events.map((json) => ({ json }));';
			return codeNode(node.id, node.name, jsCode, node.position);
		}
		if (node.type === NODE_TYPE) {
			return { ...node, credentials: cccCredential(DEV_CREDENTIAL_ID, DEV_CREDENTIAL_NAME) };
		}
		return node;
	});
	const unknown = workflow.nodes.filter((n) => n.type.startsWith('testHelpers.'));
	if (unknown.length) throw new Error(`test-only nodes left in the editor workflow: ${unknown.map((n) => n.name).join(', ')}`);
	workflow.active = false;
	workflow.pinData = {};
	workflow.tags = [];
	return workflow;
}
