import { AlibabaCloudCccApi } from '../../credentials/AlibabaCloudCccApi.credentials';
import { parseCustomEndpoint, resolveEndpoint } from '../../credentials/endpoint';
import { CCC_REGIONS } from '../../credentials/regions';

describe('credential endpoint', () => {
	it('maps the documented region and the SDK table regions to their endpoints', () => {
		expect(resolveEndpoint({ regionId: 'cn-shanghai' })).toEqual({ protocol: 'https', host: 'ccc.cn-shanghai.aliyuncs.com' });
		expect(resolveEndpoint({ regionId: 'ap-southeast-1' })).toEqual({ protocol: 'https', host: 'ccc.aliyuncs.com' });
		expect(CCC_REGIONS.map((r) => r.id)).toEqual(expect.arrayContaining(['cn-shanghai', 'ap-southeast-1', 'cn-beijing', 'eu-central-1', 'us-east-1']));
	});

	it('lets the Custom Endpoint override the region', () => {
		expect(resolveEndpoint({ regionId: 'cn-shanghai', endpoint: ' http://127.0.0.1:8787 ' })).toEqual({ protocol: 'http', host: '127.0.0.1:8787' });
		expect(resolveEndpoint({ regionId: 'cn-shanghai', endpoint: 'ccc-vpc.cn-shanghai.aliyuncs.com' })).toEqual({
			protocol: 'https',
			host: 'ccc-vpc.cn-shanghai.aliyuncs.com',
		});
		expect(parseCustomEndpoint('https://proxy.example.com:8443/')).toEqual({ protocol: 'https', host: 'proxy.example.com:8443' });
		expect(parseCustomEndpoint('[::1]:9000')).toEqual({ protocol: 'https', host: '[::1]:9000' });
	});

	it.each([
		['ftp://ccc.aliyuncs.com', /must use http/],
		['http://user:pw@host', /user name or password/],
		['https://ccc.aliyuncs.com/path', /path, query or fragment/],
		['ccc aliyuncs.com', /spaces or control/],
		['host:99999', /invalid port/],
		['bad_host!', /invalid host name/],
		['http://', /not a valid URL/],
	])('rejects %s with a message showing a valid endpoint', (value, pattern) => {
		expect(() => parseCustomEndpoint(value)).toThrow(pattern);
		expect(() => parseCustomEndpoint(value)).toThrow(/ccc\.cn-shanghai\.aliyuncs\.com|AccessKey/);
	});

	it('rejects an unknown region, listing the valid ones', () => {
		expect(() => resolveEndpoint({ regionId: 'mars-1' })).toThrow(/Region "mars-1".*cn-shanghai.*ap-southeast-1/);
	});

	it('stores the secret and the STS token as password fields, and offers every region', () => {
		const credential = new AlibabaCloudCccApi();
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.accessKeySecret.typeOptions?.password).toBe(true);
		expect(byName.securityToken.typeOptions?.password).toBe(true);
		expect(byName.accessKeyId.typeOptions?.password).toBeUndefined();
		expect(byName.regionId.options).toHaveLength(CCC_REGIONS.length);
		expect(byName.endpoint.default).toBe('');
	});
});
