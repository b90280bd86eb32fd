import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../credentials/AlibabaCloudCccApi.credentials';
import { launchAuthentication } from './actions/execute';
import { launchAuthenticationProperties } from './actions/properties';
import { alibabaCloudCccApiTest } from './methods/credentialTest';

export class LaunchAuthentication implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba CCC Launch Authentication',
		name: 'launchAuthentication',
		icon: { light: 'file:../../icons/alibabaCcc.svg', dark: 'file:../../icons/alibabaCcc.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: 'IVR authentication on a live call',
		description:
			'Starts Alibaba Cloud Contact Center (CCC) IVR authentication of the caller on a live call (LaunchAuthentication). Use it when an agent needs the caller’s identity verified, e.g. by PIN, before handling a request. Returns one item per call channel with the agent (UserContext) and call (CallContext) state.',
		defaults: { name: 'Launch Authentication' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [{ name: CCC_CREDENTIAL_TYPE, required: true, testedBy: 'alibabaCloudCccApiTest' }],
		properties: launchAuthenticationProperties,
	};

	methods = { credentialTest: { alibabaCloudCccApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return launchAuthentication.call(this);
	}
}
