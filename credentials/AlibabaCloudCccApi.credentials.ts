import type { IAuthenticate, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { CCC_REGIONS, DEFAULT_REGION_ID } from './regions';
import { authenticateCccRequest } from './signing';

export const CCC_CREDENTIAL_TYPE = 'alibabaCloudCccApi';

export class AlibabaCloudCccApi implements ICredentialType {
	name = CCC_CREDENTIAL_TYPE;

	displayName = 'Alibaba Cloud CCC API';

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-alibaba-ccc#credential';

	icon: Icon = { light: 'file:../icons/alibabaCcc.svg', dark: 'file:../icons/alibabaCcc.dark.svg' };

	/** Signs every request made with this credential, including the HTTP Request node's (see signing.ts). */
	authenticate: IAuthenticate = authenticateCccRequest;

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'regionId',
			type: 'options',
			default: DEFAULT_REGION_ID,
			options: CCC_REGIONS.map((r) => ({
				name: `${r.name} (${r.id})`,
				value: r.id,
				description: r.endpoint,
			})),
			description:
				'Region of your CCC instance. Requests go to the region’s public endpoint unless Custom Endpoint is set.',
		},
		{
			displayName: 'Custom Endpoint',
			name: 'endpoint',
			type: 'string',
			default: '',
			placeholder: 'ccc-vpc.cn-shanghai.aliyuncs.com or http://127.0.0.1:8787',
			description:
				'Optional. Overrides the region’s endpoint: a host name (HTTPS is used), or a URL with scheme and port for a VPC endpoint, a proxy or a local emulator.',
		},
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'LTAI5t...',
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Security Token (STS)',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for temporary STS credentials: the SecurityToken issued with the temporary AccessKey pair',
		},
	];
}
