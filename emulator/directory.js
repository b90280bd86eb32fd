'use strict';

/**
 * The CCC emulator's directory: instances, IVR contact flows and agents, and the pure logic of three read
 * actions of CCC API 2020-07-01 (no HTTP, no signatures: the server wires these into its action table).
 *
 *   const dir = require('./directory');
 *   dir.listUsers({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '20', SearchPattern: 'wang' });
 *   // -> { data: { PageNumber: 1, PageSize: 20, TotalCount: 12, List: [...] } }
 *   //    or { error: { status: 404, code: 'NotExists.InstanceId', message: '...' } }
 *
 * Each function takes the request's string parameters and returns the `Data` object exactly as the API page
 * documents it, or an Alibaba-style error. `REQUIRED[action]` lists the required parameters: the caller
 * should answer `Missing<Name>` before calling (the functions also do it, with the same code and message).
 *
 * What the Alibaba pages say (all the pages and the assumptions in one place: emulator/NOTES.md):
 *   ListInstances   https://help.aliyun.com/en/ccs/developer-reference/api-ccc-2020-07-01-listinstances
 *     PageNumber, PageSize (required, 1-100). List items: Id, Name, Description, Status (RUNNING, STOPPED,
 *     CREATING, RELEASED), DomainName, ConsoleUrl, CreateTime (ms), AliyunUid, AdminList, NumberList.
 *     `Owner` is not documented: kept because the emulator's first ListInstances returned it.
 *   ListContactFlows https://help.aliyun.com/zh/ccs/cccai/developer-reference/api-ccc-2020-07-01-listcontactflows
 *     InstanceId, PageNumber, PageSize (required); Type (MAIN_FLOW | SUB_FLOW | SURVEY_FLOW), SortOrder
 *     (ASC | DESC, default DESC), OrderByField (default updatedTime), SearchPattern (names or descriptions).
 *     Items (order of GetContactFlow's example, https://help.aliyun.com/zh/ccs/developer-reference/api-ccc-2020-07-01-getcontactflow):
 *     Type, Definition (JSON string), DraftId, Description (a *version* description), UpdatedTime,
 *     Editor, Published, InstanceId, Name, ContactFlowId, CreatedTime ("YYYY-MM-DD HH:mm:ss.S"), NumberList.
 *     Nothing marks an authentication flow: ours are MAIN_FLOWs recognizable by name/description only.
 *   ListUsers       https://help.aliyun.com/document_detail/439590.html
 *     InstanceId, PageNumber, PageSize (required); SearchPattern = fuzzy match on the login name or the
 *     display name (only those two: not UserId, not Extension; case-insensitive substring here, the page does
 *     not say); SkillGroupId. Items in the example's order: DisplayName, LoginName, Email, WorkMode, Mobile,
 *     UserId, DisplayId, RoleName, RoleId, PrimaryAccount (deprecated), PersonalOutboundNumberList,
 *     SkillLevelList, RamId, Extension, DeviceId, DeviceExt, DeviceState, Primary.
 *
 * Errors (CCC error tables; "assumed" where the action's own table was not seen):
 *   Missing<Name> 400 "<Name> is mandatory for this action."  (POP naming, as the rest of the emulator)
 *   Invalid<Name> 400 "Specified parameter <Name> is not valid." (paging not an integer; as the emulator's
 *     first ListInstances)
 *   Parameter.Minimum / Parameter.Maximum 400 (paging outside 1-100; ListUsers' table)
 *   Parameter.Enumeration 400 (Type / SortOrder / OrderByField not in the enumeration; assumed, table of
 *     ListPhoneNumbers https://help.aliyun.com/document_detail/439558.htm)
 *   NotExists.InstanceId 404 "The specified instance %s does not exist." (assumed for these actions)
 *
 * Data: the two instances of emulator/fixtures.json (`ccc-test`, the API page's example, and
 * `ccc-emulator-2`); 7 contact flows in ccc-test (the PIN verification flow has the API page's ID
 * af145gfc-1108-4d55-8fca-f719bd512ebb), 1 in ccc-emulator-2; 250 agents in ccc-test, generated
 * deterministically (fixed seed) around the fixture agents user-test@ccc-test (extension 80326034) and
 * agent-2@ccc-test, 1 agent in ccc-emulator-2. Flow nodes carry stable IDs (nodeId) shared with the IVR trace
 * (ivrTrace.js), so a trace row's NodeId is an activity id of the flow's Definition.
 */

