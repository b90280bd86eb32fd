import type { NodeOperationError } from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../../tools/engine/engine';

import { chain, fixedItems, nodeTypes, notify, people, trigger, upper } from './engineFixtures';

describe('runWorkflow (n8n WorkflowExecute harness)', () => {
	it('runs Manual Trigger → items → expressions → Set over multiple items, with pairedItem', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people.filter((p) => p.name !== 'bob')), upper(), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executedNodes).toEqual([trigger.name, 'Fixed Items', 'Upper Case', 'Notify']);
		expect(result.json(trigger.name)).toEqual([{}]);
		expect(result.json('Upper Case').map((j) => j.upper)).toEqual(['ALICE FROM BEIJING', 'CAROL FROM SHENZHEN']);
		expect(result.outputs('Upper Case').map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.outputs('Notify')).toEqual([
			{ json: { message: 'User u-1 said ALICE FROM BEIJING', meta: { length: 18 } }, pairedItem: { item: 0 } },
			{ json: { message: 'User u-3 said CAROL FROM SHENZHEN', meta: { length: 19 } }, pairedItem: { item: 1 } },
		]);
	});

	it('does not mutate the workflow JSON it is given', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems([{ name: 'x' }])],
			connections: chain(trigger.name, 'Fixed Items'),
		};
		const before = JSON.stringify(workflow);
		await runWorkflow({ workflow, nodeTypes });
		expect(JSON.stringify(workflow)).toBe(before);
	});

	it('feeds triggerItems as the trigger output (pinned) and keeps Set includeOtherFields', async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				{
					...notify,
					parameters: {
						...notify.parameters,
						includeOtherFields: true,
						assignments: {
							assignments: [
								{ id: 'f1', name: 'message', value: '=Hi {{ $json.UserContext.UserId }}', type: 'string' },
							],
						},
					},
				},
			],
			connections: chain(trigger.name, 'Notify'),
		};
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			triggerItems: [{ json: { UserContext: { UserId: 'u-9' } } }],
		});
		expect(result.json('Notify')).toEqual([{ UserContext: { UserId: 'u-9' }, message: 'Hi u-9' }]);
	});

	it('continueOnFail turns a failing item into an error item on the main output', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper({ onError: 'continueRegularOutput' }), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		const out = result.outputs('Upper Case');
		expect(out).toHaveLength(3);
		expect(out[1]).toEqual({ json: { error: 'Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 1 } });
		expect(out[0].json.upper).toBe('ALICE FROM BEIJING');
		expect(result.outputs('Upper Case', 1)).toEqual([]);
	});

	it('legacy continueOnFail: true behaves the same', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper({ continueOnFail: true })],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });
		expect(result.json('Upper Case')[1]).toEqual({ error: 'Refusing to upper-case "bob from Hangzhou"' });
	});

	it("onError 'continueErrorOutput' routes error items to output 1", async () => {
		const workflow: WorkflowJson = {
			nodes: [
				trigger,
				fixedItems(people),
				upper({ onError: 'continueErrorOutput' }),
				notify,
				{
					...notify,
					id: 'a5',
					name: 'Report Failure',
					parameters: {
						assignments: {
							assignments: [
								{ id: 'e1', name: 'alert', value: '={{ $json.UserContext.UserId }}: {{ $json.error }}', type: 'string' },
							],
						},
						options: {},
					},
				},
			],
			connections: {
				...chain(trigger.name, 'Fixed Items', 'Upper Case'),
				'Upper Case': {
					main: [
						[{ node: 'Notify', type: 'main', index: 0 }],
						[{ node: 'Report Failure', type: 'main', index: 0 }],
					],
				},
			},
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.error).toBeUndefined();
		expect(result.json('Upper Case', 0).map((j) => j.upper)).toEqual(['ALICE FROM BEIJING', 'CAROL FROM SHENZHEN']);
		// As in n8n, the error-output item carries the input item's fields plus `error`.
		expect(result.outputs('Upper Case', 1)).toEqual([
			{ json: { ...people[1], error: 'Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 1 } },
		]);
		expect(result.outputs('Report Failure')).toEqual([
			{ json: { alert: 'u-2: Refusing to upper-case "bob from Hangzhou"' }, pairedItem: { item: 0 } },
		]);
		expect(result.json('Notify')).toHaveLength(2);
		expect(result.executedNodes).toContain('Report Failure');
	});

	it('a thrown NodeOperationError fails the run: result.error and nodeError', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, fixedItems(people), upper(), notify],
			connections: chain(trigger.name, 'Fixed Items', 'Upper Case', 'Notify'),
		};
		const result = await runWorkflow({ workflow, nodeTypes });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Refusing to upper-case "bob from Hangzhou"');
		// WorkflowExecute stores errors as plain serialisable copies ({ ...error, message, stack }).
		expect(result.error?.name).toBe('NodeOperationError');
		expect(result.nodeError('Upper Case')?.message).toBe('Refusing to upper-case "bob from Hangzhou"');
		expect((result.nodeError('Upper Case') as NodeOperationError).node?.name).toBe('Upper Case');
		expect((result.nodeError('Upper Case') as NodeOperationError).context.itemIndex).toBe(1);
		expect(result.runData.Notify).toBeUndefined();
		expect(() => result.outputs('Notify')).toThrow(/has no run 0/);
	});

	it('FixedItems as the first node gets the default empty input item', async () => {
		const workflow: WorkflowJson = { nodes: [fixedItems([{ v: 1 }, { v: 2 }])], connections: {} };
		const result = await runWorkflow({ workflow });
		expect(result.outputs('Fixed Items')).toEqual([
			{ json: { v: 1 }, pairedItem: { item: 0 } },
			{ json: { v: 2 }, pairedItem: { item: 0 } },
		]);
	});

	it('triggerItems become the input of a non-trigger start node', async () => {
		const workflow: WorkflowJson = { nodes: [upper({ parameters: { text: '={{ $json.name }}' } })], connections: {} };
		const result = await runWorkflow({
			workflow,
			nodeTypes,
			triggerItems: [{ json: { name: 'a' } }, { json: { name: 'b' } }],
		});
		expect(result.json('Upper Case').map((j) => j.upper)).toEqual(['A', 'B']);
	});

	it('rejects unknown node types with a helpful message', async () => {
		const workflow: WorkflowJson = {
			nodes: [trigger, { ...upper(), type: 'n8n-nodes-base.httpRequest' }],
			connections: chain(trigger.name, 'Upper Case'),
		};
		await expect(runWorkflow({ workflow, nodeTypes })).rejects.toThrow(/"n8n-nodes-base.httpRequest".*not registered/);
	});
});
