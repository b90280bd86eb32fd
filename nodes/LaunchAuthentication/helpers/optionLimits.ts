/**
 * Every numeric option's default and bounds, in one table: the node's fields show them (`typeOptions`)
 * and the operation clamps what it reads to them (an expression can produce any number).
 */
export const OPTION_LIMITS = {
	concurrency: { default: 5, min: 1, max: 50 },
	maxRequestsPerSecond: { default: 0, min: 0, max: 1000 },
	maxRetries: { default: 3, min: 0, max: 10 },
	retryBudgetSeconds: { default: 30, min: 0, max: 600 },
	connectTimeoutMs: { default: 5000, min: 100, max: 60000 },
	readTimeoutMs: { default: 10000, min: 100, max: 120000 },
	pollIntervalSeconds: { default: 2, min: 1, max: 60 },
	resultTimeoutSeconds: { default: 60, min: 1, max: 600 },
} as const;

export type LimitedOption = keyof typeof OPTION_LIMITS;

/** The field's typeOptions and default, for a node property. */
export function limitedNumber(name: LimitedOption): {
	typeOptions: { minValue: number; maxValue: number };
	default: number;
} {
	const limit = OPTION_LIMITS[name];
	return { typeOptions: { minValue: limit.min, maxValue: limit.max }, default: limit.default };
}

/** The option's name as the node's panel shows it, for errors. */
const DISPLAY_NAMES: Record<LimitedOption, string> = {
	concurrency: 'Concurrency',
	maxRequestsPerSecond: 'Max Requests per Second',
	maxRetries: 'Max Retries',
	retryBudgetSeconds: 'Retry Budget (s)',
	connectTimeoutMs: 'Connect Timeout (ms)',
	readTimeoutMs: 'Read Timeout (ms)',
	pollIntervalSeconds: 'Poll Interval (s)',
	resultTimeoutSeconds: 'Result Timeout (s)',
};

/** An option whose value is neither a number nor numeric text (e.g. an expression giving "abc"). */
export class OptionValueError extends Error {
	constructor(
		readonly option: LimitedOption,
		readonly value: unknown,
	) {
		super(
			`The option "${DISPLAY_NAMES[option]}" must be a number, not ${JSON.stringify(value) ?? String(value)}`,
		);
		this.name = 'OptionValueError';
	}
}

/**
 * The option's value as a whole number within its bounds. A number, or numeric text as an expression may
 * give it (`{{ "3" }}`, " 3 ", "2.5"), counts; unset (undefined, null, empty text) is the default; anything
 * else (text that is not a number, NaN, Infinity, objects) throws an OptionValueError naming the option:
 * never a silent fall-back to the default.
 */
export function clampOption(name: LimitedOption, value: unknown): number {
	const limit = OPTION_LIMITS[name];
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
		return limit.default;
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)
				? Number(value)
				: NaN;
	if (!Number.isFinite(n)) throw new OptionValueError(name, value);
	return Math.min(limit.max, Math.max(limit.min, Math.floor(n)));
}

/** Answers larger than this are refused: a real CCC answer is a few kB (an IVR trace page of 100 rows, tens of kB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
