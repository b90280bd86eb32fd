import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../../tools/engine/engine';

// ---------------------------------------------------------------------------
// Test-only node types
// ---------------------------------------------------------------------------

/** Upper-cases `text` (usually an expression) per item; fails on items whose text equals `failOn`. */
class UpperCaseNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Upper Case (test)',
		name: 'upperCase',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Upper Case' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{ displayName: 'Fail On', name: 'failOn', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const text = this.getNodeParameter('text', i) as string;
				const failOn = this.getNodeParameter('failOn', i) as string;
				if (failOn && text === failOn) {
					throw new NodeOperationError(this.getNode(), `Refusing to upper-case "${text}"`, { itemIndex: i });
				}
				out.push({ json: { ...items[i].json, upper: text.toUpperCase() }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [out];
	}
}

/** Reads the `testApi` credential; with `url` set, also calls it through httpRequestWithAuthentication. */
class CredentialReaderNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Credential Reader (test)',
		name: 'credentialReader',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Credential Reader' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'testApi', required: true, displayOptions: { show: { authentication: ['testApi'] } } },
			{ name: 'testBearerApi', required: true, displayOptions: { show: { authentication: ['testBearerApi'] } } },
		],
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'Test API', value: 'testApi' },
					{ name: 'Test Bearer API', value: 'testBearerApi' },
				],
				default: 'testApi',
			},
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const authentication = this.getNodeParameter('authentication', 0) as string;
		const credentials = await this.getCredentials(authentication);
		const url = this.getNodeParameter('url', 0) as string;
		const json: IDataObject = { credentials };
		if (url) {
			json.response = (await this.helpers.httpRequestWithAuthentication.call(this, authentication, {
				method: 'GET',
				url,
				json: true,
			})) as IDataObject;
		}
		return [[{ json, pairedItem: { item: 0 } }]];
	}
}

const testApi: ICredentialType = {
	name: 'testApi',
	displayName: 'Test API',
	properties: [
		{ displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Region', name: 'region', type: 'string', default: 'cn-shanghai' },
	],
	authenticate: async (credentials, requestOptions: IHttpRequestOptions) => ({
		...requestOptions,
		headers: { ...(requestOptions.headers ?? {}), 'x-api-key': credentials.apiKey as string },
		qs: { ...(requestOptions.qs ?? {}), region: credentials.region as string },
	}),
};

const testBearerApi: ICredentialType = {
	name: 'testBearerApi',
	displayName: 'Test Bearer API',
	properties: [{ displayName: 'Token', name: 'token', type: 'string', default: '' }],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	},
};

const nodeTypes = { 'test.upperCase': new UpperCaseNode(), 'test.credentialReader': new CredentialReaderNode() };

// ---------------------------------------------------------------------------
// Workflow builders (shaped like editor exports)
// ---------------------------------------------------------------------------

const trigger = {
	parameters: {},
	id: 'a1',
	name: 'When clicking ‘Execute workflow’',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
};

const fixedItems = (items: IDataObject[]) => ({
	parameters: { items: JSON.stringify(items) },
	id: 'a2',
	name: 'Fixed Items',
	type: 'testHelpers.fixedItems',
	typeVersion: 1,
	position: [200, 0],
});

const upper = (extra: IDataObject = {}) => ({
	parameters: { text: '={{ $json.name }} from {{ $(\'Fixed Items\').item.json.city }}', failOn: 'bob from Hangzhou' },
	id: 'a3',
	name: 'Upper Case',
	type: 'test.upperCase',
	typeVersion: 1,
	position: [400, 0],
	...extra,
});

const notify = {
	parameters: {
		assignments: {
			assignments: [
				{
					id: 'f1',
					name: 'message',
					value: '=User {{ $json.UserContext.UserId }} said {{ $json.upper }}',
					type: 'string',
				},
				{ id: 'f2', name: 'meta.length', value: '={{ $json.upper.length }}', type: 'number' },
			],
		},
		options: {},
	},
	id: 'a4',
	name: 'Notify',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [600, 0],
};

