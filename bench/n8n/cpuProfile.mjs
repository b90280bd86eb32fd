// BENCH_N8N_PROFILE=1: n8n started under --cpu-prof; first one event per variant on the fresh n8n (the floor
// first, so that its event carries n8n's own first-event cost and the node's and the HTTP Request node's
// carry their first use), then after the warm-up CONFIG.profileEvents events per variant in blocks;
// profile.mjs splits the profile by those time windows.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import * as sandbox from '../../tools/n8n/sandbox.mjs';
import { BENCH_VARIANTS } from '../../tools/workflows/index.mjs';
import { CONFIG, FIRST_EVENT_ORDER, firstEventWindow, log } from './config.mjs';
import { interleaved, postEvent } from './events.mjs';
import { analyzeProfile } from './profile.mjs';
import { startN8n } from './server.mjs';
import { nowMs } from './shared.mjs';

/** n8n under --cpu-prof: the first events, then blocks of events per variant; the profile split by time windows. */
export async function measureProfile(ctx) {
	const dir = join(ctx.runDir, 'cpu-profile');
	log(`profile: n8n start --cpu-prof, ${CONFIG.profileEvents} events per variant...`);
	const n8n = await startN8n(ctx, { name: 'n8n-start-profile', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] });
	const windows = {};
	try {
		for (const variant of FIRST_EVENT_ORDER) {
			const start = nowMs();
			await postEvent(n8n, variant);
			windows[firstEventWindow(variant)] = { startMs: start, endMs: nowMs(), events: 1 };
		}
		await interleaved(n8n, CONFIG.warmupRounds);
		for (const variant of BENCH_VARIANTS) {
			const start = nowMs();
			for (let i = 0; i < CONFIG.profileEvents; i++) await postEvent(n8n, variant);
			windows[variant] = { startMs: start, endMs: nowMs(), events: CONFIG.profileEvents };
		}
	} finally {
		await n8n.handle.stop(30_000);
	}
	const file = readdirSync(dir)
		.filter((name) => name.includes(`.${n8n.handle.pid}.`) && name.endsWith('.cpuprofile'))
		.map((name) => join(dir, name))[0];
	if (!file) throw new Error(`no CPU profile of process ${n8n.handle.pid} in ${dir}`);
	const profile = analyzeProfile(JSON.parse(readFileSync(file, 'utf8')), windows);
	const kept = join(sandbox.REPO_DIR, '.build', 'bench-n8n.cpuprofile');
	writeFileSync(kept, readFileSync(file));
	return { file: relative(sandbox.REPO_DIR, kept), windows, ...profile };
}