const crypto = require('node:crypto');

/**
 * @typedef {{ status: number, code: string, message: string }} ApiError
 * @typedef {{ PageNumber: number, PageSize: number, TotalCount: number, List: any[] }} Page
 * @typedef {{ data: Page, error?: undefined } | { error: ApiError, data?: undefined }} ListResult
 * @typedef {Record<string, string | undefined>} Params
 * @typedef {{ key: string, type: string, name: string, properties?: Record<string, unknown>, events?: Record<string, string | null> }} FlowNode
 *   events: exit -> key of the next node (null = the flow ends); default { complete: <next node in the list> }
 * @typedef {{ ContactFlowId: string, InstanceId: string, Name: string, Type: string, Description: string,
 *   DraftId: string, Editor: string, Published: boolean, CreatedTime: string, UpdatedTime: string,
 *   NumberList: string[], nodes: FlowNode[] }} FlowSeed
 */

const PAGE_MIN = 1;
const PAGE_MAX = 100;
const AUTH_FLOW_ID = 'af145gfc-1108-4d55-8fca-f719bd512ebb';

/** Required parameters of each action (the caller answers Missing<Name> for an absent or empty one). */
const REQUIRED = Object.freeze({
	ListInstances: Object.freeze(['PageNumber', 'PageSize']),
	ListContactFlows: Object.freeze(['InstanceId', 'PageNumber', 'PageSize']),
	ListUsers: Object.freeze(['InstanceId', 'PageNumber', 'PageSize']),
});

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers (also used by ivrTrace.js)                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {{ error: ApiError }}
 */
function fail(status, code, message) {
	return { error: { status, code, message } };
}

/**
 * The first required parameter that is absent or empty, as a Missing<Name> error; null when all are there.
 * @param {ReadonlyArray<string>} names
 * @param {Params} params
 * @returns {{ error: ApiError } | null}
 */
function checkRequired(names, params) {
	for (const name of names) {
		if (params[name] === undefined || params[name] === '') {
			return fail(400, `Missing${name}`, `${name} is mandatory for this action.`);
		}
	}
	return null;
}

/**
 * PageNumber and PageSize, each an integer 1-100.
 * @param {Params} params
 * @param {(name: string) => { error: ApiError }} notInteger the action's answer for a value that is not an integer
 * @returns {{ pageNumber: number, pageSize: number, error?: undefined } | { error: ApiError }}
 */
function parsePaging(params, notInteger) {
	/** @type {number[]} */
	const values = [];
	for (const name of ['PageNumber', 'PageSize']) {
		const raw = String(params[name] ?? '').trim();
		if (!/^[+-]?\d+$/.test(raw)) return notInteger(name);
		const value = Number(raw);
		if (value < PAGE_MIN) {
			return fail(400, 'Parameter.Minimum', `The parameter ${name} must be greater than or equal to ${PAGE_MIN}.`);
		}
		if (value > PAGE_MAX) {
			return fail(400, 'Parameter.Maximum', `The parameter ${name} must be less than or equal to ${PAGE_MAX}.`);
		}
		values.push(value);
	}
	return { pageNumber: values[0], pageSize: values[1] };
}

/** @param {string} name */
const invalidParam = (name) => fail(400, `Invalid${name}`, `Specified parameter ${name} is not valid.`);

/**
 * @param {any[]} all
 * @param {number} pageNumber
 * @param {number} pageSize
 * @returns {Page}
 */
function pageOf(all, pageNumber, pageSize) {
	const start = (pageNumber - 1) * pageSize;
	return { PageNumber: pageNumber, PageSize: pageSize, TotalCount: all.length, List: all.slice(start, start + pageSize) };
}

/**
 * Required parameters, paging, instance: the common start of the instance-scoped list actions.
 * @param {ReadonlyArray<string>} required
 * @param {Params} params
 * @param {(name: string) => { error: ApiError }} notInteger
 * @returns {{ pageNumber: number, pageSize: number, instanceId: string, error?: undefined } | { error: ApiError }}
 */
