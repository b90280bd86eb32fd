/**
 * Shared pieces of `npm run bench`: statistics, the emulator child process, running the compiled node
 * (dist/) through n8n's real engine (tools/engine/engine.ts: n8n-core WorkflowExecute), and the same
 * requests without the node: through Alibaba's SDK (`callApi`, the external reference), and through the
 * node's own transport alone.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type {
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { runWorkflow, type WorkflowJson } from '../tools/engine/engine';
import { n8nRequestHelpers } from '../tools/engine/n8nRequestHelpers';
import { CREDENTIAL_TYPE, DOC_PARAMS, emulatorCredential, NODE_NAME, NODE_TYPE } from '../tools/fixtures';
import { CCC_CREDENTIAL_MODULE, CREDENTIAL_MODULE, NODE_MODULE, TRANSPORT_MODULE, repoRequire } from './paths';

export const LAUNCH = NODE_NAME;

// ---------------------------------------------------------------------------------------------
// Statistics
// ---------------------------------------------------------------------------------------------

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time (user + system) of this process in ms. */
export function cpuMs(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
}

/** CPU time (user + system) of this process's main thread only, in ms (no GC helper or libuv threads). */
export function mainThreadCpuMs(): number {
	if (typeof process.threadCpuUsage !== 'function') return NaN; // Node < 23.9
	const u = process.threadCpuUsage();
	return (u.user + u.system) / 1000;
}

export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (gc) {
		gc();
		gc();
	}
}

// ---------------------------------------------------------------------------------------------
// The emulator, in its own process (its signature checks must not count as the client's CPU)
// ---------------------------------------------------------------------------------------------

export interface EmulatorStats {
	/** CPU time the emulator process has used since it started (user + system), ms. */
	cpuMs: number;
	count: number;
	launched: number;
	maxInWindow: number;
	firstAt: number;
	lastAt: number;
	statuses: Record<string, number>;
}

export class EmulatorProcess {
	private nextId = 0;
	private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

	private constructor(
		private readonly child: ChildProcess,
		readonly endpoint: string,
		readonly port: number,
	) {}

