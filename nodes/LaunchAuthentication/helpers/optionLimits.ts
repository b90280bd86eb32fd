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
export function limitedNumber(name: LimitedOption): { typeOptions: { minValue: number; maxValue: number }; default: number } {
	const limit = OPTION_LIMITS[name];
	return { typeOptions: { minValue: limit.min, maxValue: limit.max }, default: limit.default };
}

/** The option's value as a whole number within its bounds; its default when it is not a finite number. */
export function clampOption(name: LimitedOption, value: unknown): number {
	const limit = OPTION_LIMITS[name];
	const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : limit.default;
	return Math.min(limit.max, Math.max(limit.min, n));
}

/** Answers larger than this are refused: a real CCC answer is a few kB (an IVR trace page of 100 rows, tens of kB). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;
