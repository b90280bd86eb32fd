/**
 * The order in which the bench runs its variants. Whatever one run leaves behind (garbage, an isolate n8n
 * re-creates, a database write) weighs on the next one; a plain rotation always gives each variant the same
 * predecessor. Here every variant follows every other one equally often.
 */

/**
 * A cycle of the variants in which each ordered pair of different variants (a then b) occurs exactly once,
 * counting the step from the last back to the first: n × (n − 1) entries, each variant n − 1 times.
 * An Euler circuit of the complete directed graph, found by Hierholzer's algorithm taking the smallest
 * step forward (b − a mod n) first; for ['node', 'http', 'floor'] it is node, http, floor, node, floor, http.
 */
export function balancedCycle<T>(variants: readonly T[]): T[] {
	const n = variants.length;
	if (n < 2) return [...variants];
	/** The next step (1..n−1) each variant has not yet taken. */
	const nextStep = new Array<number>(n).fill(1);
	const stack = [0];
	const circuit: number[] = [];
	while (stack.length > 0) {
		const at = stack[stack.length - 1];
		if (nextStep[at] < n) stack.push((at + nextStep[at]++) % n);
		else circuit.push(stack.pop()!);
	}
	// The circuit comes out backwards and closed (its first entry repeated at the end).
	return circuit.reverse().slice(0, -1).map((i) => variants[i]);
}

/**
 * `rounds` runs of each variant in the balanced cycle's order, the cycle repeated as often as needed.
 * Exactly balanced when `rounds` is a multiple of n − 1; otherwise a variant that already has its rounds
 * is skipped, so each variant still runs exactly `rounds` times.
 */
export function balancedOrder<T>(variants: readonly T[], rounds: number): T[] {
	const cycle = balancedCycle(variants);
	const count = new Map<T, number>(variants.map((v) => [v, 0]));
	const order: T[] = [];
	for (let k = 0; order.length < rounds * variants.length; k++) {
		const v = cycle[k % cycle.length];
		if (count.get(v)! < rounds) {
			count.set(v, count.get(v)! + 1);
			order.push(v);
		}
	}
	return order;
}
