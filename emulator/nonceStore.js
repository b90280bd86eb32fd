'use strict';

/** How long a SignatureNonce stays used: the same 15 minutes as the timestamp tolerance. */
const NONCE_TTL_MS = 15 * 60 * 1000;

/** Nonces seen in the last 15 minutes, pruned by time (insertion order = expiry order). */
class NonceStore {
	constructor() {
		/** @type {Map<string, number>} */
		this.map = new Map();
	}

	/**
	 * @param {string} key
	 * @param {number} nowMs
	 * @returns {boolean} false when the nonce was already used
	 */
	use(key, nowMs) {
		for (const [k, exp] of this.map) {
			if (exp > nowMs) break;
			this.map.delete(k);
		}
		if (this.map.has(key)) return false;
		this.map.set(key, nowMs + NONCE_TTL_MS);
		return true;
	}

	clear() {
		this.map.clear();
	}

	get size() {
		return this.map.size;
	}
}

module.exports = { NonceStore, NONCE_TTL_MS };
