'use strict';

/**
 * Stable, deterministic IDs and numbers for the emulator's seeded data: the same on every run (node IDs of
 * the contact flows, draft IDs, devices, IVR channel IDs, the generated agents).
 */

const crypto = require('node:crypto');

/**
 * `count` lowercase hex characters derived from `seed` (stable IDs: node IDs, draft IDs, devices).
 * @param {string} seed
 * @param {number} count
 * @returns {string}
 */
function stableHex(seed, count) {
	let out = '';
	for (let i = 0; out.length < count; i++) out += crypto.createHash('sha256').update(`${seed}#${i}`).digest('hex');
	return out.slice(0, count);
}

/** @param {string} seed @returns {string} a UUID-shaped stable ID */
function stableUuid(seed) {
	const h = stableHex(seed, 32);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The ID of a flow's node: 8 hex characters, like the API examples' NodeId "e0bc19a3".
 * @param {string} flowId
 * @param {string} key
 * @returns {string}
 */
function nodeId(flowId, key) {
	return stableHex(`${flowId}/${key}`, 8);
}

/**
 * Mulberry32: a small seeded PRNG, so the generated directory is the same on every run.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
function seededRandom(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

module.exports = { stableHex, stableUuid, nodeId, seededRandom };
