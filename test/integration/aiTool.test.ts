import type { INode } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { LaunchAuthentication } from '../../nodes/LaunchAuthentication/LaunchAuthentication.node';
import { LAUNCH_FIELDS } from '../../nodes/LaunchAuthentication/helpers/parameters';
import { NODE_NAME } from '../../tools/fixtures';

// n8n-core's own function that turns a node into the tool an AI Agent calls (not part of its public index).
const { createNodeAsTool } = require('n8n-core/dist/execution-engine/node-execution-context/utils/create-node-as-tool.js');

describe('Launch Authentication as an AI Agent tool', () => {
	const nodeType = new LaunchAuthentication();
	const properties = Object.fromEntries(nodeType.description.properties.map((p) => [p.name, p]));

	it('is usable as a tool and says what it does and when to use it', () => {
		expect(nodeType.description.usableAsTool).toBe(true);
		expect(nodeType.description.description).toMatch(/Starts .*IVR authentication of the caller on a live call/);
		expect(nodeType.description.description).toMatch(/Use it when/);
		for (const field of LAUNCH_FIELDS) expect((properties[field.parameter].description ?? '').length).toBeGreaterThan(30);
	});

	it('the tool schema n8n builds lists the five parameters, with the descriptions the model sees', () => {
		// What the editor produces when each field is set to "Defined automatically by the model".
		const parameters: INode['parameters'] = { mappingMode: 'defineBelow', options: {} };
		for (const field of LAUNCH_FIELDS) {
			parameters[field.parameter] = `={{ $fromAI('${field.api}', ${JSON.stringify(properties[field.parameter].description)}, 'string') }}`;
		}
		const node: INode = { id: 't', name: NODE_NAME, type: 'n8n-nodes-alibaba-ccc.launchAuthenticationTool', typeVersion: 1, position: [0, 0], parameters };
		const { response: tool } = createNodeAsTool({ node, nodeType, handleToolInvocation: async () => 'ok' });
		const shape = tool.schema.shape as Record<string, { description?: string; _def: { typeName: string } }>;
		expect(Object.keys(shape).sort()).toEqual(LAUNCH_FIELDS.map((f) => f.api).sort());
		for (const field of LAUNCH_FIELDS) {
			expect(shape[field.api].description).toBe(properties[field.parameter].description);
		}
		expect(tool.description).toBe(NodeHelpers.getToolDescriptionForNode(node, nodeType));
		expect(tool.description).toContain('IVR authentication');
	});
});
