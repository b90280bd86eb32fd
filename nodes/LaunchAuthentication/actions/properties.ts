import type { INodeProperties } from 'n8n-workflow';

export const DEFAULTS = {
	concurrency: 5,
	maxConcurrency: 50,
	maxRequestsPerSecond: 0,
	maxRetries: 3,
	retryBudgetSeconds: 30,
	connectTimeoutMs: 5000,
	readTimeoutMs: 10000,
} as const;

const manual = { show: { mappingMode: ['defineBelow'] } };

export const launchAuthenticationProperties: INodeProperties[] = [
	{
		displayName: 'Mapping Mode',
		name: 'mappingMode',
		type: 'options',
		noDataExpression: true,
		default: 'defineBelow',
		options: [
			{
				name: 'Map Each Field Manually',
				value: 'defineBelow',
				description: 'Set each request parameter below, usually with expressions such as {{ $json.jobId }}',
			},
			{
				name: 'Map Automatically',
				value: 'autoMapInputData',
				description:
					'Read the input fields named InstanceId, ContactFlowId, JobId, UserId, DeviceId and optionally ContactFlowVariables (any letter case, camelCase or snake_case)',
			},
		],
	},
	{
		displayName: 'Instance ID',
		name: 'instanceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ccc-test',
		description: 'ID of the CCC (call center) instance that handles the call, as shown in the CCC console',
		displayOptions: manual,
	},
	{
		displayName: 'Contact Flow ID',
		name: 'contactFlowId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'af145gfc-1108-4d55-8fca-f719bd512ebb',
		description: 'ID of the IVR contact flow that authenticates the caller (for example, asks for a PIN)',
		displayOptions: manual,
	},
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'job-65382141036853491',
		description: 'ID of the live call (job) whose caller is to be authenticated, usually taken from the call event that triggered the workflow',
		displayOptions: manual,
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'user-test@ccc-test',
		description: 'ID of the agent on the call who starts the authentication; unique within the instance',
		displayOptions: manual,
	},
	{
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
		description: 'ID of the agent’s workbench (device) that the call is on',
		displayOptions: manual,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: DEFAULTS.maxConcurrency },
				default: DEFAULTS.concurrency,
				description: `How many requests may be in flight at once (1-${DEFAULTS.maxConcurrency}). Output items keep the input order whatever the value.`,
			},
			{
				displayName: 'Connect Timeout (Ms)',
				name: 'connectTimeoutMs',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 60000 },
				default: DEFAULTS.connectTimeoutMs,
				description: 'How long to wait for a connection to the endpoint. Nothing has been sent when this runs out, so it is retried.',
			},
			{
				displayName: 'Contact Flow Variables',
				name: 'contactFlowVariables',
				type: 'json',
				default: '',
				description:
					'Optional JSON object of variables passed into the IVR flow, e.g. {"orderId": "A-1001"}. With "Map Automatically", an input field named ContactFlowVariables takes precedence.',
			},
			{
				displayName: 'Max Requests per Second',
				name: 'maxRequestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1000 },
				default: DEFAULTS.maxRequestsPerSecond,
				description:
					'Upper bound on requests started in any 1-second window, retries included, to stay under your CCC API quota. 0 means no limit.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: DEFAULTS.maxRetries,
				description:
					'Extra attempts for failures that are safe to repeat: Throttling answers and failures to connect. Waits grow exponentially with jitter.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'perChannel',
				options: [
					{
						name: 'One Item per Channel',
						value: 'perChannel',
						description: 'One item per ChannelContext, with UserContext, CallContext and RequestId on each',
					},
					{
						name: 'One Item per Call',
						value: 'perCall',
						description: 'One item per input item with the whole Data (channels as a list) and RequestId',
					},
				],
			},
			{
				displayName: 'Read Timeout (Ms)',
				name: 'readTimeoutMs',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 120000 },
				default: DEFAULTS.readTimeoutMs,
				description:
					'How long to wait for the answer once the request is sent. When it runs out the authentication may already have started, so it is not retried unless Retry on Server Errors is on.',
			},
			{
				displayName: 'Retry Budget (S)',
				name: 'retryBudgetSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 600 },
				default: DEFAULTS.retryBudgetSeconds,
				description: 'No new attempt for an item starts once this many seconds have passed since its first attempt. 0 turns retries off.',
			},
			{
				displayName: 'Retry on Server Errors',
				name: 'retryOnServerErrors',
				type: 'boolean',
				default: false,
				description:
					'Whether to also retry 5xx answers, resets and read timeouts after the request was sent. Warning: the first attempt may already have started the IVR flow, so the caller may be asked to authenticate twice.',
			},
		],
	},
];
