'use strict';

/**
 * The emulator's access keys (emulator only: they open nothing at Alibaba Cloud).
 * @typedef {import('./types').AccessKey} AccessKey
 */

/** @type {ReadonlyArray<Readonly<AccessKey>>} */
const DEFAULT_ACCESS_KEYS = Object.freeze([
	Object.freeze({
		accessKeyId: 'LTAI5tEmulatorKey000001',
		accessKeySecret: 'emulator-secret-0000000000000001',
		description: 'permanent key, all actions',
	}),
	Object.freeze({
		accessKeyId: 'STS.EmulatorStsKey00001',
		accessKeySecret: 'emulator-sts-secret-00000000001',
		securityToken: 'emulator-sts-token-0001',
		description: 'STS key: requests must carry the security token',
	}),
	Object.freeze({
		accessKeyId: 'LTAI5tNoPermission00001',
		accessKeySecret: 'emulator-secret-noperm-000000001',
		permissions: Object.freeze(/** @type {string[]} */ ([])),
		description: 'valid key without any RAM permission: every call gets Forbidden.RAM',
	}),
]);

/**
 * Copies of the keys, checked.
 * @param {ReadonlyArray<Readonly<AccessKey>> | undefined} keys
 * @returns {AccessKey[]}
 */
function copyAccessKeys(keys) {
	return (keys || DEFAULT_ACCESS_KEYS).map((k) => {
		if (!k || !k.accessKeyId || !k.accessKeySecret) throw new TypeError('every access key needs accessKeyId and accessKeySecret');
		return { ...k };
	});
}

module.exports = { DEFAULT_ACCESS_KEYS, copyAccessKeys };
