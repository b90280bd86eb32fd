import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../transport/answer';

/**
 * Turns CCC's loosely typed JSON (numbers and booleans as strings, lists and maps as JSON strings,
 * documentation placeholders) into typed values. Fields this file does not know pass through unchanged.
 */

/** Values Alibaba's documentation and some answers use for "no value"; they are not data. */
const PLACEHOLDERS = new Set(['无', '無', 'N/A', 'null', 'NULL', 'None']);

const NUMBER_FIELDS = new Set(['Index', 'Timestamp', 'Heartbeat', 'Reserved', 'HttpStatusCode']);
const BOOLEAN_FIELDS = new Set(['OutboundScenario']);
const ARRAY_FIELDS = new Set(['SignedSkillGroupIdList']);
const OBJECT_FIELDS = new Set(['AssociatedData']);

export function isPlaceholder(value: unknown): boolean {
	return typeof value === 'string' && (value.trim() === '' || PLACEHOLDERS.has(value.trim()));
}

export function toNumber(value: unknown): unknown {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value.trim())) return value;
	const n = Number(value.trim());
	return Number.isFinite(n) && (!Number.isInteger(n) || Number.isSafeInteger(n)) ? n : value;
}

export function toBoolean(value: unknown): unknown {
	if (typeof value === 'boolean') return value;
	if (typeof value !== 'string') return value;
	const v = value.trim().toLowerCase();
	return v === 'true' ? true : v === 'false' ? false : value;
}

export function toArray(value: unknown): unknown {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	if (trimmed.startsWith('[')) {
		const parsed = parseJson(trimmed);
		return Array.isArray(parsed) ? parsed : value;
	}
	// A bare comma-separated list, as some CCC answers send.
	return trimmed
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

export function toObject(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	if (!trimmed.startsWith('{')) return value;
	const parsed = parseJson(trimmed);
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : value;
}

/** One field's value, typed by what the field is known to hold. */
function normalizeValue(key: string, raw: unknown): unknown {
	if (isPlaceholder(raw)) return null;
	if (NUMBER_FIELDS.has(key)) return toNumber(raw);
	if (BOOLEAN_FIELDS.has(key)) return toBoolean(raw);
	if (ARRAY_FIELDS.has(key)) return toArray(raw);
	if (OBJECT_FIELDS.has(key)) return toObject(raw);
	return raw;
}

/**
 * Normalizes one flat CCC record (UserContext, a ChannelContext, CallContext without its channels).
 * Built with Object.fromEntries, which defines every key as an own property: an answer key such as
 * "__proto__" stays an ordinary field and can never become the prototype of the output object.
 */
export function normalizeRecord(record: unknown): IDataObject {
	if (!record || typeof record !== 'object' || Array.isArray(record)) return {};
	return Object.fromEntries(
		Object.entries(record as Record<string, unknown>).map(([key, raw]) => [
			key,
			normalizeValue(key, raw),
		]),
	) as IDataObject;
}

export interface NormalizedLaunchData {
	UserContext: IDataObject;
	CallContext: IDataObject;
	ChannelContexts: IDataObject[];
}

/** Normalizes LaunchAuthentication's Data: UserContext, CallContext (without channels) and the channels. */
export function normalizeLaunchData(data: unknown): NormalizedLaunchData {
	const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
	const call = (d.CallContext && typeof d.CallContext === 'object' ? d.CallContext : {}) as Record<
		string,
		unknown
	>;
	const { ChannelContexts: rawChannels, ...callFields } = call;
	const channels = Array.isArray(rawChannels)
		? rawChannels
		: rawChannels && typeof rawChannels === 'object'
			? [rawChannels] // XML-to-JSON converters turn a one-element list into an object.
			: [];
	return {
		UserContext: normalizeRecord(d.UserContext),
		CallContext: normalizeRecord(callFields),
		ChannelContexts: channels.map(normalizeRecord),
	};
}
