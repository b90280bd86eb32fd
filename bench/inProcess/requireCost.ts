/**
 * Start-up cost of the package: fresh `node` processes that require the node module (+ credential), vs a
 * bare `node -e 0`, vs requiring n8n-workflow alone (n8n has it loaded already), vs requiring the
 * Alibaba SDK. Also checks what requiring the node module loads: nothing from @alicloud (the signing
 * library), nor p-map, p-retry, Bottleneck (the node loads them on its first execution), and which
 * packages it adds to require.cache beyond n8n-workflow's.
 */
import { spawnSync } from 'node:child_process';

import { median, nowMs } from '../shared/stats';
import { CREDENTIAL_MODULE, NODE_MODULE, REPO_ROOT } from './paths';

/** Libraries the node must not load at require time (lazyModule loads them on first use). */
export const LAZY_LIBRARIES = ['@alicloud/', 'p-map/', 'p-retry/', 'bottleneck/'] as const;

export interface RequireCost {
	runs: number;
	/** Median wall time of the whole process (spawn to exit), ms. */
	processMs: { bare: number; n8nWorkflow: number; nodeModule: number; sdk: number };
	/** Median time of the require() calls measured inside the process, ms. */
	inProcessMs: { n8nWorkflow: number; nodeAfterN8nWorkflow: number; sdk: number };
	/** nodeModule − n8nWorkflow process medians: what the package adds to an n8n that has n8n-workflow loaded. */
	addedMs: number;
	/** After requiring the node module + credential (n8n-workflow first). */
	lazyCheck: {
		/** require.cache entries of each LAZY_LIBRARIES name: all must be 0. */
		entries: Record<string, number>;
		/** Packages (node_modules/<name>) in require.cache that n8n-workflow had not loaded. */
		packagesAdded: string[];
		/** Modules the node and credential added to require.cache (their own files included). */
		modulesAdded: number;
		totalModules: number;
	};
}

const J = JSON.stringify;
/** The package names of require.cache entries (node_modules/<name> or node_modules/@scope/<name>), sorted. */
const PACKAGES = `(ks)=>[...new Set(ks.map(k=>/node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(k)?.[1]).filter(Boolean))].sort()`;
const SCRIPTS = {
	bare: '0',
	n8nWorkflow: `const t=process.hrtime.bigint();require('n8n-workflow');console.log(JSON.stringify({wf:Number(process.hrtime.bigint()-t)/1e6}))`,
	nodeModule:
		`const h=()=>Number(process.hrtime.bigint())/1e6;let t=h();require('n8n-workflow');const wf=h()-t;const before=Object.keys(require.cache);t=h();` +
		`require(${J(NODE_MODULE)});require(${J(CREDENTIAL_MODULE)});const node=h()-t;const k=Object.keys(require.cache);const pk=${PACKAGES};const had=new Set(pk(before));` +
		`console.log(JSON.stringify({wf,node,entries:Object.fromEntries(${J(LAZY_LIBRARIES)}.map(n=>[n.slice(0,-1),k.filter(x=>x.includes('/node_modules/'+n)).length])),` +
		`packagesAdded:pk(k).filter(p=>!had.has(p)),modulesAdded:k.length-before.length,total:k.length}))`,
	sdk: `const t=process.hrtime.bigint();require('@alicloud/openapi-client');console.log(JSON.stringify({sdk:Number(process.hrtime.bigint()-t)/1e6}))`,
} as const;

type Variant = keyof typeof SCRIPTS;

function once(variant: Variant): { ms: number; out: Record<string, never> } {
	const t0 = nowMs();
	const r = spawnSync(process.execPath, ['-e', SCRIPTS[variant]], { cwd: REPO_ROOT, encoding: 'utf8' });
	const ms = nowMs() - t0;
	if (r.status !== 0) throw new Error(`require-cost ${variant}: exit ${r.status}: ${r.stderr}`);
	const line = r.stdout.trim();
	return { ms, out: line ? (JSON.parse(line) as Record<string, never>) : {} };
}

export function measureRequireCost(runs = 9): RequireCost {
	const variants: Variant[] = ['bare', 'n8nWorkflow', 'nodeModule', 'sdk'];
	const proc: Record<Variant, number[]> = { bare: [], n8nWorkflow: [], nodeModule: [], sdk: [] };
	const inWf: number[] = [];
	const inNode: number[] = [];
	const inSdk: number[] = [];
	let lazy: RequireCost['lazyCheck'] = { entries: {}, packagesAdded: [], modulesAdded: -1, totalModules: -1 };
	for (const v of variants) once(v); // warm the file-system cache
	for (let i = 0; i < runs; i++) {
		for (const v of variants) {
			const { ms, out } = once(v);
			proc[v].push(ms);
			if (v === 'n8nWorkflow') inWf.push(out.wf);
			if (v === 'nodeModule') {
				inNode.push(out.node);
				lazy = { entries: out.entries, packagesAdded: out.packagesAdded, modulesAdded: out.modulesAdded, totalModules: out.total };
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
