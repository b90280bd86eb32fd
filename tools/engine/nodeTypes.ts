/** The `INodeTypes` registry n8n's Workflow and WorkflowExecute look node implementations up in. */
import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new UnexpectedError(`Unrecognized node type: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries(Object.keys(this.types).map((type) => [type, { className: type, sourcePath: '' }]));
	}
}

/** INodeTypes that knows no types: for the throw-away workflow used to resolve credential expressions. */
export const noNodeTypes: INodeTypes = {
	getByName: () => undefined as unknown as INodeType,
	getByNameAndVersion: () => undefined as unknown as INodeType,
	getKnownTypes: () => ({}),
};
