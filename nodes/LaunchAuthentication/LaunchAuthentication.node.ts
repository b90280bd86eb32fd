import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../credentials/AlibabaCloudCccApi.credentials';
import { nodeProperties } from './actions/nodeProperties';
import { router } from './actions/router';
import { alibabaCloudCccApiTest } from './methods/credentialCheck';
import { searchContactFlows, searchInstances, searchUsers } from './methods/listSearch';

export class LaunchAuthentication implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba CCC Launch Authentication',
		name: 'launchAuthentication',
		icon: {
			light: 'file:../../icons/alibabaCcc.svg',
			dark: 'file:../../icons/alibabaCcc.dark.svg',
		},
		group: ['transform'],
		// Version 2: operation selector (Launch, Get Result) and list pickers; version 1 workflows run unchanged.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ $parameter["operation"] === "getResult" ? "Get IVR authentication result" : "IVR authentication on a live call" }}',
		description:
			'Starts Alibaba Cloud Contact Center (CCC) IVR authentication of the caller on a live call (LaunchAuthentication), and tells whether the caller passed. Use it when an agent needs the caller’s identity verified, e.g. by PIN, before handling a request. Returns one item per call channel with the agent (UserContext) and call (CallContext) state.',
		defaults: { name: 'Launch Authentication' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		credentials: [
			{ name: CCC_CREDENTIAL_TYPE, required: true, testedBy: 'alibabaCloudCccApiTest' },
		],
		properties: nodeProperties,
	};

	methods = {
		credentialTest: { alibabaCloudCccApiTest },
		listSearch: { searchInstances, searchContactFlows, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
