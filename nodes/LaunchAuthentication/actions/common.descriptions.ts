import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { limitedNumber, OPTION_LIMITS, type LimitedOption } from '../helpers/optionLimits';

/**
 * Parameters and options shared by the operations. Version 1 of the node has plain text IDs; version 2
 * lets the user pick the instance, the contact flow and the agent from lists (resource locators with list
 * search, by ID, or an expression). Both versions keep the same parameter names, so a workflow saved with
 * version 1 runs unchanged, and both are read with `extractValue: true` (a plain string passes through).
 */
export const V1 = { '@version': [1] };
export const V2 = { '@version': [{ _cnd: { gte: 2 } }] };

/** The fields of version 1: text boxes. */
function textId(
	name: string,
	displayName: string,
	placeholder: string,
	description: string,
	required: boolean,
): INodeProperties {
	return { displayName, name, type: 'string', required, default: '', placeholder, description };
}

/** The fields of version 2: pick from a list (searchable), or type the ID. */
function pickedId(
	name: string,
	displayName: string,
	searchListMethod: string,
	idPlaceholder: string,
	description: string,
	required: boolean,
	dependsOn?: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		required,
		default: { mode: 'list', value: '' },
		description,
		...(dependsOn ? { typeOptions: { loadOptionsDependsOn: [`${dependsOn}.value`] } } : {}),
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: idPlaceholder },
		],
	};
}

const INSTANCE = {
	name: 'instanceId',
	description: 'The CCC (call center) instance that handles the call',
};
const FLOW = {
	name: 'contactFlowId',
	description: 'The IVR contact flow that authenticates the caller (for example, asks for a PIN)',
};
const USER = {
	name: 'userId',
	description:
		'Optional. The agent on the call who starts the authentication; not sent when empty (Alibaba’s current reference makes it optional)',
};

export const instanceV1 = textId(
	INSTANCE.name,
	'Instance ID',
	'ccc-test',
	'ID of the CCC (call center) instance that handles the call, as shown in the CCC console',
	true,
);
export const contactFlowV1 = textId(
	FLOW.name,
	'Contact Flow ID',
	'af145gfc-1108-4d55-8fca-f719bd512ebb',
	'ID of the IVR contact flow that authenticates the caller (for example, asks for a PIN)',
	true,
);
export const userV1 = textId(
	USER.name,
	'User ID',
	'user-test@ccc-test',
	'Optional. ID of the agent on the call who starts the authentication; unique within the instance. Not sent when empty.',
	false,
);

export const instanceV2 = pickedId(
	INSTANCE.name,
	'Instance',
	'searchInstances',
	'ccc-test',
	INSTANCE.description,
	true,
);
export const contactFlowV2 = pickedId(
	FLOW.name,
	'Contact Flow',
	'searchContactFlows',
	'af145gfc-1108-4d55-8fca-f719bd512ebb',
	FLOW.description,
	true,
	INSTANCE.name,
);
export const userV2 = pickedId(
	USER.name,
	'Agent',
	'searchUsers',
	'user-test@ccc-test',
	USER.description,
	false,
	INSTANCE.name,
);

export const jobId: INodeProperties = {
	displayName: 'Job ID',
	name: 'jobId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'job-65382141036853491',
	description:
		'ID of the live call (job) whose caller is to be authenticated, usually taken from the call event that triggered the workflow',
};

export const deviceId: INodeProperties = {
	displayName: 'Device ID',
	name: 'deviceId',
	type: 'string',
	default: '',
	placeholder: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
	description:
		'Optional, and described by Alibaba as not meaningful for this action: ID of the agent’s workbench (device). Not sent when empty.',
};

/**
 * Adds display conditions to one parameter (a key it already has is replaced, not merged). For the conditions
 * of one field (its version, the mapping mode); an operation's own condition is added to all its parameters
 * at once with n8n-workflow's `updateDisplayOptions`.
 */
export function shownWhen(
	property: INodeProperties,
	show: Record<string, unknown>,
): INodeProperties {
	return {
		...property,
		displayOptions: { show: { ...(property.displayOptions?.show ?? {}), ...show } as never },
	};
}

