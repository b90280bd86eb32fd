import { runWorkflow, type WorkflowJson } from '../../tools/engine/engine';

import { chain, fixedItems, nodeTypes, set, trigger } from './engineFixtures';

// The engine's Set stand-in (tools/engine/nodes/Set.node.ts). The items and error messages expected in the
// first two tests are what n8n-nodes-base 2.41.1's own Set node gave for the same workflows, run through the
// same engine; the refusals are the stand-in's own.
describe('runWorkflow: the Set stand-in', () => {
	it('dot notation off, includeOtherFields with except, type conversion error', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				fixedItems([{ a: 1, b: 2, nested: { c: 3 } }]),
				set('Except', {
					includeOtherFields: true,
					include: 'except',
					excludeFields: 'b, nested.c',
					assignments: { assignments: [{ id: '1', name: 'x.y', value: '={{ $json.a + 1 }}', type: 'string' }] },
					options: {},
				}),
				set('Flat', {
					assignments: { assignments: [{ id: '1', name: 'x.y', value: 'flat', type: 'string' }] },
					options: { dotNotation: false },
				}),
				set('Bad Number', {
					assignments: { assignments: [{ id: '1', name: 'n', value: 'abc', type: 'number' }] },
					options: {},
				}),
			],
			connections: chain(trigger.name, 'Fixed Items', 'Except', 'Flat', 'Bad Number'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.json('Except')).toEqual([{ a: 1, nested: {}, x: { y: '2' } }]);
		expect(result.json('Flat')).toEqual([{ 'x.y': 'flat' }]);
		expect(result.nodeError('Bad Number')?.message).toMatch(/'n' expects a number/);
	});

	it('On Error: Continue makes an item whose value does not fit its type an error item, paired to its input', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				fixedItems([{ n: '1' }, { n: 'x' }, { n: null }, { n: { o: 1 } }]),
				set(
					'Typed',
					{
						includeOtherFields: true,
						assignments: {
							assignments: [
								{ id: '1', name: 'v', value: '={{ $json.n }}', type: 'number' },
								{ id: '2', name: 's', value: '={{ $json.n }}', type: 'string' },
								{ id: '3', name: 'a.b[0].c', value: 'x', type: 'string' },
							],
						},
						options: {},
					},
					{ onError: 'continueRegularOutput' },
				),
			],
			connections: chain(trigger.name, 'Fixed Items', 'Typed'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.outputs('Typed')).toEqual([
			{ json: { n: '1', v: 1, s: '1', a: { b: [{ c: 'x' }] } }, pairedItem: { item: 0 } },
			{ json: { error: "'v' expects a number but we got 'x' [item 1]" }, pairedItem: { item: 1 } },
			{ json: { n: null, v: null, s: null, a: { b: [{ c: 'x' }] } }, pairedItem: { item: 2 } },
			{ json: { error: "'v' expects a number but we got object [item 3]" }, pairedItem: { item: 3 } },
		]);
	});

	it.each([
		{ parameters: { mode: 'raw' }, named: 'JSON mode' },
		{ parameters: { includeOtherFields: true, include: 'selected' }, named: 'include "selected"' },
		{ parameters: { options: { ignoreConversionErrors: true, stripBinary: false } }, named: 'the option(s) ignoreConversionErrors, stripBinary' },
		{ parameters: { assignments: { assignments: [{ id: '1', name: 'file', value: 'data', type: 'binary' }] } }, named: 'binary fields' },
	])('refuses $named, which it does not cover, even with On Error: Continue', async ({ parameters, named }) => {
		const workflow: WorkflowJson = {
			nodes: [trigger, set('Edit', { assignments: { assignments: [] }, ...parameters }, { onError: 'continueRegularOutput' })],
			connections: chain(trigger.name, 'Edit'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.status).toBe('error');
		expect(result.nodeError('Edit')?.message).toBe(
			`The engine's Set stand-in does not support ${named}; n8n's own Set node does (test:e2e runs it)`,
		);
	});
});
