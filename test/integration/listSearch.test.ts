import type { ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { searchContactFlows, searchInstances, searchUsers } from '../../nodes/LaunchAuthentication/methods/listSearch';
import { n8nRequestHelpers } from '../../tools/engine/n8nRequestHelpers';
import { DEFAULT_ACCESS_KEYS, DOC, LAUNCH, emulatorCredential, useEmulator } from './harness';

/**
 * The Instance, Contact Flow and Agent pickers' lists, against the emulator's seeded directory (2 instances,
 * a few flows including the PIN authentication flow, 250 agents in ccc-test): pages on demand, the typed
 * text sent as SearchPattern where CCC has one, errors the dropdown can show.
 */
const emu = useEmulator();

function context(parameters: Record<string, unknown>, credential?: ReturnType<typeof emulatorCredential>): ILoadOptionsFunctions {
	return {
		getNode: () => ({ name: LAUNCH, type: 'n8n-nodes-alibaba-ccc.launchAuthentication', typeVersion: 2 }) as INode,
		getCredentials: async () => credential ?? emulatorCredential(emu),
		getNodeParameter: (name: string) => parameters[name] ?? '',
		helpers: n8nRequestHelpers(),
	} as unknown as ILoadOptionsFunctions;
}

const inCccTest = () => context({ instanceId: 'ccc-test' });

describe('instances', () => {
	it('lists every instance with its name and ID; the typed text filters', async () => {
		const all = await searchInstances.call(context({}));
		expect(all.results.map((r) => r.value)).toEqual(expect.arrayContaining(['ccc-test', 'ccc-emulator-2']));
		expect(all.results.find((r) => r.value === 'ccc-test')?.name).toMatch(/\(ccc-test\)$/);
		expect(all.paginationToken).toBeUndefined();
		const filtered = await searchInstances.call(context({}), 'emulator-2');
		expect(filtered.results.map((r) => r.value)).toEqual(['ccc-emulator-2']);
	});
});

describe('contact flows', () => {
	it('lists the chosen instance’s flows, authentication flows first, and sends the typed text as SearchPattern', async () => {
		const all = await searchContactFlows.call(inCccTest());
		expect(all.results.length).toBeGreaterThan(2);
		expect(all.results[0].name).toMatch(/auth|verif|PIN/i);
		expect(all.results.map((r) => r.value)).toContain(DOC.contactFlowId);
		const found = await searchContactFlows.call(inCccTest(), 'PIN');
		expect(found.results.map((r) => r.value)).toContain(DOC.contactFlowId);
		expect(emu.requests.filter((r) => r.action === 'ListContactFlows').at(-1)?.params).toMatchObject({ InstanceId: 'ccc-test', SearchPattern: 'PIN' });
	});

	it('asks for the instance first', async () => {
		await expect(searchContactFlows.call(context({}))).rejects.toThrow('Choose the Instance first: the list depends on it.');
		expect(emu.requests).toHaveLength(0);
	});
});

describe('agents', () => {
	it('pages through 250 agents 100 at a time, as the user scrolls', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await searchUsers.call(inCccTest(), undefined, token);
			seen.push(...page.results.map((r) => String(r.value)));
			token = page.paginationToken;
			pages++;
		} while (token);
		expect(pages).toBe(3);
		expect(new Set(seen).size).toBe(250);
		expect(seen).toContain(DOC.userId);
		expect(emu.requests.filter((r) => r.action === 'ListUsers').map((r) => r.params.PageNumber)).toEqual(['1', '2', '3']);
	});

	it('sends the typed text as SearchPattern', async () => {
		const page = await searchUsers.call(inCccTest(), 'user-test');
		expect(page.results.map((r) => r.value)).toEqual([DOC.userId]);
		expect(page.results[0].name).toMatch(/ext\. 80326034/);
		expect(emu.requests.at(-1)?.params).toMatchObject({ SearchPattern: 'user-test' });
	});
});

describe('errors the dropdown shows', () => {
	it('an unknown instance: the CCC code and a hint', async () => {
		await expect(searchUsers.call(context({ instanceId: 'ccc-nope' }))).rejects.toMatchObject({
			message: expect.stringMatching(/^ListUsers failed: NotExists\.InstanceId: /),
			description: expect.stringMatching(/instance/i),
			httpCode: '404',
		});
	});

	it('a key without RAM permission, and no secret in the message', async () => {
		const noPermission = DEFAULT_ACCESS_KEYS.find((k) => k.accessKeyId === 'LTAI5tNoPermission00001')!;
		const credential = emulatorCredential(emu, { accessKeyId: noPermission.accessKeyId, accessKeySecret: noPermission.accessKeySecret });
		const error = await searchInstances.call(context({}, credential)).catch((e: Error & { description?: string }) => e);
		expect(error).toMatchObject({ message: expect.stringMatching(/^ListInstances failed: Forbidden\.RAM/), httpCode: '403' });
		expect(JSON.stringify(error)).not.toContain(noPermission.accessKeySecret);
	});

	it('a broken credential says which field to fix', async () => {
		await expect(searchInstances.call(context({}, emulatorCredential(emu, { accessKeySecret: '' })))).rejects.toThrow(/AccessKey Secret/);
	});
});
