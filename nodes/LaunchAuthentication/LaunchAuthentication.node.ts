import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { alibabaCloudCccApiTest } from './methods/credentialTest';

export class LaunchAuthentication implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { credentialTest: { alibabaCloudCccApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
