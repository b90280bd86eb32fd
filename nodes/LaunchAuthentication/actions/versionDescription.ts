import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../../credentials/AlibabaCloudCccApi.credentials';
import * as launch from './launch.operation';

export const versionDescription: INodeTypeDescription = {
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
	properties: [...launch.description],
};
