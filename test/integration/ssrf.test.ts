import { Container } from '@n8n/di';

import { LAUNCH, crmItem, crmWorkflowWith, emulatorCredential, run, useEmulator } from './harness';

/**
 * n8n's SSRF protection governs the node's requests exactly as it governs the HTTP Request node's, because
 * they go through n8n's own request helpers. The emulator listens on loopback, which n8n blocks by default
 * once N8N_SSRF_PROTECTION_ENABLED is on. n8n reads its SSRF settings when its network service is first
 * made: each case resets n8n's service container after setting the environment.
 */
const emu = useEmulator();
const SSRF_ENV = ['N8N_SSRF_PROTECTION_ENABLED', 'N8N_SSRF_ALLOWED_IP_RANGES', 'N8N_SSRF_ALLOWED_HOSTNAMES'];

function withSsrf(env: Record<string, string>): void {
	for (const key of SSRF_ENV) delete process.env[key];
	Object.assign(process.env, env);
	Container.reset();
}

afterAll(() => withSsrf({}));

async function launchOne() {
	const wf = crmWorkflowWith({ items: [crmItem('job-load-1')], onError: 'continueRegularOutput', withNotify: false, options: { maxRetries: 3 } });
	const result = await run(wf, emulatorCredential(emu));
	return result.outputs(LAUNCH)[0].json;
}

it('protection on, endpoint on loopback: refused before anything is sent, naming the settings that allow it; never retried', async () => {
	withSsrf({ N8N_SSRF_PROTECTION_ENABLED: 'true' });
	const item = await launchOne();
	expect(item.error).toMatch(/^n8n's SSRF protection refused http:\/\/127\.0\.0\.1:\d+: .*Nothing was sent\..*N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES/);
	expect(item.code).toBe('SSRF_BLOCKED');
	expect(emu.requests).toHaveLength(0);
});

it('protection on, loopback allowed with N8N_SSRF_ALLOWED_IP_RANGES: the launch goes out', async () => {
	withSsrf({ N8N_SSRF_PROTECTION_ENABLED: 'true', N8N_SSRF_ALLOWED_IP_RANGES: '127.0.0.0/8' });
	const item = await launchOne();
	expect(item.error).toBeUndefined();
	expect(item.ChannelId).toBeDefined();
	expect(emu.requests.filter((r) => r.action === 'LaunchAuthentication')).toHaveLength(1);
});
