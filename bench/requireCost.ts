/**
 * Start-up cost of the package: fresh `node` processes that require the node module (+ credential), vs a
 * bare `node -e 0`, vs requiring n8n-workflow alone (n8n has it loaded already), vs requiring the
 * Alibaba SDK. Also checks that requiring the node module loads nothing from @alicloud (nor Bottleneck,
 * p-retry, p-map): the node loads them on its first execution.
 */
import { spawnSync } from 'node:child_process';

import { median, nowMs } from './common';
import { CREDENTIAL_MODULE, NODE_MODULE, REPO_ROOT } from './paths';

export interface RequireCost {
	runs: number;
	/** Median wall time of the whole process (spawn to exit), ms. */
	processMs: { bare: number; n8nWorkflow: number; nodeModule: number; sdk: number };
	/** Median time of the require() calls measured inside the process, ms. */
	inProcessMs: { n8nWorkflow: number; nodeAfterN8nWorkflow: number; sdk: number };
	/** nodeModule − n8nWorkflow process medians: what the package adds to an n8n that has n8n-workflow loaded. */
	addedMs: number;
	/** Entries of require.cache after requiring the node module + credential. */
	lazyCheck: { alicloudEntries: number; bottleneckEntries: number; pRetryEntries: number; pMapEntries: number; totalModules: number };
}

const J = JSON.stringify;
const SCRIPTS = {
	bare: '0',
	n8nWorkflow: `const t=process.hrtime.bigint();require('n8n-workflow');console.log(JSON.stringify({wf:Number(process.hrtime.bigint()-t)/1e6}))`,
	nodeModule:
		`const h=()=>Number(process.hrtime.bigint())/1e6;let t=h();require('n8n-workflow');const wf=h()-t;t=h();` +
		`require(${J(NODE_MODULE)});require(${J(CREDENTIAL_MODULE)});const node=h()-t;const k=Object.keys(require.cache);` +
		`console.log(JSON.stringify({wf,node,alicloud:k.filter(x=>x.includes('@alicloud')).length,` +
		`bottleneck:k.filter(x=>x.includes('bottleneck')).length,pRetry:k.filter(x=>x.includes('p-retry')).length,pMap:k.filter(x=>x.includes('/p-map/')).length,total:k.length}))`,
	sdk: `const t=process.hrtime.bigint();require('@alicloud/openapi-client');console.log(JSON.stringify({sdk:Number(process.hrtime.bigint()-t)/1e6}))`,
} as const;

type Variant = keyof typeof SCRIPTS;

function once(variant: Variant): { ms: number; out: Record<string, number> } {
	const t0 = nowMs();
	const r = spawnSync(process.execPath, ['-e', SCRIPTS[variant]], { cwd: REPO_ROOT, encoding: 'utf8' });
	const ms = nowMs() - t0;
	if (r.status !== 0) throw new Error(`require-cost ${variant}: exit ${r.status}: ${r.stderr}`);
	const line = r.stdout.trim();
	return { ms, out: line ? (JSON.parse(line) as Record<string, number>) : {} };
}

export function measureRequireCost(runs = 9): RequireCost {
	const variants: Variant[] = ['bare', 'n8nWorkflow', 'nodeModule', 'sdk'];
	const proc: Record<Variant, number[]> = { bare: [], n8nWorkflow: [], nodeModule: [], sdk: [] };
	const inWf: number[] = [];
	const inNode: number[] = [];
	const inSdk: number[] = [];
	let lazy = { alicloudEntries: -1, bottleneckEntries: -1, pRetryEntries: -1, pMapEntries: -1, totalModules: -1 };
	for (const v of variants) once(v); // warm the file-system cache
	for (let i = 0; i < runs; i++) {
		for (const v of variants) {
			const { ms, out } = once(v);
			proc[v].push(ms);
			if (v === 'n8nWorkflow') inWf.push(out.wf);
			if (v === 'nodeModule') {
				inNode.push(out.node);
				lazy = { alicloudEntries: out.alicloud, bottleneckEntries: out.bottleneck, pRetryEntries: out.pRetry, pMapEntries: out.pMap, totalModules: out.total };
			}
			if (v === 'sdk') inSdk.push(out.sdk);
		}
	}
	const processMs = {
		bare: median(proc.bare),
		n8nWorkflow: median(proc.n8nWorkflow),
		nodeModule: median(proc.nodeModule),
		sdk: median(proc.sdk),
	};
	return {
		runs,
		processMs,
		inProcessMs: { n8nWorkflow: median(inWf), nodeAfterN8nWorkflow: median(inNode), sdk: median(inSdk) },
		addedMs: processMs.nodeModule - processMs.n8nWorkflow,
		lazyCheck: lazy,
	};
}