	static async start(latencyMs: number): Promise<EmulatorProcess> {
		const child = fork(join(__dirname, 'emulatorProcess.js'), [String(latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const ready = await new Promise<{ endpoint: string; port: number }>((resolve, reject) => {
			child.once('message', (m) => resolve(m as { endpoint: string; port: number }));
			child.once('exit', (code) => reject(new Error(`emulator process exited (${code}) before it was ready`)));
		});
		const emu = new EmulatorProcess(child, ready.endpoint, ready.port);
		child.on('message', (m) => {
			const msg = m as { id: number; result?: unknown; error?: string };
			const w = emu.waiting.get(msg.id);
			if (!w) return;
			emu.waiting.delete(msg.id);
			if (msg.error) w.reject(new Error(msg.error));
			else w.resolve(msg.result);
		});
		return emu;
	}

	private ask<T>(cmd: string, arg?: unknown): Promise<T> {
		const id = ++this.nextId;
		return new Promise<T>((resolve, reject) => {
			this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ id, cmd, arg });
		});
	}

	reset(): Promise<void> {
		return this.ask('reset');
	}

	stats(windowMs = 1000): Promise<EmulatorStats> {
		return this.ask('stats', windowMs);
	}

	async close(): Promise<void> {
		await this.ask('close').catch(() => undefined);
		if (this.child.exitCode === null) {
			await new Promise((resolve) => {
				this.child.once('exit', resolve);
				this.child.disconnect();
			});
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Items, credential, workflow
// ---------------------------------------------------------------------------------------------

export function loadItems(n: number): IDataObject[] {
	const items: IDataObject[] = new Array(n);
	for (let i = 0; i < n; i++) {
		items[i] = {
			InstanceId: DOC_PARAMS.InstanceId,
			ContactFlowId: DOC_PARAMS.ContactFlowId,
			JobId: `job-load-${i}`,
			UserId: DOC_PARAMS.UserId,
			DeviceId: DOC_PARAMS.DeviceId,
		};
	}
	return items;
}

/**
 * Manual Trigger (items pinned on it, as when pinning data in the editor) → Launch Authentication.
 * `mapping`: 'auto' reads the input fields (no expressions, the node's own cost only); 'expressions'
 * maps each field with an n8n expression, as the CRM example workflow does.
 */
export function benchWorkflow(options: IDataObject, mapping: 'auto' | 'expressions'): WorkflowJson {
	const parameters: IDataObject =
		mapping === 'auto'
			? { mappingMode: 'autoMapInputData', options }
			: {
					mappingMode: 'defineBelow',
					instanceId: '={{ $json.InstanceId }}',
					contactFlowId: DOC_PARAMS.ContactFlowId,
					jobId: '={{ $json.JobId }}',
					userId: '={{ $json.UserId }}',
					deviceId: '={{ $json.DeviceId }}',
					options,
				};
	return {
		name: 'bench',
		nodes: [
			{ id: 'n1', name: 'Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'n2',
				name: LAUNCH,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'CCC emulator' } },
			},
		],
		connections: { Trigger: { main: [[{ node: LAUNCH, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** What one run of the node measured: inside its execute() (the node's own cost) and around the whole workflow. */
export interface NodeRunMeasure {
	items: number;
	outputItems: number;
	errors: number;
	status: string;
	/** Wall time of the node's execute(), as n8n-core's WorkflowExecute called it. */
	executeMs: number;
	/** CPU (user + system) of this process during execute(). */
	executeCpuMs: number;
	/** The same, main thread only. */
	executeMainThreadCpuMs: number;
	/** n8n's own executionTime for the node (runData). */
	n8nExecutionTimeMs: number;
	/** Wall and CPU time of the whole runWorkflow() call (engine set-up, trigger, pinned data copy...). */
	workflowMs: number;
	workflowCpuMs: number;
	/** The node's output items, only with `keepOutput` (to measure what they keep in memory). */
	output?: INodeExecutionData[];
}

interface Loaded {
	nodeType: INodeType;
	credentialType: ICredentialType;
	last: { executeMs: number; executeCpuMs: number; executeMainThreadCpuMs: number };
}

let loaded: Loaded | undefined;

/**
 * The compiled node from dist/, wrapped so that the wall and CPU time of its execute() are recorded.
 * The wrapper inherits everything else (description, methods) from the real instance, and n8n-core
 * calls its execute() with the real ExecuteContext, exactly as it calls the node's own.
 */
export function loadNode(): Loaded {
	if (loaded) return loaded;
	const { LaunchAuthentication } = repoRequire(NODE_MODULE) as { LaunchAuthentication: new () => INodeType };
	const { AlibabaCloudCccApi } = repoRequire(CREDENTIAL_MODULE) as { AlibabaCloudCccApi: new () => ICredentialType };
	const inner = new LaunchAuthentication();
	const last = { executeMs: 0, executeCpuMs: 0, executeMainThreadCpuMs: 0 };
	const wrapped = Object.create(inner) as INodeType;
	const innerExecute = inner.execute!;
	wrapped.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const c0 = cpuMs();
		const m0 = mainThreadCpuMs();
		const t0 = nowMs();
		try {
			return (await innerExecute.call(this)) as INodeExecutionData[][];
		} finally {
			last.executeMs = nowMs() - t0;
			last.executeCpuMs = cpuMs() - c0;
			last.executeMainThreadCpuMs = mainThreadCpuMs() - m0;
		}
	};
	loaded = { nodeType: wrapped, credentialType: new AlibabaCloudCccApi(), last };
	return loaded;
}

export async function runNode(opts: {
	endpoint: string;
	items: IDataObject[];
	options: IDataObject;
	mapping?: 'auto' | 'expressions';
	keepOutput?: boolean;
}): Promise<NodeRunMeasure> {
	const { nodeType, credentialType, last } = loadNode();
	const workflow = benchWorkflow(opts.options, opts.mapping ?? 'auto');
	const triggerItems = opts.items.map((json) => ({ json }));
	last.executeMs = NaN;
	last.executeCpuMs = NaN;
	last.executeMainThreadCpuMs = NaN;
	const c0 = cpuMs();
	const t0 = nowMs();
	const result = await runWorkflow({
		workflow,
		nodeTypes: { [NODE_TYPE]: nodeType },
		credentials: { [CREDENTIAL_TYPE]: emulatorCredential(opts.endpoint) },
		credentialTypes: { [CREDENTIAL_TYPE]: credentialType },
		triggerItems,
	});
	const workflowMs = nowMs() - t0;
	const workflowCpuMs = cpuMs() - c0;
	const task = result.runData[LAUNCH]?.[0];
	const out = task?.data?.main?.[0] ?? [];
	return {
		items: opts.items.length,
		outputItems: out.length,
		errors: out.filter((i) => i.json.error !== undefined).length + (task?.error ? 1 : 0),
		status: result.status,
		executeMs: last.executeMs,
		executeCpuMs: last.executeCpuMs,
		executeMainThreadCpuMs: last.executeMainThreadCpuMs,
		n8nExecutionTimeMs: task?.executionTime ?? NaN,
		workflowMs,
		workflowCpuMs,
		...(opts.keepOutput ? { output: out } : {}),
	};
}

// ---------------------------------------------------------------------------------------------
// The bare SDK: the same requests through callApi, no node
// ---------------------------------------------------------------------------------------------

export interface BareMeasure {
	requests: number;
	failures: number;
	wallMs: number;
	cpuMs: number;
	mainThreadCpuMs: number;
}

/**
 * Alibaba's SDK used directly, as another node would: a client for the emulator's default key and the
 * LaunchAuthentication RPC parameters, reading answers as `bodyType` says.
 */
function bareSdkClient(endpoint: string, bodyType: 'binary' | 'json') {
	const sdk = repoRequire('@alicloud/openapi-client') as typeof import('@alicloud/openapi-client');
	const util = repoRequire('@alicloud/tea-util') as typeof import('@alicloud/tea-util');
	const cred = emulatorCredential(endpoint);
	const client = new sdk.default(
		new sdk.Config({
			accessKeyId: cred.accessKeyId as string,
			accessKeySecret: cred.accessKeySecret as string,
			endpoint: new URL(endpoint).host,
			protocol: 'http',
		}),
	);
	const params = new sdk.Params({
		action: 'LaunchAuthentication',
		version: '2020-07-01',
		protocol: 'HTTP',
		pathname: '/',
		method: 'POST',
		authType: 'AK',
		style: 'RPC',
		reqBodyType: 'formData',
		bodyType,
	});
	return { sdk, util, client, params };
}

/**
 * The SDK alone, as a hand-written SDK integration would call it: `concurrency` workers (1 = the plain
 * sequential loop) each awaiting callApi in turn, then reading the answer with bodyType 'binary',
 * httpx.read and JSON.parse. (With bodyType 'json' the SDK's own body reading leaves httpx's read timer
 * armed on its shared keep-alive socket, and a later request on that socket can fail with "ReadTimeout";
 * httpx.read clears it. The node no longer uses the SDK, so that hazard is only the reference's.)
 */
export async function runBareLoop(endpoint: string, items: IDataObject[], concurrency = 1): Promise<BareMeasure> {
	return runLoop(items, concurrency, () => {
		const httpx = repoRequire('httpx') as { read(stream: unknown, encoding: string): Promise<string | Buffer> };
		const { sdk, util, client, params } = bareSdkClient(endpoint, 'binary');
		return async (item) => {
			const answer = (await client.callApi(
				params,
				new sdk.OpenApiRequest({ query: item as Record<string, string> }),
				new util.RuntimeOptions({}),
			)) as { body: unknown };
			return JSON.parse(String(await httpx.read(answer.body, 'utf8'))) as { Data?: unknown };
		};
	});
}

/**
 * `concurrency` workers (1 = the plain sequential loop), each sending the next item in turn with the
 * function `setup` returns; an answer without Data, or a throw, counts as a failure. Wall and CPU time
 * include `setup` (creating the client).
 */
async function runLoop(
	items: IDataObject[],
	concurrency: number,
	setup: () => (item: IDataObject) => Promise<{ Data?: unknown }>,
): Promise<BareMeasure> {
	const c0 = cpuMs();
	const m0 = mainThreadCpuMs();
	const t0 = nowMs();
	const send = setup();
	let failures = 0;
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			try {
				if (!(await send(item)).Data) failures++;
			} catch {
				failures++;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
	return { requests: items.length, failures, wallMs: nowMs() - t0, cpuMs: cpuMs() - c0, mainThreadCpuMs: mainThreadCpuMs() - m0 };
}

// ---------------------------------------------------------------------------------------------
// The node's own transport, without the node
// ---------------------------------------------------------------------------------------------

type CccRequest = (client: unknown, action: string, parameters: Record<string, string>) => Promise<{ body: { Data?: unknown } }>;

/**
 * The same LaunchAuthentication requests through the node's own transport and nothing else: each signed
 * with V3 (credentials/signing.ts) and sent by `cccRequest` (through n8n's request helpers, as in n8n; the
 * answer read and interpreted), with the node's default timeouts; no n8n, no parameters, no scheduler, no
 * output items. The difference between the node and this loop is what the node adds around its requests.
 */
export async function runTransportLoop(endpoint: string, items: IDataObject[], concurrency = 1): Promise<BareMeasure> {
	return runLoop(items, concurrency, () => {
		const { cccRequest, sendWithHttpRequest } = repoRequire(TRANSPORT_MODULE) as { cccRequest: CccRequest; sendWithHttpRequest: (helpers: object) => unknown };
		const { readCccCredential } = repoRequire(CCC_CREDENTIAL_MODULE) as { readCccCredential: (data: object) => unknown };
		const client = {
			credential: readCccCredential(emulatorCredential(endpoint)),
			send: sendWithHttpRequest(n8nRequestHelpers()),
			limits: { connectTimeoutMs: 5000, readTimeoutMs: 10_000, maxBytes: 1024 * 1024 },
		};
		return async (item) => (await cccRequest(client, 'LaunchAuthentication', item as Record<string, string>)).body;
	});
}
