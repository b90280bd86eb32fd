/**
 * Stand-ins for the few n8n-nodes-base nodes example workflows need (n8n-nodes-base
 * itself is not installed: see Set.node.ts), plus the harness-only Fixed Items node. Keyed by the node `type`
 * string used in workflow JSON. `runWorkflow` registers these automatically; node
 * types passed in `nodeTypes` take precedence (the demo passes n8n's own Set node when n8nSet.ts finds it).
 */
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { FIXED_ITEMS_NODE_TYPE, FixedItems } from './FixedItems.node';
import { ManualTrigger } from './ManualTrigger.node';
import { SetNode } from './Set.node';

export { FIXED_ITEMS_NODE_TYPE, FixedItems, ManualTrigger, SetNode };

export const MANUAL_TRIGGER_NODE_TYPE = 'n8n-nodes-base.manualTrigger';
export const SET_NODE_TYPE = 'n8n-nodes-base.set';

export function standInNodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	return {
		[MANUAL_TRIGGER_NODE_TYPE]: new ManualTrigger(),
		[SET_NODE_TYPE]: new SetNode(),
		[FIXED_ITEMS_NODE_TYPE]: new FixedItems(),
	};
}
