// Where n8n's main thread spends its time per event, from a V8 CPU profile (`node --cpu-prof`) of `n8n start`
// (bench/n8n/cpuProfile.mjs, BENCH_N8N_PROFILE=1). The events of each variant ran in one block; a block's
// samples are found by time (the profile's clock and process.hrtime are both CLOCK_MONOTONIC on Linux).
//
// Each row counts a sample once when any frame of its stack matches (inclusive time): rows overlap, and
// only synchronous work shows (an awaited request's waiting is not CPU). Also usable alone:
//   node bench/n8n/profile.mjs <file.cpuprofile>     (the whole profile, per row, in ms)

const PACKAGE_DIST = '/n8n-nodes-alibaba-ccc/dist/';
const inPackage = (file) => (frame) => frame.url.includes(PACKAGE_DIST) && frame.url.endsWith(file);
const named = (file, ...names) => (frame) => inPackage(file)(frame) && names.includes(frame.functionName);
const urlHas = (...parts) => (frame) => parts.some((p) => frame.url.includes(p));

/** The rows: a label and a test of one stack frame ({ functionName, url }). */
export const PROFILE_FUNCTIONS = [
	{ label: 'this package (dist/), inclusive', match: urlHas(PACKAGE_DIST) },
	{ label: '  node: execute (synchronous parts)', match: named('launch.operation.js', 'execute') },
	{ label: '  node: startOperationRun (getCredentials, redactor, cancellation)', match: named('operationRun.js', 'startOperationRun') },
	{ label: '  node: makeRedactor', match: named('redact.js', 'makeRedactor') },
	{ label: '  node: reading the fields (helpers/parameters.js: getNodeParameter, expressions)', match: inPackage('helpers/parameters.js') },
	{ label: '  node: createCccCalls / CallScheduler (p-map, p-retry, Bottleneck)', match: (fr) => named('operationRun.js', 'createCccCalls')(fr) || inPackage('scheduler.js')(fr) || urlHas('/p-map/', '/p-retry/', '/retry/', '/bottleneck/')(fr) },
	{ label: "  node: transport (transport/: the request through n8n's helpers, the answer read)", match: urlHas(`${PACKAGE_DIST}nodes/LaunchAuthentication/transport/`) },
	{ label: '  node: buildOutputItems, redactDeep, itemsInInputOrder', match: (fr) => named('output.js', 'buildOutputItems', 'itemsInInputOrder')(fr) || named('redact.js', 'redactDeep')(fr) },
	{ label: 'V3 signing (credentials/signing.js, @alicloud/openapi-util)', match: (fr) => inPackage('credentials/signing.js')(fr) || urlHas('/@alicloud/')(fr) },
	{ label: "n8n getCredentials (decrypt, expressions)", match: (fr) => fr.functionName === 'getCredentials' || fr.functionName === 'getDecrypted' },
	{ label: 'HTTP Request node (V3 execute)', match: urlHas('/HttpRequest/V3/') },
	{ label: "n8n's HTTP helpers (requestWithAuthentication, axios)", match: (fr) => urlHas('/axios/', '/follow-redirects/')(fr) || /[rR]equestWithAuthentication|proxyRequestToAxios/.test(fr.functionName) },
	{ label: 'Set node', match: urlHas('/nodes/Set/') },
	{ label: 'database (typeorm, sqlite3)', match: urlHas('/typeorm/', '/sqlite3/', '/@n8n/db/') },
	{ label: '(garbage collector)', match: (fr) => fr.functionName === '(garbage collector)' },
	{ label: 'loading modules (node:internal/modules: require, compile)', match: urlHas('node:internal/modules/') },
	{ label: '(program): V8 outside JavaScript (compiling, native code)', match: (fr) => fr.functionName === '(program)' },
];

/**
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string }, children?: number[] }>, startTime: number, samples: number[], timeDeltas: number[] }} profile
 * @param {Record<string, { startMs: number, endMs: number, events: number }>} windows  by variant, hrtime ms
 */
export function analyzeProfile(profile, windows) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	/** For each profile node: the set of rows its stack matches (computed once per node). */
	const rowsOf = new Map();
	const rowsFor = (id) => {
		if (rowsOf.has(id)) return rowsOf.get(id);
		const own = PROFILE_FUNCTIONS.map((row) => row.match(byId.get(id).callFrame));
		const up = parent.has(id) ? rowsFor(parent.get(id)) : PROFILE_FUNCTIONS.map(() => false);
		const rows = own.map((m, i) => m || up[i]);
		rowsOf.set(id, rows);
		return rows;
	};
	const variants = Object.keys(windows);
	const totals = Object.fromEntries(variants.map((v) => [v, { busyMs: 0, rowsMs: PROFILE_FUNCTIONS.map(() => 0) }]));
	let t = profile.startTime;
	let matched = 0;
	for (let i = 0; i < profile.samples.length; i++) {
		t += profile.timeDeltas[i];
		const durationMs = (profile.timeDeltas[i + 1] ?? 0) / 1000;
		const frame = byId.get(profile.samples[i]).callFrame;
		if (frame.functionName === '(idle)') continue;
		const atMs = t / 1000;
		const variant = variants.find((v) => atMs >= windows[v].startMs && atMs < windows[v].endMs);
		if (!variant) continue;
		matched++;
		const total = totals[variant];
		total.busyMs += durationMs;
		rowsFor(profile.samples[i]).forEach((m, k) => {
			if (m) total.rowsMs[k] += durationMs;
		});
	}
	const perEvent = (v, ms) => ms / windows[v].events;
	return {
		samplesInWindows: matched,
		rows: [
			{ label: 'n8n main thread busy (all)', msPerEvent: Object.fromEntries(variants.map((v) => [v, perEvent(v, totals[v].busyMs)])) },
			...PROFILE_FUNCTIONS.map((row, k) => ({ label: row.label, msPerEvent: Object.fromEntries(variants.map((v) => [v, perEvent(v, totals[v].rowsMs[k])])) })),
		],
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const { readFileSync } = await import('node:fs');
	const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'));
	const end = profile.endTime / 1000;
	const { rows } = analyzeProfile(profile, { all: { startMs: 0, endMs: end + 1, events: 1 } });
	for (const r of rows) console.log(`${r.msPerEvent.all.toFixed(1).padStart(10)} ms  ${r.label}`);
}
