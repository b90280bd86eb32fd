import { LaunchAuthentication } from '../../nodes/LaunchAuthentication/LaunchAuthentication.node';

/** The value with every object's keys in sorted order (their order means nothing to n8n). */
function sortedKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortedKeys);
	if (!value || typeof value !== 'object') return value;
	const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
}

// The node's whole description (what the editor shows and what saved workflows are read against), compared
// with the recorded one in __snapshots__/: the node's own fields on the first line, then one line per
// parameter, in the editor's order. Recorded before the operation descriptions moved to n8n-workflow's
// updateDisplayOptions, so it proves that move left every parameter, condition and option as it was.
// A deliberate change of a parameter: `npx jest -u test/unit/nodeDescription.test.ts`, and review the diff.
describe('node description', () => {
	it('is the recorded one, parameter by parameter', () => {
		const { properties, ...node } = JSON.parse(
			JSON.stringify(new LaunchAuthentication().description),
		) as { properties: unknown[] };
		expect(properties.length).toBeGreaterThan(0);
		const lines = [node, ...properties].map((part) => JSON.stringify(sortedKeys(part)));
		expect(lines).toMatchSnapshot();
	});
});
