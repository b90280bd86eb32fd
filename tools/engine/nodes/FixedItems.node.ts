/**
 * Harness-only node (type `testHelpers.fixedItems`, version 1): emits the items given
 * in its `items` parameter. Not an n8n node; it stands in for "a Code node that
 * returns these items" so example workflows can start from known data.
 *
 * `items` is a JSON string (an array of objects, or one object) or an expression
 * that resolves to such a value. Each object becomes one item's `json`. The items
 * are emitted once per run, each paired to input item 0.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, deepCopy } from 'n8n-workflow';

export const FIXED_ITEMS_NODE_TYPE = 'testHelpers.fixedItems';

export class FixedItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fixed Items (test helper)',
		name: 'fixedItems',
		group: ['input'],
		version: 1,
		description: 'Test-only: emits the items given as JSON',
		defaults: {
			name: 'Fixed Items',
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'Items (JSON)',
				name: 'items',
				type: 'json',
				default: '[]',
				description: 'A JSON array of objects (or a single object); each object becomes one item',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		let value: unknown = raw;
		if (typeof raw === 'string') {
			try {
				value = JSON.parse(raw);
			} catch (error) {
				throw new NodeOperationError(this.getNode(), `Parameter "items" is not valid JSON: ${(error as Error).message}`);
			}
		} else {
			value = deepCopy(raw as IDataObject);
		}
		const list = Array.isArray(value) ? value : [value];
		const returnData: INodeExecutionData[] = list.map((entry, index) => {
			if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
				throw new NodeOperationError(this.getNode(), `Entry ${index} of "items" is not a JSON object`);
			}
			return { json: entry as IDataObject, pairedItem: { item: 0 } };
		});
		return [returnData];
	}
}
