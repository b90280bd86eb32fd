import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** The request parameters of LaunchAuthentication, by node parameter name. */
export const LAUNCH_FIELDS = [
	{ parameter: 'instanceId', api: 'InstanceId', label: 'Instance ID', maxLength: 128 },
	{ parameter: 'contactFlowId', api: 'ContactFlowId', label: 'Contact Flow ID', maxLength: 128 },
	{ parameter: 'jobId', api: 'JobId', label: 'Job ID', maxLength: 128 },
	{ parameter: 'userId', api: 'UserId', label: 'User ID', maxLength: 256 },
	{ parameter: 'deviceId', api: 'DeviceId', label: 'Device ID', maxLength: 256 },
] as const;

export const CONTACT_FLOW_VARIABLES = { parameter: 'contactFlowVariables', api: 'ContactFlowVariables', label: 'Contact Flow Variables', maxLength: 8192 } as const;

export type LaunchRequest = Record<(typeof LAUNCH_FIELDS)[number]['api'], string> & { ContactFlowVariables?: string };

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

/** Finds an input field named like an API parameter: case-insensitive, camelCase, PascalCase or snake_case. */
export function findInputField(json: IDataObject, apiName: string): { key: string; value: unknown } | undefined {
	const wanted = apiName.toLowerCase();
	for (const [key, value] of Object.entries(json)) {
		if (key.replace(/[_-]/g, '').toLowerCase() === wanted) return { key, value };
	}
	return undefined;
}

/** Reads and checks the LaunchAuthentication parameters of one item. */
export function readLaunchRequest(ctx: IExecuteFunctions, itemIndex: number, mappingMode: MappingMode): LaunchRequest {
	const request = {} as LaunchRequest;
	if (mappingMode === 'autoMapInputData') {
		const json = ctx.getInputData()[itemIndex]?.json ?? {};
		const missing = LAUNCH_FIELDS.filter((f) => {
			const found = findInputField(json, f.api);
			return !found || found.value === undefined || found.value === null || String(found.value).trim() === '';
		});
		if (missing.length > 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex} has no value for ${missing.map((f) => `"${f.api}"`).join(', ')}`,
				{
					itemIndex,
					description: `"Map Automatically" reads the input fields named ${LAUNCH_FIELDS.map((f) => f.api).join(', ')} (any letter case, camelCase or snake_case). Rename the fields upstream or switch to "Map Each Field Manually".`,
				},
			);
		}
		for (const field of LAUNCH_FIELDS) {
			const found = findInputField(json, field.api)!;
			request[field.api] = checkText(ctx, field, found.value, itemIndex, `input field "${found.key}"`);
		}
		const variables = findInputField(json, CONTACT_FLOW_VARIABLES.api);
		const text = checkContactFlowVariables(ctx, variables?.value, itemIndex);
		if (text !== undefined) request.ContactFlowVariables = text;
		return request;
	}
	for (const field of LAUNCH_FIELDS) {
		const value = ctx.getNodeParameter(field.parameter, itemIndex, '') as unknown;
		request[field.api] = checkText(ctx, field, value, itemIndex, `parameter "${field.parameter}"`);
	}
	const variables = ctx.getNodeParameter(`options.${CONTACT_FLOW_VARIABLES.parameter}`, itemIndex, '') as unknown;
	const text = checkContactFlowVariables(ctx, variables, itemIndex);
	if (text !== undefined) request.ContactFlowVariables = text;
	return request;
}