function startInstanceList(required, params, notInteger) {
	const missing = checkRequired(required, params);
	if (missing) return missing;
	const paging = parsePaging(params, notInteger);
	if (paging.error) return paging;
	const instanceId = String(params.InstanceId);
	if (!INSTANCES.has(instanceId)) return instanceNotFound(instanceId);
	return { ...paging, instanceId };
}

/** @param {string} instanceId */
const instanceNotFound = (instanceId) =>
	fail(404, 'NotExists.InstanceId', `The specified instance ${instanceId} does not exist.`);

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

/* ------------------------------------------------------------------------------------------ */
/* Contact flows                                                                              */
/* ------------------------------------------------------------------------------------------ */

/**
 * The nodes that end our authentication flows: the outcome as the flow variable authResult and as the exit
 * code of the last node (our convention: CCC documents no authentication result).
 * @type {FlowNode[]}
 */
const AUTH_RESULT_NODES = [
	{ key: 'setPass', type: 'SET_VARIABLES', name: 'authResult = PASS', properties: { variables: { authResult: 'PASS' } }, events: { Success: null } },
	{ key: 'setFail', type: 'SET_VARIABLES', name: 'authResult = FAIL', properties: { variables: { authResult: 'FAIL' } }, events: { Failure: null } },
];

/**
 * A flow seed: `head` holds the identity and whatever differs from the usual values (instance ccc-test,
 * published, no draft, no numbers).
 * @param {Partial<FlowSeed> & Pick<FlowSeed, 'ContactFlowId' | 'Name' | 'Type' | 'Editor'>} head
 * @param {string} description the version description
 * @param {[string, string]} times CreatedTime, UpdatedTime
 * @param {FlowNode[]} nodes after the INCOMING_CALL start node (added here; a sub-flow starts with its SUB_START)
 * @returns {FlowSeed}
 */
function flowSeed(head, description, [created, updated], nodes) {
	if (nodes[0].type !== 'SUB_START') nodes = [START_NODE, ...nodes];
	return {
		InstanceId: 'ccc-test',
		DraftId: '',
		Published: true,
		NumberList: [],
		...head,
		Description: description,
		CreatedTime: created,
		UpdatedTime: updated,
		nodes,
	};
}

/** @type {FlowNode} */
const START_NODE = { key: 'start', type: 'INCOMING_CALL', name: 'Start' };
/** @type {FlowNode} */
const HANGUP_NODE = { key: 'hangup', type: 'HANGUP', name: 'Hang up', events: { complete: null } };
/** @param {string} say @returns {Record<string, unknown>} properties of a text-to-speech prompt */
const tts = (say) => ({ say, audioType: 'tts', audioInterrupt: false });

