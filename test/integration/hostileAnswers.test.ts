import type { ILoadOptionsFunctions, INode } from 'n8n-workflow';

import { alibabaCloudCccApiTest } from '../../nodes/LaunchAuthentication/methods/credentialCheck';
import { searchContactFlows, searchInstances } from '../../nodes/LaunchAuthentication/methods/listSearch';
import { n8nRequestHelpers } from '../../tools/engine/n8nRequestHelpers';
import { DEFAULT_ACCESS_KEYS, LAUNCH, crmItem, crmWorkflowWith, emulatorCredential, run, useEmulator } from './harness';

/**
 * Answers an endpoint (or something pretending to be one) may send back, and what reaches the user:
 * secrets echoed into picker entries and codes, links that are not links, an error body whose excerpt is
 * cut through a secret, page tokens the editor should never have, keys a header cannot carry.
 */
const emu = useEmulator();
const STS = DEFAULT_ACCESS_KEYS.find((k) => k.securityToken)!;
const TOKEN = STS.securityToken!;
const stsCredential = () => emulatorCredential(emu, { accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret, securityToken: TOKEN });
const lowerPercent = (s: string) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());

function pickerContext(parameters: Record<string, unknown> = {}): ILoadOptionsFunctions {
	return {
		getNode: () => ({ name: LAUNCH, type: 'n8n-nodes-alibaba-ccc.launchAuthentication', typeVersion: 2 }) as INode,
		getCredentials: async () => stsCredential(),
		getNodeParameter: (name: string) => parameters[name] ?? '',
		helpers: n8nRequestHelpers(),
	} as unknown as ILoadOptionsFunctions;
}

describe('pickers', () => {
	it('entries echoing the token are redacted, and only https: console links are passed on', async () => {
		emu.setFaults([
			{
				type: 'bad-data',
				action: 'ListInstances',
				data: {
					TotalCount: 3,
					List: [
						{ Id: `ccc-${TOKEN}`, Name: `Acme ${TOKEN}`, ConsoleUrl: 'javascript:alert(document.cookie)' },
						{ Id: 'ccc-b', Name: `B ${encodeURIComponent(TOKEN)}`, ConsoleUrl: 'data:text/html,<script>1</script>' },
						{ Id: 'ccc-c', Name: 'C', ConsoleUrl: 'https://ccc.console.aliyun.com/ccc-c' },
					],
				},
			},
		]);
		const { results } = await searchInstances.call(pickerContext());
		expect(JSON.stringify(results)).not.toContain(TOKEN);
		expect(JSON.stringify(results)).not.toContain(encodeURIComponent(TOKEN));
		expect(results.map((r) => r.url)).toEqual([undefined, undefined, 'https://ccc.console.aliyun.com/ccc-c']);
	});

	it('an error Code echoing the token is redacted in the error the dropdown shows', async () => {
		emu.setFaults([{ type: 'server-error', action: 'ListContactFlows', status: 500, code: `Denied.${TOKEN}`, message: `token ${lowerPercent(TOKEN)}` }]);
		const error = (await searchContactFlows.call(pickerContext({ instanceId: 'ccc-test' })).catch((e: unknown) => e)) as Error & { errorResponse?: unknown };
		expect(error).toBeInstanceOf(Error);
		const shown = JSON.stringify({ message: error.message, response: error.errorResponse, description: (error as { description?: unknown }).description });
		expect(shown).toContain('Denied.');
		expect(shown).not.toContain(TOKEN);
		expect(shown).not.toContain(lowerPercent(TOKEN));
	});

	it.each(['-3', '2.5', 'Infinity', '0', '101', 'abc'])('page token %s is never sent as a PageNumber: the first page is read', async (token) => {
		await searchInstances.call(pickerContext(), undefined, token);
		expect(emu.requests.at(-1)?.params.PageNumber).toBe('1');
	});

	it('a read that fails says it launched nothing', async () => {
		emu.setFaults([{ type: 'reset-after', action: 'ListContactFlows' }]);
		const flows = (await searchContactFlows.call(pickerContext({ instanceId: 'ccc-test' })).catch((e: unknown) => e)) as Error;
		expect(flows.message).toMatch(/only reads \(ListContactFlows\): nothing was launched/);
		expect(flows.message).not.toMatch(/authentication may/);
	});
});

it('an error body cut for its excerpt is redacted first: no prefix of the token survives the cut', async () => {
	// The token straddles character 160 of the one-line excerpt.
	const body = JSON.stringify({ message: `${'x'.repeat(150)} ${TOKEN} tail` });
	emu.setFaults([{ type: 'error-no-code', action: 'LaunchAuthentication', status: 403, body }]);
	const wf = crmWorkflowWith({ items: [crmItem('job-load-1')], onError: 'continueRegularOutput', withNotify: false });
	const result = await run(wf, stsCredential());
	const [item] = result.outputs(LAUNCH);
	expect(String(item.json.error)).toMatch(/HTTP 403 with JSON without a CCC error code/);
	expect(JSON.stringify(item.json)).not.toContain(TOKEN.slice(0, 8));
});

describe('a key or token an HTTP header cannot carry is named before any request', () => {
	const bad = { ...{ accessKeyId: STS.accessKeyId, accessKeySecret: STS.accessKeySecret }, securityToken: `${TOKEN}令牌` };

	it('launch: the item error names the field; nothing is sent or retried', async () => {
		const wf = crmWorkflowWith({ items: [crmItem('job-load-1')], onError: 'continueRegularOutput', withNotify: false });
		const result = await run(wf, emulatorCredential(emu, bad));
		const [item] = result.outputs(LAUNCH);
		expect(item.json.error).toMatch(/"Security Token \(STS\)" contains a character an HTTP header cannot carry \(U\+4EE4/);
		expect(JSON.stringify(item.json)).not.toContain(TOKEN);
		expect(emu.requests).toHaveLength(0);
	});

	it('credential test: names the field, not "Endpoint unreachable"', async () => {
		const result = await alibabaCloudCccApiTest.call({ helpers: n8nRequestHelpers() } as never, { id: '1', name: 'c', type: 'alibabaCloudCccApi', data: emulatorCredential(emu, bad) as never });
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/"Security Token \(STS\)" contains a character/) });
		expect(result.message).not.toMatch(/unreachable/);
		expect(emu.requests).toHaveLength(0);
	});
});
