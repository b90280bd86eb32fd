/**
 * A module loaded on first use and kept: n8n requires every node and credential at start-up, so the
 * libraries they need only when they run (Alibaba's signing library, p-map, p-retry, Bottleneck) are loaded
 * the first time they are needed. Unwraps a CommonJS module's `default` the one way, for all of them.
 */
export function lazyModule<T>(load: () => Promise<unknown>): () => Promise<T> {
	let loading: Promise<T> | undefined;
	return () =>
		(loading ??= load().then((module) => ((module as { default?: T }).default ?? module) as T));
}