/** @type {FlowSeed[]} */
const FLOW_SEEDS = [
	flowSeed(
		{ ContactFlowId: '5e1b7c3a-2d4f-4b8e-9a61-0c7d3f2e8b14', Name: 'Inbound main menu', Type: 'MAIN_FLOW', Editor: 'user-test', NumberList: ['0571xxxx8888'] },
		'2.4 hotline 0571xxxx8888: welcome, main menu, transfer to agents', ['2020-12-21 09:12:30.0', '2021-03-08 15:34:49.0'],
		[
			{ key: 'welcome', type: 'PLAY_SAY', name: 'Welcome', properties: tts('Welcome to the customer service hotline.') },
			{
				key: 'menu',
				type: 'GATHER_INPUT',
				name: 'Main menu',
				properties: { ...tts('For orders press 1, for your account press 2, for anything else press 0.'), maxDigits: 1, timeout: 8 },
				events: { Success: 'route', Timeout: 'route' },
			},
			{
				key: 'route',
				type: 'SPLIT',
				name: 'Route by key',
				properties: { branches: [{ exit: 'Branch-A', condition: 'digits == 1' }, { exit: 'Branch-B', condition: 'digits == 2' }] },
				events: { 'Branch-A': 'toAgent', 'Branch-B': 'toAgent', Default: 'toAgent' },
			},
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Transfer to agent', properties: { skillGroupId: 'skg-test1@ccc-test', queueTimeout: 120 }, events: { Success: null, Overflow: 'hangup', Timeout: 'hangup' } },
			HANGUP_NODE,
		],
	),
	flowSeed(
		{ ContactFlowId: AUTH_FLOW_ID, Name: 'PIN verification', Type: 'MAIN_FLOW', Editor: 'user-test' },
		'1.3 IVR authentication (LaunchAuthentication): 6-digit PIN checked against the CRM, 3 attempts; sets authResult=PASS|FAIL', ['2021-01-11 10:02:17.0', '2021-06-30 18:21:05.0'],
		[
			{
				key: 'gather',
				type: 'GATHER_INPUT',
				name: 'Enter PIN',
				properties: { ...tts('Please enter your 6-digit PIN, then press the hash key.'), maxDigits: 6, terminator: '#', timeout: 10 },
				events: { Success: 'verify', Timeout: 'setFail', Hangup: null },
			},
			{ key: 'verify', type: 'JSON_PARSER', name: 'Verify PIN with CRM', properties: { source: 'crm.pinCheck', path: '$.status' } },
			{
				key: 'check',
				type: 'SPLIT',
				name: 'PIN check result',
				properties: {
					branches: [
						{ exit: 'Branch-A', condition: "status == 'MATCH'" },
						{ exit: 'Branch-B', condition: "status == 'MISMATCH' && authAttempts < 3" },
						{ exit: 'Branch-C', condition: "status == 'PENDING'" },
					],
				},
				events: { 'Branch-A': 'setPass', 'Branch-B': 'gather', 'Branch-C': 'hold', Default: 'setFail' },
			},
			{ key: 'hold', type: 'PLAY_SAY', name: 'Please hold', properties: tts('Please hold while we verify your PIN.'), events: { Success: 'verify' } },
			...AUTH_RESULT_NODES,
		],
	),
	flowSeed(
		{ ContactFlowId: '9d3e51c2-7a0b-4c6f-8e2d-4b1a6f0c9e37', Name: 'Voiceprint / ID card check', Type: 'MAIN_FLOW', Editor: 'user-test', DraftId: stableUuid('draft/voiceprint') },
		'1.1 IVR authentication (LaunchAuthentication): last 6 digits of the ID card, then a spoken pass phrase; sets authResult', ['2021-02-02 14:40:00.0', '2021-05-19 11:08:26.0'],
		[
			{ key: 'gatherId', type: 'GATHER_INPUT', name: 'Enter ID card (last 6)', properties: { ...tts('Please enter the last six digits of your ID card.'), maxDigits: 6, timeout: 10 } },
			{ key: 'phrase', type: 'ASR', name: 'Say the pass phrase', properties: { ...tts('Please say: my voice is my password.'), timeout: 8 } },
			{ key: 'verify', type: 'JSON_PARSER', name: 'Verify with CRM', properties: { source: 'crm.voiceprint', path: '$.status' } },
			{ key: 'check', type: 'SPLIT', name: 'Verified?', properties: { branches: [{ exit: 'Branch-A', condition: "status == 'MATCH'" }] }, events: { 'Branch-A': 'setPass', Default: 'setFail' } },
			...AUTH_RESULT_NODES,
		],
	),
	flowSeed(
		{ ContactFlowId: '3c8f2a61-5e9d-4f07-b2c4-7e6a1d0b5f92', Name: 'Satisfaction survey', Type: 'SURVEY_FLOW', Editor: 'user-test' },
		'1.0 after-call survey, 1-5 keys', ['2020-12-21 09:30:00.0', '2021-01-04 16:45:12.0'],
		[
			{ key: 'rate', type: 'SATISFACTION_RATING', name: 'Rate the call', properties: { ...tts('Please rate this call from 1 (poor) to 5 (excellent).'), maxDigits: 1 } },
			{ key: 'thanks', type: 'PLAY_SAY', name: 'Thank you', properties: tts('Thank you for your feedback. Goodbye.') },
			HANGUP_NODE,
		],
	),
	flowSeed(
		{ ContactFlowId: '7a4d9e08-1b3c-4d5e-9f60-2a8b7c6d5e43', Name: 'Outbound callback greeting', Type: 'MAIN_FLOW', Editor: 'agent-2', NumberList: ['083xxxx0019'] },
		'1.2 outbound callbacks: greeting, then an agent', ['2021-02-15 08:55:41.0', '2021-04-01 10:00:00.0'],
		[
			{ key: 'greet', type: 'PLAY_SAY', name: 'Callback greeting', properties: tts('Hello, we are calling you back about your request.') },
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Connect agent', properties: { skillGroupId: 'skg-default@ccc-test' }, events: { Success: null } },
		],
	),
	flowSeed(
		{ ContactFlowId: '1f6b0d2e-8c7a-4e93-a5d1-6c2e9b0f7a58', Name: 'Business hours check', Type: 'SUB_FLOW', Editor: 'user-test' },
		'1.0 sub-flow: open 09:00-18:00 on working days', ['2020-12-20 17:03:09.0', '2020-12-20 17:03:09.0'],
		[
			{ key: 'start', type: 'SUB_START', name: 'Sub-flow start' },
			{ key: 'open', type: 'SPLIT', name: 'Open now?', properties: { branches: [{ exit: 'Branch-A', condition: 'now in 09:00-18:00' }] }, events: { 'Branch-A': 'end', Default: 'end' } },
			{ key: 'end', type: 'SUB_END', name: 'Sub-flow end', events: { complete: null } },
		],
	),
	flowSeed(
		{ ContactFlowId: '6b2c8e4f-0d9a-4b17-8c3e-5f1a0e7d2c69', Name: 'Holiday greeting (draft)', Type: 'MAIN_FLOW', Editor: 'agent-2', DraftId: stableUuid('draft/holiday'), Published: false },
		'0.1 draft, not published', ['2021-06-28 13:14:15.0', '2021-07-14 10:48:43.0'],
		[{ key: 'closed', type: 'PLAY_SAY', name: 'Holiday notice', properties: tts('We are closed for the holiday. Please call again tomorrow.') }, HANGUP_NODE],
	),
	flowSeed(
		{ ContactFlowId: '274601be-a6d5-4429-bcef-32b51d031c6e', Name: 'Default inbound flow', Type: 'MAIN_FLOW', Editor: 'agent-1', InstanceId: 'ccc-emulator-2' },
		'1.0', ['2023-01-01 08:00:00.0', '2023-01-01 08:00:00.0'],
		[
			{ key: 'welcome', type: 'PLAY_SAY', name: 'Welcome', properties: tts('Welcome.') },
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Transfer to agent', properties: { skillGroupId: 'skg-sales@ccc-emulator-2' }, events: { Success: null } },
		],
	),
];

