/**
 * What the engine tests (engine.test.ts, engineCredentials.test.ts) run: two test-only node types, two
 * credential types, and workflow builders shaped like editor exports.
 */
import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { WorkflowJson } from '../../tools/engine/engine';

// ---------------------------------------------------------------------------
// Test-only node types and credential types
// ---------------------------------------------------------------------------

/** The description of a test-only node: one main input and output, version 1, named `name` in a workflow. */
const testNodeDescription = (
	name: string,
	rest: Pick<INodeTypeDescription, 'name' | 'properties'> & Partial<INodeTypeDescription>,
): INodeTypeDescription => ({
	displayName: `${name} (test)`,
	group: ['transform'],
	version: 1,
	description: 'Test node',
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	...rest,
});

/** Upper-cases `text` (usually an expression) per item; fails on items whose text equals `failOn`. */
export class UpperCaseNode implements INodeType {
	description = testNodeDescription('Upper Case', {
		name: 'upperCase',
		properties: [
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
			{ displayName: 'Fail On', name: 'failOn', type: 'string', default: '' },
		],
	});

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
export class CredentialReaderNode implements INodeType {
	description = testNodeDescription('Credential Reader', {
		name: 'credentialReader',
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
	});

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

export const testApi: ICredentialType = {
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

export const testBearerApi: ICredentialType = {
	name: 'testBearerApi',
	displayName: 'Test Bearer API',
	properties: [{ displayName: 'Token', name: 'token', type: 'string', default: '' }],
	authenticate: {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.token}}' } },
	},
};

export const nodeTypes = { 'test.upperCase': new UpperCaseNode(), 'test.credentialReader': new CredentialReaderNode() };

// ---------------------------------------------------------------------------
// Workflow builders (shaped like editor exports)
// ---------------------------------------------------------------------------

export const trigger = {
	parameters: {},
	id: 'a1',
	name: 'When clicking ‘Execute workflow’',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
};

export const fixedItems = (items: IDataObject[]) => ({
	parameters: { items: JSON.stringify(items) },
	id: 'a2',
	name: 'Fixed Items',
	type: 'testHelpers.fixedItems',
	typeVersion: 1,
	position: [200, 0],
});

export const upper = (extra: IDataObject = {}) => ({
	parameters: { text: '={{ $json.name }} from {{ $(\'Fixed Items\').item.json.city }}', failOn: 'bob from Hangzhou' },
	id: 'a3',
	name: 'Upper Case',
	type: 'test.upperCase',
	typeVersion: 1,
	position: [400, 0],
	...extra,
});

export const notify = {
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

/** A Set node (Notify's version) with this name and these parameters; `extra` for node settings (onError...). */
export const set = (name: string, parameters: IDataObject, extra: IDataObject = {}) => ({ ...notify, id: name, name, parameters, ...extra });

export const chain = (...names: string[]) =>
	Object.fromEntries(
		names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]),
	);

export const people = [
	{ name: 'alice', city: 'Beijing', UserContext: { UserId: 'u-1' } },
	{ name: 'bob', city: 'Hangzhou', UserContext: { UserId: 'u-2' } },
	{ name: 'carol', city: 'Shenzhen', UserContext: { UserId: 'u-3' } },
];

/** Manual Trigger → Read (the credential reader), referencing these credentials (none: no `credentials` key). */
export const readerWorkflow = (credentials?: INode['credentials'], parameters: IDataObject = {}): WorkflowJson => ({
	nodes: [
		trigger,
		{
			parameters,
			id: 'b1',
			name: 'Read',
			type: 'test.credentialReader',
			typeVersion: 1,
			position: [200, 0],
			...(credentials ? { credentials } : {}),
		},
	],
	connections: chain(trigger.name, 'Read'),
});
