/**
 * Stand-in for n8n's Manual Trigger (`n8n-nodes-base.manualTrigger`, version 1).
 *
 * n8n-nodes-base is not installed here, so this mirrors the real node: same `name`
 * and `version`, and the same `trigger()` that returns a `manualTriggerFunction`
 * emitting exactly one empty item. In a `manual` run WorkflowExecute calls that
 * function itself (TriggersAndPollers), so the first node behaves as in the editor.
 */
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

export class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Runs the flow on clicking a button in n8n',
		eventTriggerDescription: '',
		maxNodes: 1,
		defaults: {
			name: 'When clicking ‘Execute workflow’',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName: 'This node is where the workflow execution starts',
				name: 'notice',
				type: 'notice',
				default: '',
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const manualTriggerFunction = async () => {
			this.emit([this.helpers.returnJsonArray([{}])]);
		};

		return { manualTriggerFunction };
	}
}