/**
 * The flow's Definition as CCC stores it: a JSON string of { activities, description }, each activity
 * { type, id, name, properties (with a canvas position), events [{ event, next, edgeId }], nodeIndex }
 * (shape of the GetContactFlow / ListContactFlows examples).
 * @param {FlowSeed} flow
 * @returns {string}
 */
function definitionOf(flow) {
	const id = (/** @type {string | null} */ key) => (key === null ? null : nodeId(flow.ContactFlowId, key));
	const activities = flow.nodes.map((node, i) => {
		const next = flow.nodes[i + 1];
		const events = node.events || { complete: next ? next.key : null };
		return {
			type: node.type,
			id: id(node.key),
			name: node.name,
			properties: { ...(node.properties || {}), position: { x: 260 + 220 * i, y: 160 } },
			events: Object.entries(events).map(([event, nextKey]) => ({
				event,
				next: id(nextKey),
				edgeId: stableHex(`${flow.ContactFlowId}/${node.key}/${event}`, 8),
			})),
			nodeIndex: node.type === 'HANGUP' ? 999 : i,
		};
	});
	return JSON.stringify({ activities, description: '' });
}

/** @type {Map<string, FlowSeed>} */
const FLOWS = new Map(FLOW_SEEDS.map((f) => [f.ContactFlowId, f]));

/**
 * @param {FlowSeed} f
 * @returns {Record<string, unknown>} the ListContactFlows item, in the documented key order
 */