const chain = (...names: string[]) =>
	Object.fromEntries(
		names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

const people = [
	{ name: 'alice', city: 'Beijing', UserContext: { UserId: 'u-1' } },
	{ name: 'bob', city: 'Hangzhou', UserContext: { UserId: 'u-2' } },
	{ name: 'carol', city: 'Shenzhen', UserContext: { UserId: 'u-3' } },
];

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('runWorkflow (n8n WorkflowExecute harness)', () => {
	it('runs Manual Trigger → items → expressions → Set over multiple items, with pairedItem', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people.filter((p) => p.name !== 'bob')), upper(), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executedNodes).toEqual([trigger.name, 'Fixed Items', 'Upper Case', 'Notify']);
		expect(result.json(trigger.name)).toEqual([{}]);
		expect(result.json('Upper Case').map((j) => j.upper)).toEqual(['ALICE FROM BEIJING', 'CAROL FROM SHENZHEN']);
		expect(result.outputs('Upper Case').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.outputs('Notify')).toEqual([
			{ json: { message: 'User u-1 said ALICE FROM BEIJING', meta: { length: 18 } }, pairedItem: { item: 0 } },
			{ json: { message: 'User u-3 said CAROL FROM SHENZHEN', meta: { length: 19 } }, pairedItem: { item: 1 } },
		]);
	});

	it('does not mutate the workflow JSON it is given', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems([{ name: 'x' }])],
			connections: chain(trigger.name, 'Fixed Items'),
		};
		const before = JSON.stringify(workflow);
		await runWorkflow({ workflow, nodeTypes });
		expect(JSON.stringify(workflow)).toBe(before);
	});

	it('feeds triggerItems as the trigger output (pinned) and keeps Set includeOtherFields', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{
					...notify,
					parameters: {
						...notify.parameters,
						includeOtherFields: true,
						assignments: {
							assignments: [
								{ id: 'f1', name: 'message', value: '=Hi {{ $json.UserContext.UserId }}', type: 'string' },
							],
						},
					},
				},
			],
			connections: chain(trigger.name, 'Notify'),
		};
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			triggerItems: [{ json: { UserContext: { UserId: 'u-9' } } }],
		});
		expect(result.json('Notify')).toEqual([{ UserContext: { UserId: 'u-9' }, message: 'Hi u-9' }]);
	});

	it('continueOnFail turns a failing item into an error item on the main output', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper({ onError: 'continueRegularOutput' }), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		const out = result.outputs('Upper Case');
		expect(out).toHaveLength(3);
		expect(out[1]).toEqual({ json: { error: 'Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 1 } });
		expect(out[0].json.upper).toBe('ALICE FROM BEIJING');
		expect(result.outputs('Upper Case', 1)).toEqual([]);
	});

	it('legacy continueOnFail: true behaves the same', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper({ continueOnFail: true })],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.json('Upper Case')[1]).toEqual({ error: 'Refusing to upper-case "bob from Hangzhou"' });
	});

	it("onError 'continueErrorOutput' routes error items to output 1", async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				fixedItems(people),
				upper({ onError: 'continueErrorOutput' }),
				notify,
				{
					...notify,
					id: 'a5',
					name: 'Report Failure',
					parameters: {
						assignments: {
							assignments: [
								{ id: 'e1', name: 'alert', value: '={{ $json.UserContext.UserId }}: {{ $json.error }}', type: 'string' },
							],
						},
						options: {},
					},
				},
			],
			connections: {
				...chain(trigger.name, 'Fixed Items', 'Upper Case'),
				'Upper Case': {
					main: [
						[{ node: 'Notify', type: 'main', index: 0 }],
						[{ node: 'Report Failure', type: 'main', index: 0 }],
					],
				},
			},
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		expect(result.json('Upper Case', 0).map((j) => j.upper)).toEqual(['ALICE FROM BEIJING', 'CAROL FROM SHENZHEN']);
		// As in n8n, the error-output item carries the input item's fields plus `error`.
		expect(result.outputs('Upper Case', 1)).toEqual([
			{ json: { ...people[1], error: 'Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 1 } },
		]);
		expect(result.outputs('Report Failure')).toEqual([
			{ json: { alert: 'u-2: Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 0 } },
		]);
		expect(result.json('Notify')).toHaveLength(2);
		expect(result.executedNodes).toContain('Report Failure');
	});

	it('a thrown NodeOperationError fails the run: result.error and nodeError', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper(), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Refusing to upper-case "bob from Hangzhou"');
		// WorkflowExecute stores errors as plain serialisable copies ({ ...error, message, stack }).
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.nodeError('Upper Case')?.message).toBe('Refusing to upper-case "bob from Hangzhou"');
		expect((result.nodeError('Upper Case') as NodeOperationError).node?.name).toBe('Upper Case');
		expect((result.nodeError('Upper Case') as NodeOperationError).context.itemIndex).toBe(1);
		expect(result.runData.Notify).toBeUndefined();
		expect(() => result.outputs('Notify')).toThrow(/has no run 0/);
	});

	it('getCredentials returns the data for the credential type, merged with its defaults', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{
					parameters: {},
					id: 'b1',
					name: 'Read',
					type: 'test.credentialReader',
					typeVersion: 1,
					position: [200, 0],
					credentials: { testApi: { id: 'whatever-id-the-editor-exported', name: 'Prod account' } },
				},
			],
			connections: chain(trigger.name, 'Read'),
		};
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
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{
					parameters: {},
					id: 'b1',
					name: 'Read',
					type: 'test.credentialReader',
					typeVersion: 1,
					position: [200, 0],
					credentials: { testApi: { id: '1', name: 'c' } },
				},
			],
			connections: chain(trigger.name, 'Read'),
		};
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
		const workflow: WorkflowJson = {
			nodes: [trigger, { parameters: {}, id: 'b1', name: 'Read', type: 'test.credentialReader', typeVersion: 1, position: [0, 0] }],
			connections: chain(trigger.name, 'Read'),
		};
		const result = await runWorkflow({ workflow, nodeTypes, credentials: { testApi: { apiKey: 'k' } } });
		expect(result.nodeError('Read')?.message).toBe('Node does not have any credentials set');
	});

	it('fails the node when no data was given for the referenced credential type', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{
					parameters: {},
					id: 'b1',
					name: 'Read',
					type: 'test.credentialReader',
					typeVersion: 1,
					position: [0, 0],
					credentials: { testApi: { id: '7', name: 'x' } },
				},
			],
			connections: chain(trigger.name, 'Read'),
		};
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

		const readerWorkflow = (authentication: string, url: string): WorkflowJson => ({
			nodes: [
				trigger,
				{
					parameters: { authentication, url },
					id: 'b1',
					name: 'Read',
					type: 'test.credentialReader',
					typeVersion: 1,
					position: [0, 0],
					credentials: { [authentication]: { id: '1', name: 'c' } },
				},
			],
			connections: chain(trigger.name, 'Read'),
		});

		it('function authenticate', async () => {
			const result = await runWorkflow({
				workflow: readerWorkflow('testApi', `${baseUrl}/ping`),
				nodeTypes,
				credentials: { testApi: { apiKey: 'secret-1', region: 'cn-beijing' } },
				credentialTypes: { testApi, testBearerApi },
			});
			expect(result.error).toBeUndefined();
			const response = result.json('Read')[0].response as { url: string; headers: IDataObject };
			expect(response.url).toBe('/ping?region=cn-beijing');
			expect(response.headers['x-api-key']).toBe('secret-1');
		});

		it('generic authenticate with a $credentials expression', async () => {
			const result = await runWorkflow({
				workflow: readerWorkflow('testBearerApi', `${baseUrl}/who`),
				nodeTypes,
				credentials: { testBearerApi: { token: 't-42' } },
				credentialTypes: { testApi, testBearerApi },
			});
			expect(result.error).toBeUndefined();
			const response = result.json('Read')[0].response as { headers: IDataObject };
			expect(response.headers.authorization).toBe('Bearer t-42');
		});
	});

	it('Set stand-in: dot notation off, includeOtherFields with except, type conversion error', async () => {
		const set = (name: string, parameters: IDataObject) => ({ ...notify, id: name, name, parameters });
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				fixedItems([{ a: 1, b: 2, nested: { c: 3 } }]),
				set('Except', {
					includeOtherFields: true,
					include: 'except',
					excludeFields: 'b, nested.c',
					assignments: { assignments: [{ id: '1', name: 'x.y', value: '={{ $json.a + 1 }}', type: 'string' }] },
					options: {},
				}),
				set('Flat', {
					assignments: { assignments: [{ id: '1', name: 'x.y', value: 'flat', type: 'string' }] },
					options: { dotNotation: false },
				}),
				set('Bad Number', {
					assignments: { assignments: [{ id: '1', name: 'n', value: 'abc', type: 'number' }] },
					options: {},
				}),
			],
			connections: chain(trigger.name, 'Fixed Items', 'Except', 'Flat', 'Bad Number'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.json('Except')).toEqual([{ a: 1, nested: {}, x: { y: '2' } }]);
		expect(result.json('Flat')).toEqual([{ 'x.y': 'flat' }]);
		expect(result.nodeError('Bad Number')?.message).toMatch(/'n' expects a number/);
	});

	it('FixedItems as the first node gets the default empty input item', async () => {
		const workflow: WorkflowJson = { nodes: [fixedItems([{ v: 1 }, { v: 2 }])], connections: {} };
		const result = await runWorkflow({ workflow });
		expect(result.outputs('Fixed Items')).toEqual([
			{ json: { v: 1 }, pairedItem: { item: 0 } },
			{ json: { v: 2 }, pairedItem: { item: 0 } },
		]);
	});

	it('triggerItems become the input of a non-trigger start node', async () => {
		const workflow: WorkflowJson = { nodes: [upper({ parameters: { text: '={{ $json.name }}' } })], connections: {} };
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			triggerItems: [{ json: { name: 'a' } }, { json: { name: 'b' } }],
		});
		expect(result.json('Upper Case').map((j) => j.upper)).toEqual(['A', 'B']);
	});

	it('rejects unknown node types with a helpful message', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, { ...upper(), type: 'n8n-nodes-base.httpRequest' }],
			connections: chain(trigger.name, 'Upper Case'),
		};
		await expect(runWorkflow({ workflow, nodeTypes })).rejects.toThrow(/"n8n-nodes-base.httpRequest".*not registered/);
	});
});
