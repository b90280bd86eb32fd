// BENCH_N8N_PROFILE=1: n8n started under --cpu-prof, CONFIG.profileEvents events per variant in blocks;
// profile.mjs splits the profile by the blocks' time windows.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import * as sandbox from '../../tools/n8n/sandbox.mjs';
import { BENCH_VARIANTS } from '../../tools/workflows/index.mjs';
import { CONFIG, log } from './config.mjs';
import { interleaved, postEvent } from './events.mjs';
import { analyzeProfile } from './profile.mjs';
import { startN8n } from './server.mjs';
import { nowMs } from './shared.mjs';

/** n8n under --cpu-prof: blocks of events per variant; the profile split by the blocks' time windows. */
export async function measureProfile(ctx) {
	const dir = join(ctx.runDir, 'cpu-profile');
	log(`profile: n8n start --cpu-prof, ${CONFIG.profileEvents} events per variant...`);
	const n8n = await startN8n(ctx, { name: 'n8n-start-profile', nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100'] });
	const windows = {};
	try {
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
	return { file: relative(sandbox.REPO_DIR, kept), ...profile };
}
