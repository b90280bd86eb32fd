import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { errorOutput, type ItemError } from './nodeErrors';
import { normalizeLaunchData } from './normalize';

export type OutputMode = 'perChannel' | 'perCall';

/**
 * The items one successful LaunchAuthentication answer becomes, each linked to its input item.
 * perChannel: one item per ChannelContext (channel fields at the top level, plus UserContext, CallContext
 * without channels, RequestId), or one item without channel fields if the call has none.
 * perCall: one item with the whole normalized Data and RequestId.
 */
export function buildOutputItems(
	body: Record<string, unknown>,
	requestId: string,
	itemIndex: number,
	mode: OutputMode,
): INodeExecutionData[] {
	const data = normalizeLaunchData(body.Data);
	const pairedItem = { item: itemIndex };
	if (mode === 'perCall') {
		const json: IDataObject = {
			UserContext: data.UserContext,
			CallContext: { ...data.CallContext, ChannelContexts: data.ChannelContexts },
			RequestId: requestId,
		};
		return [{ json, pairedItem }];
	}
	const shared = {
		UserContext: data.UserContext,
		CallContext: data.CallContext,
		RequestId: requestId,
	};
	if (data.ChannelContexts.length === 0) return [{ json: { ...shared }, pairedItem }];
	// Each item gets its own copy of the shared contexts, so a later node editing one item cannot change another.
	return data.ChannelContexts.map((channel, i) => ({
		json: { ...channel, ...(i === 0 ? shared : structuredClone(shared)) },
		pairedItem,
	}));
}

/** What each input item became: its output items, its error, or nothing yet. */
export type ItemResults = Array<INodeExecutionData[] | ItemError | undefined>;

/** The node's output: every input item's items or error item, in input order. */
export function itemsInInputOrder(node: INode, results: ItemResults): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		if (Array.isArray(result)) output.push(...result);
		else if (result) output.push(errorOutput(node, result, i));
	});
	return output;
}
