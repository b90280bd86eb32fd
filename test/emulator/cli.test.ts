/**
 * node emulator/cli.js: prints the endpoint and keys, logs one line per request to stderr (no
 * secrets), stops cleanly on SIGINT / SIGTERM.
 */
import { spawn, ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_ACCESS_KEYS } from '../../emulator/server';
import { callSigned } from '../../emulator/client';

const CLI = path.join(__dirname, '../../emulator/cli.js');

interface Running {
	child: ChildProcess;
	endpoint: string;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[]): Promise<Running> {
	const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stderr!.on('data', (c) => (err += c));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal })),
	);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no endpoint printed; stdout=${out} stderr=${err}`)), 10_000);
		child.stdout!.on('data', (c) => {
			out += c;
			const m = /^CCC emulator listening on (http:\/\/\S+)$/m.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve({ child, endpoint: m[1], stdout: () => out, stderr: () => err, exited });
			}
		});
		child.on('exit', () => {
			clearTimeout(timer);
			reject(new Error(`exited early; stdout=${out} stderr=${err}`));
		});
	});
}

describe('emulator CLI', () => {
	it('prints the endpoint and keys, logs requests, stops on SIGINT', async () => {
		const run = await start(['--port', '0', '--latency', '5']);
		try {
			expect(run.stdout().split('\n')[0]).toMatch(/^CCC emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
			for (const k of DEFAULT_ACCESS_KEYS) expect(run.stdout()).toContain(k.accessKeyId);
			const res = await callSigned(run.endpoint, {
				params: { ContactFlowId: 'c', DeviceId: 'd', InstanceId: 'ccc-test', JobId: 'job-no-channels', UserId: 'user-test@ccc-test' },
				key: DEFAULT_ACCESS_KEYS[1],
			});
			expect(res.json.Code).toBe('OK');
			await new Promise((r) => setTimeout(r, 100));
			const log = run.stderr();
			expect(log).toMatch(/LaunchAuthentication v3 200 ok launched .*job-no-channels/);
			expect(log).not.toContain(DEFAULT_ACCESS_KEYS[1].accessKeySecret);
			expect(log).not.toContain(DEFAULT_ACCESS_KEYS[1].securityToken as string);
			run.child.kill('SIGINT');
			expect(await run.exited).toEqual({ code: 0, signal: null });
		} finally {
			run.child.kill('SIGKILL');
		}
	});

	it('stops on SIGTERM and takes --faults / --fixtures', async () => {
		const run = await start(['--port=0', '--faults', '[{"type":"throttle","times":1}]', '--fixtures', path.join(__dirname, '../../emulator/fixtures.json')]);
		try {
			const list = { action: 'ListInstances', params: { PageNumber: '1', PageSize: '1' } };
			expect((await callSigned(run.endpoint, list)).status).toBe(429);
			expect((await callSigned(run.endpoint, list)).status).toBe(200);
			run.child.kill('SIGTERM');
			expect(await run.exited).toEqual({ code: 0, signal: null });
		} finally {
			run.child.kill('SIGKILL');
		}
	});

	it('rejects bad arguments with exit code 2', async () => {
		const child = spawn(process.execPath, [CLI, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		child.stderr.on('data', (c) => (err += c));
		const code = await new Promise((resolve) => child.on('exit', resolve));
		expect(code).toBe(2);
		expect(err).toContain('unknown argument --bogus');
	});
});
