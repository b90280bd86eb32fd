'use strict';

/**
 * The seeded agents of the emulator's directory: 250 in ccc-test, generated deterministically (fixed seed)
 * around the fixture agents user-test@ccc-test (extension 80326034) and agent-2@ccc-test, and 1 in
 * ccc-emulator-2. Items in ListUsers' documented key order (directory.js's header).
 */

const { stableHex, seededRandom } = require('./stableIds');

const SKILL_GROUPS = [
	['skg-default@ccc-test', 'skg-default'],
	['skg-test1@ccc-test', 'skg-test1'],
	['skg-test2@ccc-test', 'skg-test2'],
	['skg-sales@ccc-test', 'skg-sales'],
	['skg-aftersales@ccc-test', 'skg-aftersales'],
	['skg-vip@ccc-test', 'skg-vip'],
];

/** [hanzi, pinyin] */
const SURNAMES = [
	['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['黄', 'huang'],
	['赵', 'zhao'], ['吴', 'wu'], ['周', 'zhou'], ['徐', 'xu'], ['孙', 'sun'], ['马', 'ma'], ['朱', 'zhu'],
	['胡', 'hu'], ['郭', 'guo'], ['何', 'he'], ['高', 'gao'], ['林', 'lin'], ['罗', 'luo'], ['郑', 'zheng'],
	['梁', 'liang'], ['谢', 'xie'], ['宋', 'song'], ['唐', 'tang'], ['韩', 'han'], ['冯', 'feng'], ['邓', 'deng'],
	['曹', 'cao'], ['彭', 'peng'],
];
const GIVEN_NAMES = [
	['伟', 'wei'], ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['强', 'qiang'],
	['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'], ['艳', 'yan'], ['杰', 'jie'], ['娟', 'juan'],
	['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['秀英', 'xiuying'], ['霞', 'xia'], ['平', 'ping'], ['刚', 'gang'],
	['桂英', 'guiying'], ['晓东', 'xiaodong'], ['海燕', 'haiyan'], ['志强', 'zhiqiang'], ['婷婷', 'tingting'],
	['建华', 'jianhua'], ['雪', 'xue'], ['浩然', 'haoran'], ['思雨', 'siyu'],
];
/** Agents of the international desk: Latin display names. */
const LATIN_NAMES = [
	'Anna Schmidt', 'David Miller', 'Sofia Rossi', 'Lucas Martin', 'Emma Johansson', 'Noah Williams',
	'Mia Tanaka', 'Omar Haddad', 'Chloe Dubois', 'Mateo Garcia',
];

/**
 * @typedef {{ DisplayName: string, LoginName: string, Email: string, WorkMode: string, Mobile: string,
 *   UserId: string, DisplayId: string, RoleName: string, RoleId: string, PrimaryAccount: boolean,
 *   PersonalOutboundNumberList: Array<{ Number: string, Active: boolean, City: string, Usage: string, Province: string }>,
 *   SkillLevelList: Array<{ SkillLevel: number, SkillGroupId: string, SkillGroupName: string }>,
 *   RamId: number, Extension: string, DeviceId: string, DeviceExt: string, DeviceState: string, Primary: boolean }} UserDetail
 */

/**
 * One agent in the documented key order.
 * @param {string} instanceId
 * @param {number} index 0-based creation order
 * @param {{ login: string, display: string, extension: string, mobile: string, workMode: string, role: string,
 *   skills: Array<[number, string, string]>, deviceId?: string, deviceState: string, personalNumber?: string }} u
 * @returns {UserDetail}
 */
function makeUser(instanceId, index, u) {
	return {
		DisplayName: u.display,
		LoginName: u.login,
		Email: `${u.login}@example.com`,
		WorkMode: u.workMode,
		Mobile: u.mobile,
		UserId: `${u.login}@${instanceId}`,
		DisplayId: String(1001 + index),
		RoleName: u.role,
		RoleId: `${u.role}@${instanceId}`,
		PrimaryAccount: false,
		PersonalOutboundNumberList: u.personalNumber
			? [{ Number: u.personalNumber, Active: true, City: '杭州', Usage: 'Outbound', Province: '浙江' }]
			: [],
		SkillLevelList: u.skills.map(([SkillLevel, SkillGroupId, SkillGroupName]) => ({ SkillLevel, SkillGroupId, SkillGroupName })),
		RamId: 2123450225460000 + index,
		Extension: u.extension,
		DeviceId: u.deviceId || `ACC-YUNBS-1.0.10-${stableHex(`device/${u.login}@${instanceId}`, 28)}`,
		DeviceExt: String(80330000 + index),
		DeviceState: u.deviceState,
		Primary: false,
	};
}

/**
 * The 250 agents of ccc-test: the two fixture agents first (values of emulator/fixtures.json and of the
 * LaunchAuthentication page), then 248 generated with a fixed seed.
 * @returns {UserDetail[]}
 */
function generateCccTestUsers() {
	const rnd = seededRandom(20200701);
	const pick = (/** @type {number} */ n) => Math.floor(rnd() * n);
	const users = [
		makeUser('ccc-test', 0, {
			login: 'user-test',
			display: '测试坐席',
			extension: '80326034',
			mobile: '86-132xxxx4730',
			workMode: 'ON_SITE',
			role: 'Agent',
			skills: [[5, 'skg-test1@ccc-test', 'skg-test1'], [3, 'skg-test2@ccc-test', 'skg-test2']],
			deviceId: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
			deviceState: 'ONLINE',
		}),
		makeUser('ccc-test', 1, {
			login: 'agent-2',
			display: '坐席小王',
			extension: '80326035',
			mobile: '86-138xxxx0002',
			workMode: 'OFF_SITE',
			role: 'Agent',
			skills: [[5, 'skg-default@ccc-test', 'skg-default']],
			deviceState: 'ONLINE',
		}),
	];
	const taken = new Set(users.map((u) => u.LoginName));
	for (let index = 2; index < 250; index++) {
		let login;
		let display;
		if (index % 25 === 7) {
			display = LATIN_NAMES[Math.floor(index / 25) % LATIN_NAMES.length];
			login = display.toLowerCase().replace(' ', '.');
		} else {
			const [sHz, sPy] = SURNAMES[pick(SURNAMES.length)];
			const [gHz, gPy] = GIVEN_NAMES[pick(GIVEN_NAMES.length)];
			display = `${sHz}${gHz}`;
			login = `${gPy}.${sPy}`;
		}
		const base = login;
		for (let n = 2; taken.has(login); n++) login = `${base}${n}`;
		taken.add(login);
		const roll = rnd();
		const role = index % 50 === 3 ? 'Admin' : index % 10 === 5 ? 'Manager' : 'Agent';
		const skillCount = 1 + pick(3);
		/** @type {Array<[number, string, string]>} */
		const skills = [];
		for (let s = 0; s < skillCount; s++) {
			const [id, name] = SKILL_GROUPS[(index + s * 2) % SKILL_GROUPS.length];
			skills.push([1 + pick(10), id, name]);
		}
		users.push(
			makeUser('ccc-test', index, {
				login,
				display,
				extension: String(80326100 + index),
				mobile: `86-13${pick(10)}xxxx${String(pick(10000)).padStart(4, '0')}`,
				workMode: roll < 0.7 ? 'ON_SITE' : roll < 0.9 ? 'OFF_SITE' : 'OFFICE_PHONE',
				role,
				skills,
				deviceState: rnd() < 0.6 ? 'ONLINE' : 'OFFLINE',
				personalNumber: rnd() < 0.15 ? `0571xxxx${String(1000 + index).padStart(4, '0')}` : undefined,
			}),
		);
	}
	return users;
}

/** @type {Map<string, UserDetail[]>} */
const USERS = new Map([
	['ccc-test', generateCccTestUsers()],
	[
		'ccc-emulator-2',
		[
			makeUser('ccc-emulator-2', 0, {
				login: 'agent-1',
				display: '坐席一号',
				extension: '8001',
				mobile: '86-139xxxx0101',
				workMode: 'ON_SITE',
				role: 'Admin',
				skills: [[5, 'skg-sales@ccc-emulator-2', 'skg-sales']],
				deviceState: 'ONLINE',
			}),
		],
	],
]);

/**
 * @param {string} instanceId
 * @returns {UserDetail[]} the instance's agents, in creation order (not copies: callers copy what they hand out)
 */
function usersOf(instanceId) {
	return USERS.get(instanceId) || [];
}

/**
 * @param {string} instanceId
 * @param {string} userIdOrExtension a UserId, or an extension (as GetUser accepts either)
 * @returns {UserDetail | undefined} a copy
 */
function getUser(instanceId, userIdOrExtension) {
	const u = usersOf(instanceId).find((x) => x.UserId === userIdOrExtension || x.Extension === userIdOrExtension);
	return u && structuredClone(u);
}

module.exports = { usersOf, getUser };