function flowItem(f) {
	return {
		Type: f.Type,
		Definition: definitionOf(f),
		DraftId: f.DraftId,
		Description: f.Description,
		UpdatedTime: f.UpdatedTime,
		Editor: f.Editor,
		Published: f.Published,
		InstanceId: f.InstanceId,
		Name: f.Name,
		ContactFlowId: f.ContactFlowId,
		CreatedTime: f.CreatedTime,
		NumberList: [...f.NumberList],
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Agents                                                                                     */
/* ------------------------------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------------------------------ */
/* Instances                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * The instances of emulator/fixtures.json, same values (ConsoleUrl included: the API page's own example is
 * https://ccc-v2.aliyun.com/#/workbench/ccc-test).
 */
const INSTANCE_SEEDS = [
	{
		Id: 'ccc-test',
		Name: 'ccc-test',
		Description: 'Instance of the LaunchAuthentication API example',
		Status: 'RUNNING',
		DomainName: 'ccc-test',
		ConsoleUrl: 'https://ccc-v2.aliyun.com/workbench?instance=ccc-test',
		CreateTime: 1609136956378,
		AliyunUid: '1234567890123456',
		Owner: '1234567890123456',
		NumberList: ['0571xxxx8888', '083xxxx0019'],
	},
	{
		Id: 'ccc-emulator-2',
		Name: 'ccc-emulator-2',
		Description: 'Second emulated instance',
		Status: 'RUNNING',
		DomainName: 'ccc-emulator-2',
		ConsoleUrl: 'https://ccc-v2.aliyun.com/workbench?instance=ccc-emulator-2',
		CreateTime: 1672531200000,
		AliyunUid: '1234567890123456',
		Owner: '1234567890123456',
		NumberList: ['0755xxxx6666'],
	},
];

/** @type {Map<string, (typeof INSTANCE_SEEDS)[number]>} */
const INSTANCES = new Map(INSTANCE_SEEDS.map((i) => [i.Id, i]));

/**
 * @param {(typeof INSTANCE_SEEDS)[number]} inst
 * @returns {Record<string, unknown>} the ListInstances item: the keys and order of the emulator's first
 *   ListInstances, with AdminList and NumberList filled in
 */
function instanceItem(inst) {
	const admins = (USERS.get(inst.Id) || []).filter((u) => u.RoleName === 'Admin');
	return {
		Id: inst.Id,
		Name: inst.Name,
		Description: inst.Description,
		Status: inst.Status,
		DomainName: inst.DomainName,
		ConsoleUrl: inst.ConsoleUrl,
		CreateTime: inst.CreateTime,
		AliyunUid: inst.AliyunUid,
		Owner: inst.Owner,
		NumberList: inst.NumberList.map((Number) => ({ Number })),
		AdminList: admins.map((u) => ({
			DisplayName: u.DisplayName,
			Extension: u.Extension,
			LoginName: u.LoginName,
			Email: u.Email,
			WorkMode: u.WorkMode,
			Mobile: u.Mobile,
			UserId: u.UserId,
			RoleName: u.RoleName,
		})),
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Actions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/**
 * ListInstances: PageNumber, PageSize.
 * @param {Params} params
 * @returns {ListResult}
 */
function listInstances(params) {
	const missing = checkRequired(REQUIRED.ListInstances, params);
	if (missing) return missing;
	const paging = parsePaging(params, invalidParam);
	if (paging.error) return paging;
	return { data: pageOf(INSTANCE_SEEDS.map(instanceItem), paging.pageNumber, paging.pageSize) };
}

const FLOW_TYPES = ['MAIN_FLOW', 'SUB_FLOW', 'SURVEY_FLOW'];
const SORT_ORDERS = ['ASC', 'DESC'];
/** OrderByField: the page documents updatedTime (the default); createdTime and name are our assumption. */
const FLOW_ORDER_FIELDS = /** @type {Record<string, (f: FlowSeed) => string>} */ ({
	updatedTime: (f) => f.UpdatedTime,
	createdTime: (f) => f.CreatedTime,
	name: (f) => f.Name,
});

/**
 * @param {string} name
 * @param {string} value
 * @param {string[]} allowed
 * @returns {{ error: ApiError }}
 */
function notInEnumeration(name, value, allowed) {
	return fail(400, 'Parameter.Enumeration', `The parameter ${name} must be one of the value of enumeration ${allowed.join(',')}. Got ${value}.`);
}

/**
 * @param {string | undefined} pattern
 * @returns {(...values: string[]) => boolean} case-insensitive substring match on any of the values; an
 *   empty pattern matches everything ("为空表示不过滤")
 */
function matcher(pattern) {
	const needle = String(pattern ?? '').trim().toLowerCase();
	return (...values) => needle === '' || values.some((v) => v.toLowerCase().includes(needle));
}

/**
 * ListContactFlows: InstanceId, PageNumber, PageSize; Type, SortOrder, OrderByField, SearchPattern.
 * @param {Params} params
 * @returns {ListResult}
 */
function listContactFlows(params) {
	const start = startInstanceList(REQUIRED.ListContactFlows, params, invalidParam);
	if (start.error) return start;
	const type = params.Type || '';
	if (type && !FLOW_TYPES.includes(type)) return notInEnumeration('Type', type, FLOW_TYPES);
	const sortOrder = (params.SortOrder || 'DESC').toUpperCase();
	if (!SORT_ORDERS.includes(sortOrder)) return notInEnumeration('SortOrder', String(params.SortOrder), SORT_ORDERS);
	const orderBy = params.OrderByField || 'updatedTime';
	// Own keys only: "constructor", "toString" or "__proto__" are not sort fields.
	const sortKey = Object.prototype.hasOwnProperty.call(FLOW_ORDER_FIELDS, orderBy) ? FLOW_ORDER_FIELDS[orderBy] : undefined;
	if (!sortKey) return notInEnumeration('OrderByField', orderBy, Object.keys(FLOW_ORDER_FIELDS));
	const matches = matcher(params.SearchPattern);
	const flows = FLOW_SEEDS.filter(
		(f) => f.InstanceId === start.instanceId && (!type || f.Type === type) && matches(f.Name, f.Description),
	);
	const dir = sortOrder === 'ASC' ? 1 : -1;
	flows.sort((a, b) => dir * (sortKey(a).localeCompare(sortKey(b)) || a.ContactFlowId.localeCompare(b.ContactFlowId)));
	return { data: pageOf(flows.map(flowItem), start.pageNumber, start.pageSize) };
}

/**
 * ListUsers: InstanceId, PageNumber, PageSize; SearchPattern (login name or display name), SkillGroupId.
 * Listed in creation order (DisplayId).
 * @param {Params} params
 * @returns {ListResult}
 */
function listUsers(params) {
	const start = startInstanceList(REQUIRED.ListUsers, params, invalidParam);
	if (start.error) return start;
	const matches = matcher(params.SearchPattern);
	const skillGroupId = params.SkillGroupId || '';
	const users = (USERS.get(start.instanceId) || []).filter(
		(u) =>
			matches(u.LoginName, u.DisplayName) &&
			(!skillGroupId || u.SkillLevelList.some((s) => s.SkillGroupId === skillGroupId)),
	);
	return { data: pageOf(users.map((u) => structuredClone(u)), start.pageNumber, start.pageSize) };
}

/* ------------------------------------------------------------------------------------------ */
/* Look-ups for the rest of the emulator                                                      */
/* ------------------------------------------------------------------------------------------ */

/** @param {string} instanceId */
function hasInstance(instanceId) {
	return INSTANCES.has(instanceId);
}

/**
 * @param {string} instanceId
 * @param {string} userIdOrExtension a UserId, or an extension (as GetUser accepts either)
 * @returns {UserDetail | undefined} a copy
 */
function getUser(instanceId, userIdOrExtension) {
	const u = (USERS.get(instanceId) || []).find((x) => x.UserId === userIdOrExtension || x.Extension === userIdOrExtension);
	return u && structuredClone(u);
}

/**
 * @param {string} contactFlowId
 * @returns {{ ContactFlowId: string, InstanceId: string, Name: string, Type: string, nodes: Array<FlowNode & { id: string }> } | undefined}
 */
function getContactFlow(contactFlowId) {
	const f = FLOWS.get(contactFlowId);
	if (!f) return undefined;
	return {
		ContactFlowId: f.ContactFlowId,
		InstanceId: f.InstanceId,
		Name: f.Name,
		Type: f.Type,
		nodes: f.nodes.map((n) => ({ ...structuredClone(n), id: nodeId(f.ContactFlowId, n.key) })),
	};
}

module.exports = {
	REQUIRED,
	AUTH_FLOW_ID,
	PAGE_MIN,
	PAGE_MAX,
	listInstances,
	listContactFlows,
	listUsers,
	hasInstance,
	getUser,
	getContactFlow,
	// helpers shared with ivrTrace.js
	fail,
	checkRequired,
	parsePaging,
	pageOf,
	startInstanceList,
	nodeId,
	stableHex,
	stableUuid,
};
