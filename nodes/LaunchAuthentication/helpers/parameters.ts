import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { parseJson } from '../transport/answer';

/** The request parameters of LaunchAuthentication, by node parameter name. */
/**
 * Alibaba's current LaunchAuthentication reference requires InstanceId, JobId and ContactFlowId; UserId and
 * DeviceId are optional (not sent when empty).
 */
export const LAUNCH_FIELDS = [
	{
		parameter: 'instanceId',
		api: 'InstanceId',
		label: 'Instance ID',
		maxLength: 128,
		required: true,
	},
	{
		parameter: 'contactFlowId',
		api: 'ContactFlowId',
		label: 'Contact Flow ID',
		maxLength: 128,
		required: true,
	},
	{ parameter: 'jobId', api: 'JobId', label: 'Job ID', maxLength: 128, required: true },
	{ parameter: 'userId', api: 'UserId', label: 'User ID', maxLength: 256, required: false },
	{ parameter: 'deviceId', api: 'DeviceId', label: 'Device ID', maxLength: 256, required: false },
] as const;

type LaunchField = (typeof LAUNCH_FIELDS)[number];

export const CONTACT_FLOW_VARIABLES = {
	parameter: 'contactFlowVariables',
	api: 'ContactFlowVariables',
	label: 'Contact Flow Variables',
	maxLength: 8192,
} as const;

type RequiredApi = Extract<LaunchField, { required: true }>['api'];
type OptionalApi = Extract<LaunchField, { required: false }>['api'];
export type LaunchRequest = Record<RequiredApi, string> &
	Partial<Record<OptionalApi, string>> & { ContactFlowVariables?: string };

export type MappingMode = 'defineBelow' | 'autoMapInputData';

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/**
 * Invisible formatting characters: zero-width space, non-joiner and joiner, the left-to-right and right-to-left
 * marks (U+200B–U+200F), the bidi embeddings and overrides (U+202A–U+202E), the bidi isolates (U+2066–U+2069)
 * and the byte-order mark (U+FEFF). An ID that carries one looks right in the editor but names another call.
 */
const INVISIBLE_CHARACTERS = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

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
		throw new NodeOperationError(
			ctx.getNode(),
			`${where} must be text, not ${Array.isArray(value) ? 'a list' : 'an object'}`,
			{
				itemIndex,
				description: `Map "${field.label}" to a single text value, e.g. {{ $json.${field.parameter} }}.`,
			},
		);
	}
	const raw = String(value);
	// Checked before trimming: trim() would silently drop a byte-order mark at either end.
	const invisible = INVISIBLE_CHARACTERS.exec(raw);
	if (invisible) {
		const code = `U+${invisible[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
		throw new NodeOperationError(
			ctx.getNode(),
			`${where} contains an invisible character (${code}, a zero-width, bidi or byte-order mark)`,
			{
				itemIndex,
				description:
					'IDs never contain invisible formatting characters; they usually come from text copied out of a document, chat or spreadsheet. Remove them from the data or the mapping.',
			},
		);
	}
	const text = raw.trim();
	if (text === '') {
		throw new NodeOperationError(ctx.getNode(), `${where} is empty`, {
			itemIndex,
			description: `Set "${field.label}" for every item, e.g. with an expression such as {{ $json.${field.parameter} }}.`,
		});
	}
	if (text.length > field.maxLength) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${where} is ${text.length} characters long; the most CCC accepts is ${field.maxLength}`,
			{
				itemIndex,
				description: 'Check that the field maps to the ID itself, not to a whole record or text.',
			},
		);
	}
	if (!text.isWellFormed()) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${where} contains invalid text (a broken Unicode character, such as a lone surrogate)`,
			{
				itemIndex,
				description:
					'The value cannot be sent as UTF-8. Check the mapping and the data it comes from.',
			},
		);
	}
	if (CONTROL_CHARACTERS.test(text)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${where} contains a control character (such as a line break or tab)`,
			{
				itemIndex,
				description: 'IDs never contain control characters: check the mapping.',
			},
		);
	}
	return text;
}

