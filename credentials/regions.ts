/**
 * Regions where CCC API 2020-07-01 is offered, and the public endpoint of each.
 *
 * Alibaba documents one CCC endpoint, cn-shanghai (ccc.cn-shanghai.aliyuncs.com). The other entries come
 * from the endpoint table of Alibaba's generated CCC 2020-07-01 SDK (`_endpointMap`), which maps them to the
 * central endpoint ccc.aliyuncs.com. The credential's "Custom Endpoint" overrides any of them.
 */
export interface CccRegion {
	id: string;
	name: string;
	endpoint: string;
}

export const DEFAULT_REGION_ID = 'cn-shanghai';

export const CCC_REGIONS: readonly CccRegion[] = [
	{ id: 'cn-shanghai', name: 'China (Shanghai)', endpoint: 'ccc.cn-shanghai.aliyuncs.com' },
	{ id: 'ap-southeast-1', name: 'Singapore', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'ap-southeast-2', name: 'Australia (Sydney)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'ap-southeast-3', name: 'Malaysia (Kuala Lumpur)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'ap-southeast-5', name: 'Indonesia (Jakarta)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'ap-northeast-1', name: 'Japan (Tokyo)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'ap-south-1', name: 'India (Mumbai)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-beijing', name: 'China (Beijing)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-chengdu', name: 'China (Chengdu)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-hongkong', name: 'China (Hong Kong)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-huhehaote', name: 'China (Hohhot)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-qingdao', name: 'China (Qingdao)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-shenzhen', name: 'China (Shenzhen)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'cn-zhangjiakou', name: 'China (Zhangjiakou)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'eu-central-1', name: 'Germany (Frankfurt)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'eu-west-1', name: 'UK (London)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'me-east-1', name: 'UAE (Dubai)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'us-east-1', name: 'US (Virginia)', endpoint: 'ccc.aliyuncs.com' },
	{ id: 'us-west-1', name: 'US (Silicon Valley)', endpoint: 'ccc.aliyuncs.com' },
];
