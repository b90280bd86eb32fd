import type { INodeProperties } from 'n8n-workflow';

import { V1, V2 } from './common.descriptions';
import * as getResult from './getResult.operation';
import * as launch from './launch.operation';

/**
 * Version 2 adds the operation selector (Launch, Get Result) and picks the instance, flow and agent from
 * lists. Version 1 has Launch only, with text IDs; its saved workflows run unchanged.
 */
const operation: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'hidden',
		default: 'launch',
		displayOptions: { show: V1 },
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'launch',
		displayOptions: { show: V2 },
		options: [
			{
				name: 'Launch',
				value: 'launch',
				description:
					'Start IVR authentication of the caller on a live call, optionally waiting for its result',
				action: 'Launch IVR authentication on a live call',
			},
			{
				name: 'Get Result',
				value: 'getResult',
				description:
					'Read whether the caller passed an IVR authentication, from the call’s IVR trace (never launches)',
				action: 'Get the result of an IVR authentication',
			},
		],
	},
];

/** Every parameter of the node, both versions: the operation, then each operation's own. */
export const nodeProperties: INodeProperties[] = [
	...operation,
	...launch.description,
	...getResult.description,
];
