import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** The request parameters of LaunchAuthentication, by node parameter name. */
/**
 * Alibaba's current LaunchAuthentication reference requires InstanceId, JobId and ContactFlowId; UserId and
 * DeviceId are optional (not sent when empty).
 */
export const LAUNCH_FIELDS = [
	{ parameter: 'instanceId', api: 'InstanceId', label: 'Instance ID', maxLength: 128, required: true },
	{ parameter: 'contactFlowId', api: 'ContactFlowId', label: 'Contact Flow ID', maxLength: 128, required: true },
	{ parameter: 'jobId', api: 'JobId', label: 'Job ID', maxLength: 128, required: true },
	{ parameter: 'userId', api: 'UserId', label: 'User ID', maxLength: 256, required: false },
	{ parameter: 'deviceId', api: 'DeviceId', label: 'Device ID', maxLength: 256, required: false },
] as const;

type LaunchField = (typeof LAUNCH_FIELDS)[number];

export const CONTACT_FLOW_VARIABLES = { parameter: 'contactFlowVariables', api: 'ContactFlowVariables', label: 'Contact Flow Variables', maxLength: 8192 } as const;

type RequiredApi = Extract<LaunchField, { required: true }>['api'];
type OptionalApi = Extract<LaunchField, { required: false }>['api'];
export type LaunchRequest = Record<RequiredApi, string> & Partial<Record<OptionalApi, string>> & { ContactFlowVariables?: string };

export type MappingMode = 'defineBelow' | 'autoMapInputData';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Trims and checks one text parameter; throws an error naming the field and the item. */
export function checkText(
	ctx: IExecuteFunctions,
	field: { parameter: string; label: string; maxLength: number },
	value: unknown,
	itemIndex: number,
	source: string,
): string {
	const where = `"${field.label}" (${source}) of item ${itemIndex}`;
	if (value === undefined || value === null) {
		throw new NodeOperationError(ctx.getNode(), `${where} is empty`, {
			itemIndex,
			description: `Set "${field.label}" for every item, e.g. with an expression such as {{ $json.${field.parameter} }}.`,
		});
	}
	if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol') {
		throw new NodeOperationError(ctx.getNode(), `${where} must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`, {
			itemIndex,
			description: `Map "${field.label}" to a single text value, e.g. {{ $json.${field.parameter} }}.`,
		});
	}
	const text = String(value).trim();
	if (text === '') {
		throw new NodeOperationError(ctx.getNode(), `${where} is empty`, {
			itemIndex,
			description: `Set "${field.label}" for every item, e.g. with an expression such as {{ $json.${field.parameter} }}.`,
		});
	}
	if (text.length > field.maxLength) {
		throw new NodeOperationError(ctx.getNode(), `${where} is ${text.length} characters long; the most CCC accepts is ${field.maxLength}`, {
			itemIndex,
			description: 'Check that the field maps to the ID itself, not to a whole record or text.',
		});
	}
	if (!text.isWellFormed()) {
		throw new NodeOperationError(ctx.getNode(), `${where} contains invalid text (a broken Unicode character, such as a lone surrogate)`, {
			itemIndex,
			description: 'The value cannot be sent as UTF-8. Check the mapping and the data it comes from.',
		});
	}
	if (CONTROL_CHARACTERS.test(text)) {
		throw new NodeOperationError(ctx.getNode(), `${where} contains a control character (such as a line break or tab)`, {
			itemIndex,
			description: 'IDs never contain control characters: check the mapping.',
		});
	}
	return text;
}

/** ContactFlowVariables: a JSON object (or its text) passed to the IVR flow; returns its compact JSON text. */
export function checkContactFlowVariables(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), `"Contact Flow Variables" of item ${itemIndex} is not valid JSON`, {
				itemIndex,
				description: 'Give a JSON object of variable names and values, e.g. {"orderId": "A-1001"}.',
			});
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `"Contact Flow Variables" of item ${itemIndex} must be a JSON object`, {
			itemIndex,
			description: 'Give a JSON object of variable names and values, e.g. {"orderId": "A-1001"}.',
		});
	}
	const text = JSON.stringify(parsed);
	if (text.length > CONTACT_FLOW_VARIABLES.maxLength) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Contact Flow Variables" of item ${itemIndex} is ${text.length} characters of JSON; the most accepted is ${CONTACT_FLOW_VARIABLES.maxLength}`,
			{ itemIndex },
		);
	}
	return text;
}

/** Whether an input field's key names an API parameter: case-insensitive, camelCase, PascalCase or snake_case. */
function namesParameter(key: string, apiName: string): boolean {
	return key.replace(/[_-]/g, '').toLowerCase() === apiName.toLowerCase();
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Finds the input field named like an API parameter. Two spellings of it with different values (JobId and
 * job_id) are an error naming both keys, rather than a silent pick of one.
 */
export function findInputField(
	ctx: IExecuteFunctions,
	json: IDataObject,
	apiName: string,
	itemIndex: number,
): { key: string; value: unknown } | undefined {
	const named = Object.entries(json)
		.filter(([key]) => namesParameter(key, apiName))
		.map(([key, value]) => ({ key, value }));
	const found = named.filter((f) => !isBlank(f.value));
	if (new Set(found.map((f) => JSON.stringify(f.value))).size > 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has ${found.map((f) => `"${f.key}"`).join(' and ')} with different values; "Map Automatically" cannot tell which is the ${apiName}`,
			{ itemIndex, description: 'Remove or rename one of the fields upstream, or switch to "Map Each Field Manually".' },
		);
	}
	return found[0] ?? named[0];
}

/** Reads and checks the LaunchAuthentication parameters of one item. */
export function readLaunchRequest(ctx: IExecuteFunctions, itemIndex: number, mappingMode: MappingMode): LaunchRequest {
	const request: Partial<Record<string, string>> = {};
	let variables: unknown;
	if (mappingMode === 'autoMapInputData') {
		const json = ctx.getInputData()[itemIndex]?.json ?? {};
		const found = LAUNCH_FIELDS.map((field) => ({ field, input: findInputField(ctx, json, field.api, itemIndex) }));
		const missing = found.filter((f) => f.field.required && isBlank(f.input?.value)).map((f) => f.field);
		if (missing.length > 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex} has no value for ${missing.map((f) => `"${f.api}"`).join(', ')}`,
				{
					itemIndex,
					description: `"Map Automatically" reads the input fields named ${LAUNCH_FIELDS.map((f) => f.api).join(', ')} (any letter case, camelCase or snake_case; UserId and DeviceId are optional). Rename the fields upstream or switch to "Map Each Field Manually".`,
				},
			);
		}
		for (const { field, input } of found) {
			if (!isBlank(input?.value)) request[field.api] = checkText(ctx, field, input!.value, itemIndex, `input field "${input!.key}"`);
		}
		variables = findInputField(ctx, json, CONTACT_FLOW_VARIABLES.api, itemIndex)?.value;
	} else {
		for (const field of LAUNCH_FIELDS) {
			// A resource locator's value, or a plain string saved by version 1 of the node.
			const value = ctx.getNodeParameter(field.parameter, itemIndex, '', { extractValue: true }) as unknown;
			if (field.required || !isBlank(value)) request[field.api] = checkText(ctx, field, value, itemIndex, `parameter "${field.parameter}"`);
		}
		variables = ctx.getNodeParameter(`options.${CONTACT_FLOW_VARIABLES.parameter}`, itemIndex, '') as unknown;
	}
	const text = checkContactFlowVariables(ctx, variables, itemIndex);
	if (text !== undefined) request.ContactFlowVariables = text;
	return request as LaunchRequest;
}
