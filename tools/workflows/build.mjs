// Pieces of n8n workflows (n8n's import:workflow format) shared by the workflow builders of this folder: node
// ids, resource locator values, the nodes every variant uses (Manual Trigger, Code, Set, Webhook), the
// connections between nodes and the workflow around them.
import FIXTURES from '../fixtures.json' with { type: 'json' };

export { FIXTURES };
export const { nodeType: NODE_TYPE, credentialType: CREDENTIAL_TYPE } = FIXTURES;

/** A resource locator value as the editor saves it. */
export const rl = (mode, value, cachedResultName) => ({ __rl: true, mode, value, ...(cachedResultName ? { cachedResultName } : {}) });

/** A node's `credentials`: the CCC credential with this id, named as the emulator credential unless `name` is given. */
export const cccCredential = (id, name = FIXTURES.emulatorCredential.name) => ({ [CREDENTIAL_TYPE]: { id, name } });

/** Numbered node ids (UUID-shaped, as n8n's): nodeIds('7a2d3b20')() → '7a2d3b20-0000-4000-8000-000000000001'. */
export function nodeIds(defaultPrefix) {
	let n = 0;
	return (prefix = defaultPrefix) => `${prefix}-0000-4000-8000-${String(++n).padStart(12, '0')}`;
}

export function manualTrigger(id, position = [0, 0]) {
	return { id, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position, parameters: {} };
}

/** A Code node (run once for all items) with this JavaScript. */
export function codeNode(id, name, jsCode, position) {
	return { id, name, type: 'n8n-nodes-base.code', typeVersion: 2, position, parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode } };
}

/** A Code node returning `items` (plain JSON objects). */
export function itemsNode(id, name, items, position) {
	return codeNode(id, name, `return ${JSON.stringify(items, null, 2)}.map((json) => ({ json }));\n`, position);
}

/**
 * A Set node (3.4, manual mapping) assigning `fields`: { name: value } (strings), or [{ id, name, value, type }].
 */
export function setNode(id, name, fields, position) {
	const assignments = Array.isArray(fields) ? fields : Object.entries(fields).map(([field, value], i) => ({ id: `${id}-${i}`, name: field, value, type: 'string' }));
	return { id, name, type: 'n8n-nodes-base.set', typeVersion: 3.4, position, parameters: { mode: 'manual', assignments: { assignments }, options: {} } };
}

/** A Webhook trigger (2.1) for POST /webhook/<path>; `parameters` says how it answers (responseMode, ...). */
export function webhookNode({ id, name, position, webhookId, path, parameters }) {
	return { id, name, type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position, webhookId, parameters: { httpMethod: 'POST', path, ...parameters, options: {} } };
}

/** n8n's `connections` for [from, to] pairs of node names (first output to first input, in order). */
export function connections(pairs) {
	const out = {};
	for (const [from, to] of pairs) {
		out[from] ??= { main: [[]] };
		out[from].main[0].push({ node: to, type: 'main', index: 0 });
	}
	return out;
}

/** The [from, to] pairs of a chain of node names: a → b → c. */
export const chain = (names) => names.slice(1).map((to, i) => [names[i], to]);

/** A workflow as `n8n import:workflow` reads it, inactive. */
export function workflow(id, name, nodes, pairs) {
	return { id, name, active: false, nodes, connections: connections(pairs), settings: { executionOrder: 'v1' }, pinData: {} };
}
