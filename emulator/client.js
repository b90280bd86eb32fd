'use strict';

/**
 * Minimal signed client for the emulator (node:http only), for tests, benchmarks and demos.
 * Signing uses ./signature.js (written from Alibaba's docs), not the @alicloud SDK.
 *
 *   const { callSigned } = require('./emulator/client');
 *   const res = await callSigned(emu.endpoint, { params: { InstanceId: 'ccc-test', ... } });
 *   res.status, res.json
 */

const http = require('node:http');
const sig = require('./signature');

/**
 * @typedef {object} RawResponse
 * @property {number} status
 * @property {http.IncomingHttpHeaders} headers
 * @property {string} text
 * @property {any} json parsed body, or undefined when not JSON
 */

/**
 * Send one HTTP request to the emulator.
 * @param {string} endpoint e.g. 'http://127.0.0.1:8787'
 * @param {object} o
 * @param {string} [o.method] default 'GET'
 * @param {string} [o.path] default '/'
 * @param {Record<string, string>} [o.headers]
 * @param {string | Buffer} [o.body]
 * @param {http.Agent | false} [o.agent] default: a fresh connection (agent false)
 * @param {number} [o.timeoutMs] reject with an Error whose code is 'ETIMEDOUT' after this long
 * @returns {Promise<RawResponse>}
 */
function rawRequest(endpoint, o) {
	const url = new URL(endpoint);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname.replace(/^\[|\]$/g, ''),
				port: url.port,
				method: o.method || 'GET',
				path: o.path || '/',
				headers: o.headers || {},
				agent: o.agent === undefined ? false : o.agent,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode || 0, headers: res.headers, text, json });
				});
			},
		);
		req.on('error', reject);
		if (o.timeoutMs !== undefined) {
			req.setTimeout(o.timeoutMs, () => {
				const e = /** @type {Error & { code?: string }} */ (new Error(`request timed out after ${o.timeoutMs} ms`));
				e.code = 'ETIMEDOUT';
				req.destroy(e);
			});
		}
		if (o.body !== undefined && o.body !== '') req.write(o.body);
		req.end();
	});
}

/**
 * Sign (V3, ACS3-HMAC-SHA256: the only signature the package sends and the emulator verifies) and send one
 * RPC-style call.
 * @param {string} endpoint
 * @param {object} [o]
 * @param {string} [o.action] default 'LaunchAuthentication'
 * @param {string} [o.version] default '2020-07-01'
 * @param {Record<string, unknown>} [o.params] business parameters
 * @param {'query'|'form'} [o.paramsIn] where the parameters go (default: query)
 * @param {string} [o.method] default 'POST'
 * @param {{ accessKeyId: string, accessKeySecret: string, securityToken?: string }} [o.key] default: the emulator's first default key
 * @param {string | Date | number} [o.date] x-acs-date (default now)
 * @param {string} [o.nonce] default random
 * @param {http.Agent | false} [o.agent]
 * @param {number} [o.timeoutMs]
 * @returns {Promise<RawResponse>}
 */
function callSigned(endpoint, o = {}) {
	const key = o.key || require('./server').DEFAULT_ACCESS_KEYS[0];
	const url = new URL(endpoint);
	const action = o.action || 'LaunchAuthentication';
	const version = o.version || '2020-07-01';
	const params = o.params || {};
	const form = o.paramsIn === 'form';
	const body = form ? sig.canonicalQueryString(sig.toPairs(params)) : '';
	const signed = sig.signRequestV3({
		host: url.host,
		action,
		version,
		accessKeyId: key.accessKeyId,
		accessKeySecret: key.accessKeySecret,
		securityToken: key.securityToken,
		method: o.method || 'POST',
		query: form ? undefined : params,
		body,
		contentType: form ? 'application/x-www-form-urlencoded' : undefined,
		date: o.date,
		nonce: o.nonce,
	});
	return rawRequest(endpoint, {
		method: o.method || 'POST',
		path: signed.path,
		headers: signed.headers,
		body: signed.body,
		agent: o.agent,
		timeoutMs: o.timeoutMs,
	});
}

module.exports = { rawRequest, callSigned };