/** A number option with its bounds and default from the option-limit table. */
function numberOption(
	displayName: string,
	name: LimitedOption,
	description: string,
): INodeProperties {
	return { displayName, name, type: 'number', ...limitedNumber(name), description };
}

/** Options every operation has: how its requests are sent. */
export const requestOptions: INodeProperties[] = [
	numberOption(
		'Concurrency',
		'concurrency',
		`How many requests may be in flight at once (${OPTION_LIMITS.concurrency.min}-${OPTION_LIMITS.concurrency.max}). Output items keep the input order whatever the value.`,
	),
	numberOption(
		'Connect Timeout (Ms)',
		'connectTimeoutMs',
		'Time allowed to connect. n8n’s network layer has one deadline for connecting and answering: a request must get its whole answer within Connect Timeout + Read Timeout. Failures that certainly sent nothing (DNS, connection refused, TLS certificate rejected) are retried; a deadline that runs out is not, unless Retry on Server Errors is on.',
	),
	numberOption(
		'Max Requests per Second',
		'maxRequestsPerSecond',
		'Upper bound on requests started in any 1-second window, retries and result polls included, to stay under your CCC API quota. 0 means no limit.',
	),
	numberOption(
		'Max Retries',
		'maxRetries',
		'Extra attempts for failures that are safe to repeat: Throttling answers and failures that certainly sent nothing (DNS, connection refused). Waits grow exponentially with jitter.',
	),
	numberOption(
		'Read Timeout (Ms)',
		'readTimeoutMs',
		'Time allowed for the answer, added to Connect Timeout for the request’s one deadline. When it runs out the authentication may already have started, so a launch is not retried unless Retry on Server Errors is on.',
	),
	numberOption(
		'Retry Budget (S)',
		'retryBudgetSeconds',
		'No new attempt for an item starts once this many seconds have passed since its first attempt. 0 turns retries off.',
	),
];

const PASS_RULES: INodePropertyOptions[] = [
	{
		name: 'Last Node Exits with Success',
		value: 'lastNodeSuccess',
		description: 'Passed when the flow’s last node exits with Success',
	},
	{
		name: 'Flow Variable Equals',
		value: 'variableEquals',
		description:
			'Passed when a flow variable (NodeVariables or ChannelVariables) has the given value',
	},
];

/** Options that decide and shape the result of an authentication (Wait for Result, Get Result). */
export const resultOptions: INodeProperties[] = [
	{
		displayName: 'Include Trace',
		name: 'includeTrace',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the authentication flow’s rows of the call’s IVR trace (Trace), with times as numbers and ChannelVariables as an object',
	},
	{
		displayName: 'Passed When',
		name: 'passRule',
		type: 'options',
		default: 'lastNodeSuccess',
		options: PASS_RULES,
		description: 'How the result is judged once the flow has finished. A hang-up is always Hangup.',
	},
	{
		displayName: 'Pass Variable Name',
		name: 'passVariableName',
		type: 'string',
		default: 'authResult',
		description:
			'With "Flow Variable Equals": the flow variable that holds the result, as your IVR flow sets it',
	},
	{
		displayName: 'Pass Variable Value',
		name: 'passVariableValue',
		type: 'string',
		default: 'PASS',
		description: 'With "Flow Variable Equals": the value that means the caller passed',
	},
];

/** How long and how often a wait for the result reads the trace (Launch: Wait for Result; Get Result: Wait Until Finished). */
export const waitOptions: INodeProperties[] = [
	numberOption(
		'Poll Interval (S)',
		'pollIntervalSeconds',
		'While waiting for the result: how often the call’s IVR trace is read',
	),
	numberOption(
		'Result Timeout (S)',
		'resultTimeoutSeconds',
		`While waiting for the result: how long to wait for the flow to finish (at most ${OPTION_LIMITS.resultTimeoutSeconds.max} s; for longer waits put a Wait node before Get Result). Then Status is Timeout.`,
	),
];

/** A collection's options in the order n8n shows them: by name. */
export function byName(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName));
}
