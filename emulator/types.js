'use strict';

/**
 * Types shared by the emulator's modules (JSDoc only; nothing at run time).
 *
 * @typedef {object} AccessKey
 * @property {string} accessKeyId
 * @property {string} accessKeySecret
 * @property {string} [securityToken] when set, requests must carry exactly this STS token
 * @property {ReadonlyArray<string>} [permissions] actions this key may call ('*' = all); unset = all, [] = none
 * @property {string} [description]
 */

/**
 * One request on its way through the pipeline.
 * @typedef {object} Ctx
 * @property {number} at
 * @property {string} requestId
 * @property {string} method
 * @property {string} host
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} pathname
 * @property {string} rawQuery
 * @property {Buffer} body
 * @property {'v3'|'v1'} signatureVersion 'v3': an Authorization header; 'v1': none (V1-signed or unsigned:
 *   always refused, verify.js)
 * @property {string} action
 * @property {Array<[string, string]>} queryPairs
 * @property {Record<string, string>} params all parameters (query, then body)
 * @property {AccessKey | null} accessKey set once the request is authenticated
 */

/**
 * What the emulator answers; deliver.js writes it to the socket.
 * @typedef {object} Answer
 * @property {'json'|'raw'|'stream'|'reset'|'stall'} kind
 * @property {number} status HTTP status (0 when no HTTP answer is sent)
 * @property {unknown} [obj] JSON body (kind json)
 * @property {string | Buffer} [body] raw body (kind raw)
 * @property {string} [contentType] (kinds raw and stream)
 * @property {Record<string, string>} [headers] extra response headers
 * @property {Iterable<Buffer>} [chunks] kind stream: the body, chunk by chunk (may never end)
 * @property {number} [contentLength] kind stream: Content-Length to announce (none: chunked)
 * @property {number} [intervalMs] kind stream: pause between chunks (0: as fast as the client reads)
 * @property {boolean} [destroyAtEnd] kind stream: destroy the socket after the last chunk instead of ending
 * @property {string} outcome 'ok' | error Code | 'fault:<type>'
 * @property {boolean} launched
 * @property {number} [delayMs] extra delay before the answer (or the reset)
 * @property {number} [destroyAfterMs] kind stall: destroy the socket after this long
 */

/**
 * @typedef {{ ok: true, obj: Record<string, unknown> } | { ok: false, answer: Answer }} ActionResult
 */

/**
 * @typedef {object} RequestRecord
 * @property {number} at arrival time, ms since epoch
 * @property {string} action
 * @property {Record<string, string>} params business parameters only (no signature, key, token)
 * @property {'v3'|'v1'} signatureVersion 'v1': a request without an Authorization header (refused)
 * @property {string} outcome 'ok' | error Code | 'fault:<type>'
 * @property {number} status HTTP status sent (0 when none: reset, stall)
 * @property {boolean} launched the LaunchAuthentication was carried out
 * @property {number} [remotePort] the client's port (which connection carried the request)
 * @property {number} delayMs how long the answer was held back on purpose (latency option and latency faults)
 */

/**
 * The emulator's mutable state, one per startEmulator().
 * @typedef {object} State
 * @property {Map<string, AccessKey>} keys
 * @property {import('./fixtures').Fixtures} fixtures
 * @property {import('./faults').FaultPlan} faults
 * @property {number} latencyMs
 * @property {import('./nonceStore').NonceStore} nonces
 * @property {Array<RequestRecord>} log
 * @property {() => number} now clock used for timestamp checks
 * @property {((line: string) => void) | null} logLine
 * @property {Set<NodeJS.Timeout>} timers
 * @property {Set<import('node:http').ServerResponse>} streams answers of kind stream still being written
 * @property {boolean} closed emu.close() was called
 * @property {number} inFlight requests received and not yet answered (or closed)
 * @property {number} maxInFlight the most at one time since reset()
 * @property {import('./traces').Traces} traces the IVR traces of launched calls (reset() clears them)
 */

module.exports = {};
