import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as getResult from './getResult.operation';
import * as launch from './launch.operation';

/** The node's operations by their `operation` value. */
const OPERATIONS = { launch, getResult } as const;

export type Operation = keyof typeof OPERATIONS;

/** Runs the operation the node is set to (version 1 of the node has only Launch). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'launch') as Operation;
	const selected = OPERATIONS[operation];
	if (!selected) throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}"`);
	return selected.execute.call(this);
}
