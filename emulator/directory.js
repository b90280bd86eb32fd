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
 *   Missing<Name> 400 "<Name> is mandatory for this action."  (POP naming, as the rest of the emulator; paging.js)
 *   Invalid<Name> 400 "Specified parameter <Name> is not valid." (paging not an integer; as the emulator's
 *     first ListInstances)
 *   Parameter.Minimum / Parameter.Maximum 400 (paging outside 1-100; ListUsers' table)
 *   Parameter.Enumeration 400 (Type / SortOrder / OrderByField not in the enumeration; assumed, table of
 *     ListPhoneNumbers https://help.aliyun.com/document_detail/439558.htm)
 *   NotExists.InstanceId 404 "The specified instance %s does not exist." (assumed for these actions)
 *
 * Data: the two instances of emulator/fixtures.json (`ccc-test`, the API page's example, and
 * `ccc-emulator-2`: instances.json); 7 contact flows in ccc-test (the PIN verification flow has the API
 * page's ID af145gfc-1108-4d55-8fca-f719bd512ebb), 1 in ccc-emulator-2 (contactFlows.js); 250 agents in
 * ccc-test, generated deterministically (fixed seed) around the fixture agents user-test@ccc-test
 * (extension 80326034) and agent-2@ccc-test, 1 agent in ccc-emulator-2 (agents.js). Paging and the
 * Missing<Name> check are shared with ivrTrace.js (paging.js).
 */

const { fail, checkRequired, parsePaging, pageOf } = require('./paging');
const { FLOW_SEEDS, flowItem } = require('./contactFlows');
const { usersOf } = require('./agents');
const INSTANCE_SEEDS = require('./instances.json');

/**
 * @typedef {import('./paging').ApiError} ApiError
 * @typedef {import('./paging').ListResult} ListResult
 * @typedef {import('./paging').Params} Params
 * @typedef {import('./contactFlows').FlowSeed} FlowSeed
 * @typedef {(typeof INSTANCE_SEEDS)[number]} InstanceSeed
 */

/** Required parameters of each action (the caller answers Missing<Name> for an absent or empty one). */
const REQUIRED = Object.freeze({
	ListInstances: Object.freeze(['PageNumber', 'PageSize']),
	ListContactFlows: Object.freeze(['InstanceId', 'PageNumber', 'PageSize']),
	ListUsers: Object.freeze(['InstanceId', 'PageNumber', 'PageSize']),
});

/** @type {Map<string, InstanceSeed>} */
const INSTANCES = new Map(INSTANCE_SEEDS.map((i) => [i.Id, i]));

/** @param {string} instanceId */
function hasInstance(instanceId) {
	return INSTANCES.has(instanceId);
}

/** @param {string} instanceId */
const instanceNotFound = (instanceId) =>
	fail(404, 'NotExists.InstanceId', `The specified instance ${instanceId} does not exist.`);

/** @param {string} name */
const invalidParam = (name) => fail(400, `Invalid${name}`, `Specified parameter ${name} is not valid.`);

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
	if (!hasInstance(instanceId)) return instanceNotFound(instanceId);
	return { ...paging, instanceId };
}

/**
 * @param {InstanceSeed} inst
 * @returns {Record<string, unknown>} the ListInstances item: the keys and order of the emulator's first
 *   ListInstances, with AdminList and NumberList filled in
 */
function instanceItem(inst) {
	const admins = usersOf(inst.Id).filter((u) => u.RoleName === 'Admin');
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
	const users = usersOf(start.instanceId).filter(
		(u) =>
			matches(u.LoginName, u.DisplayName) &&
			(!skillGroupId || u.SkillLevelList.some((s) => s.SkillGroupId === skillGroupId)),
	);
	return { data: pageOf(users.map((u) => structuredClone(u)), start.pageNumber, start.pageSize) };
}

module.exports = {
	REQUIRED,
	listInstances,
	listContactFlows,
	listUsers,
	hasInstance,
	instanceNotFound,
	// the start of ivrTrace.js's ListIvrTrackingDetails too
	startInstanceList,
};
