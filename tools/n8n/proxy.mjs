// A small forwarding proxy on loopback for the end-to-end tests (e2e/network.mjs): it stands in for a company's
// egress proxy in front of n8n.
//
//   import { startProxy } from './proxy.mjs';
//   const proxy = await startProxy({ hosts: { 'ccc-emulator.internal': { http: emulatorPort, https: tlsPort } } });
//   // n8n with HTTP_PROXY=proxy.url, HTTPS_PROXY=proxy.url; endpoint http://ccc-emulator.internal:<emulatorPort>
//   proxy.requests  // [{ kind: 'http' | 'connect', method, host, port, path?, action?, status, at }]
//   await proxy.close();
//
// - HTTP requests in absolute form (`GET http://host:port/path HTTP/1.1`, any method) are forwarded to the
//   mapped target, headers kept as sent (the Host header too: the CCC signature covers it), the answer streamed
//   back as it comes.
// - CONNECT host:port opens a TCP tunnel to the mapped target (HTTPS end to end: the proxy sees no plaintext).
// - Host map: a host name resolves ONLY here (`ccc-emulator.internal` is known to no DNS), to 127.0.0.1 and the
//   port the map gives for the port asked (`{ [askedPort]: targetPort }`, or one target port for every asked
//   port). An unknown host or port is refused with 502 and recorded (status 502), as is a request in origin
//   form (`GET /path`: not a proxy request).
// - Bounded: listens on 127.0.0.1 only, at most `maxConnections` client connections at once, idle sockets
//   closed after `idleMs`, request heads over 64 KB refused; close() ends every connection and tunnel, and the
//   process does not stay alive for it (the server is unref'd once closed).
import http from 'node:http';
import net from 'node:net';

/**
 * @typedef {{ kind: 'http' | 'connect', method: string, host: string, port: number, path?: string, action?: string, status: number, at: number }} ProxyRecord
 *   action: the x-acs-action header of a forwarded plain-HTTP request (a CCC V3 request's action), when present
 * @typedef {Record<string, number | Record<string, number>>} HostMap  host name (lower case) → target port on
 *   127.0.0.1, or { askedPort: targetPort }
 */

/**
 * @param {HostMap} hosts
 * @param {string} host
 * @param {number} port
 * @returns {number | undefined} the target port on 127.0.0.1
 */
function mapTarget(hosts, host, port) {
	const entry = Object.prototype.hasOwnProperty.call(hosts, host.toLowerCase()) ? hosts[host.toLowerCase()] : undefined;
	if (entry === undefined) return undefined;
	if (typeof entry === 'number') return entry;
	return Object.prototype.hasOwnProperty.call(entry, String(port)) ? entry[String(port)] : undefined;
}

/**
 * Starts the proxy on 127.0.0.1.
 * @param {{ hosts: HostMap, port?: number, maxConnections?: number, idleMs?: number, log?: (line: string) => void }} options
 * @returns {Promise<{ url: string, port: number, requests: ProxyRecord[], reset: () => void, close: () => Promise<void> }>}
 */
export async function startProxy({ hosts, port = 0, maxConnections = 256, idleMs = 60_000, log }) {
	/** @type {ProxyRecord[]} */
	const requests = [];
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	const note = (record) => {
		requests.push(record);
		log?.(`${record.kind} ${record.method} ${record.host}:${record.port}${record.path ?? ''} → ${record.status}`);
	};
	const track = (socket) => {
		sockets.add(socket);
		socket.setTimeout(idleMs, () => socket.destroy());
		socket.once('close', () => sockets.delete(socket));
		socket.on('error', () => {});
	};

	const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
		const at = Date.now();
		/** @type {URL | undefined} */
		let url;
		try {
			url = /^https?:\/\//i.test(req.url ?? '') ? new URL(req.url ?? '') : undefined;
		} catch {
			url = undefined;
		}
		if (!url || url.protocol !== 'http:') {
			note({ kind: 'http', method: req.method ?? '', host: url?.hostname ?? '', port: Number(url?.port || 0), path: req.url, status: 400, at });
			res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('proxy: absolute-form http:// request expected\n');
			return;
		}
		const askedPort = Number(url.port || 80);
		const action = typeof req.headers['x-acs-action'] === 'string' ? req.headers['x-acs-action'] : undefined;
		const target = mapTarget(hosts, url.hostname, askedPort);
		if (target === undefined) {
			note({ kind: 'http', method: req.method ?? '', host: url.hostname, port: askedPort, path: url.pathname, status: 502, at });
			res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' }).end(`proxy: unknown host ${url.hostname}:${askedPort}\n`);
			return;
		}
		const headers = { ...req.headers };
		delete headers['proxy-connection'];
		delete headers['proxy-authorization'];
		const upstream = http.request(
			{ host: '127.0.0.1', port: target, method: req.method, path: `${url.pathname}${url.search}`, headers, agent: false },
			(answer) => {
				note({ kind: 'http', method: req.method ?? '', host: url.hostname, port: askedPort, path: url.pathname, action, status: answer.statusCode ?? 0, at });
				res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
				answer.pipe(res);
				answer.on('error', () => res.destroy());
			},
		);
		upstream.setTimeout(idleMs, () => upstream.destroy(new Error('upstream idle')));
		upstream.on('error', (error) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			note({ kind: 'http', method: req.method ?? '', host: url.hostname, port: askedPort, path: url.pathname, action, status: 502, at });
			res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' }).end(`proxy: upstream failed: ${error.message}\n`);
		});
		req.pipe(upstream);
	});
	server.maxConnections = maxConnections;
	server.headersTimeout = idleMs;
	server.requestTimeout = idleMs;
	server.on('connection', track);
	server.on('clientError', (_error, socket) => socket.destroy());

	server.on('connect', (req, clientSocket, head) => {
		const at = Date.now();
		const match = /^([^:\s]+):(\d{1,5})$/.exec(req.url ?? '');
		const host = match ? match[1] : String(req.url ?? '');
		const askedPort = match ? Number(match[2]) : 0;
		const target = match ? mapTarget(hosts, host, askedPort) : undefined;
		if (target === undefined) {
			note({ kind: 'connect', method: 'CONNECT', host, port: askedPort, status: 502, at });
			clientSocket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nproxy: unknown host\n');
			return;
		}
		const upstream = net.connect({ host: '127.0.0.1', port: target });
		track(upstream);
		upstream.once('connect', () => {
			note({ kind: 'connect', method: 'CONNECT', host, port: askedPort, status: 200, at });
			clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head && head.length > 0) upstream.write(head);
			upstream.pipe(clientSocket);
			clientSocket.pipe(upstream);
		});
		upstream.once('error', () => {
			if (upstream.connecting) {
				note({ kind: 'connect', method: 'CONNECT', host, port: askedPort, status: 502, at });
				clientSocket.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\n\r\n');
			} else clientSocket.destroy();
		});
		clientSocket.once('close', () => upstream.destroy());
		upstream.once('close', () => clientSocket.destroy());
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const actualPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
	let closed = false;
	return {
		url: `http://127.0.0.1:${actualPort}`,
		port: actualPort,
		requests,
		reset() {
			requests.length = 0;
		},
		async close() {
			if (closed) return;
			closed = true;
			const done = new Promise((resolve) => server.close(() => resolve(undefined)));
			for (const socket of sockets) socket.destroy();
			server.closeAllConnections();
			server.unref();
			await done;
		},
	};
}
