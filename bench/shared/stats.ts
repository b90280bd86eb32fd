/**
 * The bench's statistics, for both parts (bench/inProcess, and bench/n8n through the compiled copy in
 * .build/bench/shared): quantiles by linear interpolation, the median, a bootstrap interval of the median,
 * and a monotonic clock in ms.
 */

/** The q-quantile (0..1) of `values`, interpolated between the two nearest ranks; NaN when empty. */
export function quantile(values: number[], q: number): number {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const pos = (s.length - 1) * q;
	const lo = Math.floor(pos);
	return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}

/** The median (the mean of the two middle values for an even count); NaN when empty. */
export function median(values: number[]): number {
	return quantile(values, 0.5);
}

/** 95% bootstrap interval of the median (deterministic: a fixed-seed generator). */
export function medianInterval(values: number[], resamples = 2000): [number, number] {
	let seed = 12345;
	const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const medians: number[] = [];
	for (let r = 0; r < resamples; r++) medians.push(median(values.map(() => values[Math.floor(random() * values.length)])));
	return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

/** A monotonic clock, ms (process.hrtime). */
export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}
