#!/usr/bin/env node
'use strict';

/**
 * node emulator/cli.js [--port 8787] [--host 127.0.0.1] [--latency 20] [--trace-step 1000] [--fixtures path] [--faults '<json>']
 *                      [--tls-cert cert.pem --tls-key key.pem]
 *
 * Starts the CCC emulator, prints where it listens and the access keys to use, logs one line per
 * request to stderr (action, outcome, business parameters; never secrets) and stops on SIGINT/SIGTERM.
 */

const fs = require('node:fs');
const path = require('node:path');
const { startEmulator, DEFAULT_ACCESS_KEYS } = require('./server');
const { ACTIONS } = require('./actions');

const USAGE =
	'usage: node emulator/cli.js [--port 8787] [--host 127.0.0.1] [--latency ms] [--trace-step ms] [--fixtures file.json] [--faults \'[{"type":"throttle","times":1}]\'] [--tls-cert cert.pem --tls-key key.pem (HTTPS instead of HTTP)]';

/**
 * @param {string} name
 * @param {string} raw
 * @param {boolean} positive 0 not allowed
 * @returns {number}
 */
function milliseconds(name, raw, positive) {
	const v = Number(raw);
	if (!Number.isFinite(v) || v < 0 || (positive && v === 0)) {
		throw new Error(`${name} must be a ${positive ? 'positive ' : ''}number of milliseconds`);
	}
	return v;
}

/**
 * @typedef {{ port: number, host: string, latencyMs: number, traceStepMs?: number, fixtures?: string, faults?: unknown, tlsCert?: string, tlsKey?: string }} CliArgs
 */

/**
 * @param {string[]} argv
 * @returns {CliArgs}
 */
function parseArgs(argv) {
	/** @type {CliArgs} */
	const out = { port: 8787, host: '127.0.0.1', latencyMs: 0 };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = eq > 0 ? arg.slice(0, eq) : arg;
		const next = () => {
			if (eq > 0) return arg.slice(eq + 1);
			const v = argv[++i];
			if (v === undefined) throw new Error(`${name} needs a value`);
			return v;
		};
		switch (name) {
			case '--port': {
				const v = Number(next());
				if (!Number.isInteger(v) || v < 0 || v > 65535) throw new Error('--port must be an integer 0..65535');
				out.port = v;
				break;
			}
			case '--host':
				out.host = next();
				break;
			case '--latency':
				out.latencyMs = milliseconds(name, next(), false);
				break;
			case '--trace-step':
				out.traceStepMs = milliseconds(name, next(), true);
				break;
			case '--fixtures':
				out.fixtures = path.resolve(next());
				break;
			case '--faults':
				out.faults = JSON.parse(next());
				break;
			case '--tls-cert':
				out.tlsCert = path.resolve(next());
				break;
			case '--tls-key':
				out.tlsKey = path.resolve(next());
				break;
			case '-h':
			case '--help':
				console.log(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${arg}`);
		}
	}
	if ((out.tlsCert === undefined) !== (out.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
	return out;
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (e) {
		console.error(e instanceof Error ? e.message : String(e));
		console.error(USAGE);
		process.exit(2);
		return;
	}
	// Signal handlers first, so that a signal sent right after the banner is handled.
	/** @type {import('./server').Emulator | null} */
	let emu = null;
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		if (emu) await emu.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	emu = await startEmulator({
		port: args.port,
		host: args.host,
		latencyMs: args.latencyMs,
		traceStepMs: args.traceStepMs,
		fixtures: args.fixtures,
		faults: /** @type {any} */ (args.faults),
		tls: args.tlsCert && args.tlsKey ? { cert: fs.readFileSync(args.tlsCert), key: fs.readFileSync(args.tlsKey) } : undefined,
		log: (line) => process.stderr.write(line + '\n'),
	});
	const lines = [`CCC emulator listening on ${emu.endpoint}`, 'Access keys (emulator only):'];
	for (const k of DEFAULT_ACCESS_KEYS) {
		lines.push(
			`  ${k.accessKeyId} / ${k.accessKeySecret}` +
				(k.securityToken ? ` / security token ${k.securityToken}` : '') +
				(k.description ? `  (${k.description})` : ''),
		);
	}
	lines.push(`API version 2020-07-01, actions ${Object.keys(ACTIONS).join(', ')}. IVR trace step ${emu.traceStepMs} ms. Ctrl-C to stop.`);
	process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
	console.error(e instanceof Error ? e.stack || e.message : String(e));
	process.exit(1);
});
