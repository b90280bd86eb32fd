import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../../tools/engine/engine';

import { nodeTypes, readerWorkflow, testApi, testBearerApi } from './engineFixtures';

describe('runWorkflow: credentials (n8n WorkflowExecute harness)', () => {
	it('getCredentials returns the data for the credential type, merged with its defaults', async () => {
		const workflow = readerWorkflow({ testApi: { id: 'whatever-id-the-editor-exported', name: 'Prod account' } });
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			credentials: { testApi: { apiKey: 'k-123' } },
			credentialTypes: { testApi },
		});
		expect(result.error).toBeUndefined();
		expect(result.json('Read')[0].credentials).toEqual({ apiKey: 'k-123', region: 'cn-shanghai' });
	});

	it('resolves expressions inside credential data ($vars), as n8n does', async () => {
		const workflow = readerWorkflow({ testApi: { id: '1', name: 'c' } });
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			variables: { keyPrefix: 'vk' },
			credentials: { testApi: { apiKey: '={{ $vars.keyPrefix }}-1', region: 'cn-hangzhou', notAProperty: 'dropped' } },
			credentialTypes: { testApi },
		});
		// Keys that are not properties of the credential type are dropped, like n8n's getNodeParameters does.
		expect(result.json('Read')[0].credentials).toEqual({ apiKey: 'vk-1', region: 'cn-hangzhou' });
	});

	it('fails the node when the workflow references no credential, as n8n does', async () => {
		const workflow = readerWorkflow();
		const result = await runWorkflow({ workflow, nodeTypes, credentials: { testApi: { apiKey: 'k' } } });
		expect(result.nodeError('Read')?.message).toBe('Node does not have any credentials set');
	});

	it('fails the node when no data was given for the referenced credential type', async () => {
		const workflow = readerWorkflow({ testApi: { id: '7', name: 'x' } });
		const result = await runWorkflow({ workflow, nodeTypes, credentialTypes: { testApi } });
		expect(result.nodeError('Read')?.message).toMatch(/Credential with ID "7" does not exist for type "testApi"/);
	});

	describe('httpRequestWithAuthentication applies the credential type authenticate', () => {
		let server: Server;
		let baseUrl: string;

		beforeAll(async () => {
			server = createServer((req, res) => {
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ url: req.url, headers: req.headers }));
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			await new Promise((resolve) => server.close(resolve));
		});

		// Each credential type's `authenticate` is applied to the request the node sends; the server echoes it.
		it.each<{
			kind: string;
			authentication: string;
			path: string;
			credential: ICredentialDataDecryptedObject;
			url: string;
			headers: IDataObject;
		}>([
			{
				kind: 'function authenticate',
				authentication: 'testApi',
				path: '/ping',
				credential: { apiKey: 'secret-1', region: 'cn-beijing' },
				url: '/ping?region=cn-beijing',
				headers: { 'x-api-key': 'secret-1' },
			},
			{
				kind: 'generic authenticate with a $credentials expression',
				authentication: 'testBearerApi',
				path: '/who',
				credential: { token: 't-42' },
				url: '/who',
				headers: { authorization: 'Bearer t-42' },
			},
		])('$kind', async ({ authentication, path, credential, url, headers }) => {
			const result = await runWorkflow({
				workflow: readerWorkflow({ [authentication]: { id: '1', name: 'c' } }, { authentication, url: `${baseUrl}${path}` }),
				nodeTypes,
				credentials: { [authentication]: credential },
				credentialTypes: { testApi, testBearerApi },
			});
			expect(result.error).toBeUndefined();
			const response = result.json('Read')[0].response as { url: string; headers: IDataObject };
			expect(response.url).toBe(url);
			expect(response.headers).toMatchObject(headers);
		});
	});
});