/** ContactFlowVariables: a JSON object (or its text) passed to the IVR flow; returns its compact JSON text. */
export function checkContactFlowVariables(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		parsed = parseJson(value);
		if (parsed === undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"Contact Flow Variables" of item ${itemIndex} is not valid JSON`,
				{
					itemIndex,
					description:
						'Give a JSON object of variable names and values, e.g. {"orderId": "A-1001"}.',
				},
			);
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"Contact Flow Variables" of item ${itemIndex} must be a JSON object`,
			{
				itemIndex,
				description: 'Give a JSON object of variable names and values, e.g. {"orderId": "A-1001"}.',
			},
		);
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

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/**
 * Finds the input field named like an API parameter: case-insensitive, camelCase, PascalCase or snake_case.
 * Two spellings of it with different values (JobId and job_id) are an error naming both keys, rather than a
 * silent pick of one.
 */
export function findInputField(
	ctx: IExecuteFunctions,
	json: IDataObject,
	apiName: string,
	itemIndex: number,
): { key: string; value: unknown } | undefined {
	return pickInputField(ctx, inputFieldsByApi(json).get(apiName.toLowerCase()), apiName, itemIndex);
}

/** Whether a saved parameter value holds an n8n expression anywhere (a text starting with "=", as n8n's isExpression). */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.charAt(0) === '=';
	if (value !== null && typeof value === 'object')
		return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * Reads one node parameter for any item. Only an expression can give each item its own value: a parameter
 * saved without one (a fixed ID, an ID picked from a list, an option left unset) is read through
 * getNodeParameter once, on the first item that reads it, and that value serves every item. A read that
 * throws is not kept, so each item still gets its own error.
 */
export function parameterReader(
	ctx: IExecuteFunctions,
	name: string,
	fallback: unknown,
	extractValue: boolean,
): (itemIndex: number) => unknown {
	const readOptions = extractValue ? { extractValue: true } : undefined;
	const path = name.split('.');
	let saved: unknown = ctx.getNode().parameters;
	for (const key of path)
		saved = saved !== null && typeof saved === 'object' ? (saved as IDataObject)[key] : undefined;
	if (holdsExpression(saved))
		return (itemIndex) => ctx.getNodeParameter(name, itemIndex, fallback, readOptions) as unknown;
	let read: { value: unknown } | undefined;
	return (itemIndex) =>
		(read ??= { value: ctx.getNodeParameter(name, itemIndex, fallback, readOptions) as unknown })
			.value;
}

/** The input fields of one item by the API parameter they name (keys without _ and -, lower case), in one pass over its keys. */
function inputFieldsByApi(json: IDataObject): Map<string, Array<{ key: string; value: unknown }>> {
	const byApi = new Map<string, Array<{ key: string; value: unknown }>>();
	for (const [key, value] of Object.entries(json)) {
		const name = key.replace(/[_-]/g, '').toLowerCase();
		const fields = byApi.get(name);
		if (fields) fields.push({ key, value });
		else byApi.set(name, [{ key, value }]);
	}
	return byApi;
}

/** The found field (as findInputField) among the input fields that name one API parameter. */
function pickInputField(
	ctx: IExecuteFunctions,
	named: Array<{ key: string; value: unknown }> | undefined,
	apiName: string,
	itemIndex: number,
): { key: string; value: unknown } | undefined {
	if (!named) return undefined;
	const found = named.filter((f) => !isBlank(f.value));
	if (found.length > 1 && new Set(found.map((f) => JSON.stringify(f.value))).size > 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has ${found.map((f) => `"${f.key}"`).join(' and ')} with different values; "Map Automatically" cannot tell which is the ${apiName}`,
			{
				itemIndex,
				description:
					'Remove or rename one of the fields upstream, or switch to "Map Each Field Manually".',
			},
		);
	}
	return found[0] ?? named[0];
}

/**
 * The reader of every item's LaunchAuthentication parameters, made once per execution: what cannot differ
 * between items (the mapping mode, parameters saved without an expression) is read once; each item's
 * expressions and input fields are read and every value is checked for every item.
 */
export function launchRequestReader(
	ctx: IExecuteFunctions,
	mappingMode: MappingMode,
): (itemIndex: number) => LaunchRequest {
	if (mappingMode === 'autoMapInputData') {
		const items = ctx.getInputData();
		return (itemIndex) => {
			const json = items[itemIndex]?.json ?? {};
			const byApi = inputFieldsByApi(json);
			const request: Partial<Record<string, string>> = {};
			const found = LAUNCH_FIELDS.map((field) => ({
				field,
				input: pickInputField(ctx, byApi.get(field.api.toLowerCase()), field.api, itemIndex),
			}));
			const missing = found
				.filter((f) => f.field.required && isBlank(f.input?.value))
				.map((f) => f.field);
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
				if (!isBlank(input?.value))
					request[field.api] = checkText(
						ctx,
						field,
						input!.value,
						itemIndex,
						`input field "${input!.key}"`,
					);
			}
			const variables = pickInputField(
				ctx,
				byApi.get(CONTACT_FLOW_VARIABLES.api.toLowerCase()),
				CONTACT_FLOW_VARIABLES.api,
				itemIndex,
			)?.value;
			const text = checkContactFlowVariables(ctx, variables, itemIndex);
			if (text !== undefined) request.ContactFlowVariables = text;
			return request as LaunchRequest;
		};
	}
	// A resource locator's value, or a plain string saved by version 1 of the node.
	const fields = LAUNCH_FIELDS.map((field) => ({
		field,
		read: parameterReader(ctx, field.parameter, '', true),
	}));
	const readVariables = parameterReader(
		ctx,
		`options.${CONTACT_FLOW_VARIABLES.parameter}`,
		'',
		false,
	);
	return (itemIndex) => {
		const request: Partial<Record<string, string>> = {};
		for (const { field, read } of fields) {
			const value = read(itemIndex);
			if (field.required || !isBlank(value))
				request[field.api] = checkText(
					ctx,
					field,
					value,
					itemIndex,
					`parameter "${field.parameter}"`,
				);
		}
		const text = checkContactFlowVariables(ctx, readVariables(itemIndex), itemIndex);
		if (text !== undefined) request.ContactFlowVariables = text;
		return request as LaunchRequest;
	};
}
