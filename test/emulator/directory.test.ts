/**
 * emulator/directory.js: ListInstances, ListContactFlows, ListUsers as pure functions (documented Data
 * shapes, paging, search, errors) and the seeded data (deterministic, consistent with fixtures.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REQUIRED, listContactFlows, listInstances, listUsers } from '../../emulator/directory';
import { AUTH_FLOW_ID, getContactFlow } from '../../emulator/contactFlows';
import { getUser } from '../../emulator/agents';
import { nodeId } from '../../emulator/stableIds';

type ApiError = { status: number; code: string; message: string };
type Result<T> = { data?: T; error?: ApiError };
type Page = { PageNumber: number; PageSize: number; TotalCount: number; List: any[] };

function ok<T>(r: Result<T>): T {
	expect(r.error).toBeUndefined();
	return r.data as T;
}

function err(r: Result<unknown>): ApiError {
	expect(r.data).toBeUndefined();
	return r.error as ApiError;
}

const users = (extra: Record<string, string> = {}) =>
	ok<Page>(listUsers({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '100', ...extra }));
const flows = (extra: Record<string, string> = {}) =>
	ok<Page>(listContactFlows({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '100', ...extra }));

/** Every page of a list, asking with `pageSize`. */
function allPages(list: (p: Record<string, string>) => Result<Page>, pageSize: number, extra: Record<string, string> = {}) {
	const pages: Page[] = [];
	for (let n = 1; ; n++) {
		const page = ok(list({ ...extra, PageNumber: String(n), PageSize: String(pageSize) }));
		pages.push(page);
		if (page.List.length < pageSize) return pages;
	}
}

const USER_KEYS = [
	'DisplayName', 'LoginName', 'Email', 'WorkMode', 'Mobile', 'UserId', 'DisplayId', 'RoleName', 'RoleId',
	'PrimaryAccount', 'PersonalOutboundNumberList', 'SkillLevelList', 'RamId', 'Extension', 'DeviceId',
	'DeviceExt', 'DeviceState', 'Primary',
];
const FLOW_KEYS = [
	'Type', 'Definition', 'DraftId', 'Description', 'UpdatedTime', 'Editor', 'Published', 'InstanceId', 'Name',
	'ContactFlowId', 'CreatedTime', 'NumberList',
];

describe('REQUIRED', () => {
	it('lists the documented required parameters of each action', () => {
		expect(REQUIRED).toEqual({
			ListInstances: ['PageNumber', 'PageSize'],
			ListContactFlows: ['InstanceId', 'PageNumber', 'PageSize'],
			ListUsers: ['InstanceId', 'PageNumber', 'PageSize'],
		});
	});

	it('each action answers Missing<Name> for an absent or empty required parameter', () => {
		const full = { InstanceId: 'ccc-test', PageNumber: '1', PageSize: '10' };
		const actions = { ListInstances: listInstances, ListContactFlows: listContactFlows, ListUsers: listUsers } as const;
		for (const [action, fn] of Object.entries(actions)) {
			for (const name of REQUIRED[action as keyof typeof actions]) {
				for (const value of [undefined, '']) {
					const e = err(fn({ ...full, [name]: value }));
					expect(e).toEqual({ status: 400, code: `Missing${name}`, message: `${name} is mandatory for this action.` });
				}
			}
		}
	});
});

describe('paging errors (all three actions)', () => {
	const fns = [listInstances, listContactFlows, listUsers];
	it.each([
		['PageNumber', '0', 'Parameter.Minimum', 'The parameter PageNumber must be greater than or equal to 1.'],
		['PageSize', '0', 'Parameter.Minimum', 'The parameter PageSize must be greater than or equal to 1.'],
		['PageNumber', '-3', 'Parameter.Minimum', 'The parameter PageNumber must be greater than or equal to 1.'],
		['PageNumber', '101', 'Parameter.Maximum', 'The parameter PageNumber must be less than or equal to 100.'],
		['PageSize', '101', 'Parameter.Maximum', 'The parameter PageSize must be less than or equal to 100.'],
		['PageSize', 'ten', 'InvalidPageSize', 'Specified parameter PageSize is not valid.'],
		['PageNumber', '1.5', 'InvalidPageNumber', 'Specified parameter PageNumber is not valid.'],
	])('%s=%s -> 400 %s', (name, value, code, message) => {
		for (const fn of fns) {
			expect(err(fn({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '10', [name]: value }))).toEqual({ status: 400, code, message });
		}
	});

	it('1 and 100 are accepted; a page past the end is empty with the TotalCount', () => {
		for (const fn of fns) {
			const page = ok(fn({ InstanceId: 'ccc-test', PageNumber: '100', PageSize: '100' }));
			expect(page).toMatchObject({ PageNumber: 100, PageSize: 100, List: [] });
			expect(page.TotalCount).toBeGreaterThan(0);
		}
	});

	it('an unknown instance is 404 NotExists.InstanceId', () => {
		for (const fn of [listContactFlows, listUsers]) {
			expect(err(fn({ InstanceId: 'ccc-nope', PageNumber: '1', PageSize: '10' }))).toEqual({
				status: 404,
				code: 'NotExists.InstanceId',
				message: 'The specified instance ccc-nope does not exist.',
			});
		}
	});
});

describe('ListInstances', () => {
	const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '../../emulator/fixtures.json'), 'utf8'));

	it('the two fixture instances, with the keys of the emulator’s first ListInstances and the fixture values', () => {
		const page = ok<Page>(listInstances({ PageNumber: '1', PageSize: '10' }));
		expect(page).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 2 });
		expect(page.List.map((i) => i.Id)).toEqual(['ccc-test', 'ccc-emulator-2']);
		for (const item of page.List) {
			expect(Object.keys(item)).toEqual([
				'Id', 'Name', 'Description', 'Status', 'DomainName', 'ConsoleUrl', 'CreateTime', 'AliyunUid', 'Owner', 'NumberList', 'AdminList',
			]);
			const { users: _u, jobs: _j, ...info } = fixtures.instances.find((i: any) => i.Id === item.Id);
			for (const [k, v] of Object.entries(info)) expect([k, item[k]]).toEqual([k, v]);
			expect(typeof item.CreateTime).toBe('number');
			expect(item.NumberList.length).toBeGreaterThan(0);
			for (const n of item.NumberList) expect(Object.keys(n)).toEqual(['Number']);
		}
	});

	it('AdminList holds the instance’s Admin agents', () => {
		const [test, second] = ok<Page>(listInstances({ PageNumber: '1', PageSize: '2' })).List;
		expect(test.AdminList.length).toBeGreaterThanOrEqual(3);
		for (const a of test.AdminList) {
			expect(a.RoleName).toBe('Admin');
			expect(users({ SearchPattern: a.LoginName }).List.map((u) => u.UserId)).toContain(a.UserId);
		}
		expect(second.AdminList.map((a: any) => a.UserId)).toEqual(['agent-1@ccc-emulator-2']);
	});

	it('pages of one', () => {
		expect(allPages((p) => listInstances(p), 1).flatMap((p) => p.List.map((i) => i.Id))).toEqual(['ccc-test', 'ccc-emulator-2']);
	});
});

describe('ListUsers', () => {
	it('250 agents in ccc-test: TotalCount over three pages of 100, every page has the same TotalCount', () => {
		const pages = allPages((p) => listUsers(p), 100, { InstanceId: 'ccc-test' });
		expect(pages.map((p) => p.List.length)).toEqual([100, 100, 50]);
		expect(pages.map((p) => [p.PageNumber, p.PageSize, p.TotalCount])).toEqual([[1, 100, 250], [2, 100, 250], [3, 100, 250]]);
		const all = pages.flatMap((p) => p.List);
		for (const field of ['UserId', 'LoginName', 'Extension', 'DisplayId', 'Email', 'DeviceId', 'RamId']) {
			expect([field, new Set(all.map((u) => u[field])).size]).toEqual([field, 250]);
		}
		// Other page sizes give the same sequence.
		expect(allPages((p) => listUsers(p), 7, { InstanceId: 'ccc-test' }).flatMap((p) => p.List)).toEqual(all);
	});

	it('the fixture agents: user-test@ccc-test (API example, extension 80326034) and agent-2@ccc-test', () => {
		const [first, second] = users().List;
		expect(first).toMatchObject({
			UserId: 'user-test@ccc-test',
			LoginName: 'user-test',
			Extension: '80326034',
			WorkMode: 'ON_SITE',
			Mobile: '86-132xxxx4730',
			DeviceId: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
		});
		expect(first.SkillLevelList.map((s: any) => s.SkillGroupId)).toEqual(['skg-test1@ccc-test', 'skg-test2@ccc-test']);
		expect(second).toMatchObject({ UserId: 'agent-2@ccc-test', Extension: '80326035', WorkMode: 'OFF_SITE' });
	});

	it('each item has the documented keys, in the example’s order, with the documented types', () => {
		const all = allPages((p) => listUsers(p), 100, { InstanceId: 'ccc-test' }).flatMap((p) => p.List);
		const roles = new Set<string>();
		const modes = new Set<string>();
		for (const u of all) {
			expect(Object.keys(u)).toEqual(USER_KEYS);
			for (const k of ['DisplayName', 'LoginName', 'Email', 'WorkMode', 'Mobile', 'UserId', 'DisplayId', 'RoleName', 'RoleId', 'Extension', 'DeviceId', 'DeviceExt', 'DeviceState']) {
				expect([k, typeof u[k]]).toEqual([k, 'string']);
			}
			expect(typeof u.PrimaryAccount).toBe('boolean');
			expect(typeof u.Primary).toBe('boolean');
			expect(Number.isSafeInteger(u.RamId)).toBe(true);
			expect(u.UserId).toBe(`${u.LoginName}@ccc-test`);
			expect(u.RoleId).toBe(`${u.RoleName}@ccc-test`);
			expect(u.Extension).toMatch(/^\d{8}$/);
			expect(u.SkillLevelList.length).toBeGreaterThan(0);
			for (const s of u.SkillLevelList) {
				expect(Object.keys(s)).toEqual(['SkillLevel', 'SkillGroupId', 'SkillGroupName']);
				expect(s.SkillLevel).toBeGreaterThanOrEqual(1);
				expect(s.SkillLevel).toBeLessThanOrEqual(10);
			}
			for (const n of u.PersonalOutboundNumberList) expect(Object.keys(n)).toEqual(['Number', 'Active', 'City', 'Usage', 'Province']);
			roles.add(u.RoleName);
			modes.add(u.WorkMode);
		}
		expect([...roles].sort()).toEqual(['Admin', 'Agent', 'Manager']);
		expect([...modes].sort()).toEqual(['OFFICE_PHONE', 'OFF_SITE', 'ON_SITE']);
		expect(all.filter((u) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(u.DisplayName)).length).toBeGreaterThan(0);
		expect(all.filter((u) => u.PersonalOutboundNumberList.length > 0).length).toBeGreaterThan(0);
	});

	it('SearchPattern: case-insensitive substring of LoginName or DisplayName (as documented: not UserId, not Extension)', () => {
		const all = users().List.concat(users({ PageNumber: '2' }).List, users({ PageNumber: '3' }).List);
		const expectSearch = (pattern: string) => {
			const needle = pattern.toLowerCase();
			const expected = all.filter((u) => u.LoginName.toLowerCase().includes(needle) || u.DisplayName.toLowerCase().includes(needle));
			const page = users({ SearchPattern: pattern });
			expect(page.TotalCount).toBe(expected.length);
			expect(page.List.map((u) => u.UserId)).toEqual(expected.slice(0, 100).map((u) => u.UserId));
			return page;
		};
		expect(expectSearch('wang').TotalCount).toBeGreaterThan(1);
		expect(expectSearch('WANG').TotalCount).toBe(users({ SearchPattern: 'wang' }).TotalCount);
		expect(expectSearch('王').TotalCount).toBeGreaterThan(1);
		expect(expectSearch('schmidt').List.map((u) => u.DisplayName)).toContain('Anna Schmidt');
		expect(expectSearch('user-test').List.map((u) => u.UserId)).toEqual(['user-test@ccc-test']);
		expect(expectSearch('测试').List.map((u) => u.UserId)).toEqual(['user-test@ccc-test']);
		expect(users({ SearchPattern: '80326034' }).TotalCount).toBe(0);
		expect(users({ SearchPattern: '@ccc-test' }).TotalCount).toBe(0);
		expect(users({ SearchPattern: 'no-such-agent' })).toEqual({ PageNumber: 1, PageSize: 100, TotalCount: 0, List: [] });
		expect(users({ SearchPattern: '' }).TotalCount).toBe(250);
	});

	it('SearchPattern results page like the full list', () => {
		const total = users({ SearchPattern: 'a' }).TotalCount;
		expect(total).toBeGreaterThan(100);
		const pages = allPages((p) => listUsers(p), 30, { InstanceId: 'ccc-test', SearchPattern: 'a' });
		expect(pages.every((p) => p.TotalCount === total)).toBe(true);
		expect(pages.flatMap((p) => p.List).length).toBe(total);
	});

	it('SkillGroupId keeps the agents of that skill group', () => {
		const page = users({ SkillGroupId: 'skg-test2@ccc-test' });
		expect(page.TotalCount).toBeGreaterThan(10);
		expect(page.List.map((u) => u.UserId)).toContain('user-test@ccc-test');
		for (const u of page.List) expect(u.SkillLevelList.map((s: any) => s.SkillGroupId)).toContain('skg-test2@ccc-test');
		expect(users({ SkillGroupId: 'skg-none@ccc-test' }).TotalCount).toBe(0);
	});

	it('ccc-emulator-2 has its fixture agent', () => {
		const page = ok<Page>(listUsers({ InstanceId: 'ccc-emulator-2', PageNumber: '1', PageSize: '10' }));
		expect(page.TotalCount).toBe(1);
		expect(page.List[0]).toMatchObject({ UserId: 'agent-1@ccc-emulator-2', Extension: '8001' });
	});

	it('answers are copies: changing one does not change the directory', () => {
		users().List[0].DisplayName = 'changed';
		users().List[0].SkillLevelList.push({});
		expect(users().List[0]).toMatchObject({ DisplayName: '测试坐席' });
		expect(users().List[0].SkillLevelList).toHaveLength(2);
	});

	it('deterministic: a fresh copy of the module generates the same agents', () => {
		let again: Page | undefined;
		jest.isolateModules(() => {
			const fresh = require('../../emulator/directory');
			again = fresh.listUsers({ InstanceId: 'ccc-test', PageNumber: '2', PageSize: '100' }).data;
		});
		expect(again).toEqual(users({ PageNumber: '2' }));
	});

	it('getUser finds an agent by UserId or by extension', () => {
		expect(getUser('ccc-test', 'agent-2@ccc-test')?.Extension).toBe('80326035');
		expect(getUser('ccc-test', '80326034')?.UserId).toBe('user-test@ccc-test');
		expect(getUser('ccc-test', 'nobody@ccc-test')).toBeUndefined();
		expect(getUser('ccc-nope', '80326034')).toBeUndefined();
	});
});

describe('ListContactFlows', () => {
	it('the flows of ccc-test, documented keys and types, by UpdatedTime descending by default', () => {
		const page = flows();
		expect(page.TotalCount).toBe(7);
		for (const f of page.List) {
			expect(Object.keys(f)).toEqual(FLOW_KEYS);
			expect(f.InstanceId).toBe('ccc-test');
			expect(['MAIN_FLOW', 'SUB_FLOW', 'SURVEY_FLOW']).toContain(f.Type);
			expect(typeof f.Published).toBe('boolean');
			expect(f.CreatedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d$/);
			expect(f.UpdatedTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d$/);
			expect(f.UpdatedTime >= f.CreatedTime).toBe(true);
			expect(Array.isArray(f.NumberList)).toBe(true);
			expect(typeof f.Definition).toBe('string');
		}
		const times = page.List.map((f) => f.UpdatedTime);
		expect(times).toEqual([...times].sort().reverse());
		expect(new Set(page.List.map((f) => f.Type))).toEqual(new Set(['MAIN_FLOW', 'SUB_FLOW', 'SURVEY_FLOW']));
		expect(page.List.filter((f) => !f.Published).map((f) => f.Name)).toEqual(['Holiday greeting (draft)']);
	});

	it('holds the API example’s authentication flow and a second one; nothing but name/description marks them', () => {
		const pin = flows().List.find((f) => f.ContactFlowId === AUTH_FLOW_ID);
		expect(AUTH_FLOW_ID).toBe('af145gfc-1108-4d55-8fca-f719bd512ebb');
		expect(pin).toMatchObject({ Name: 'PIN verification', Type: 'MAIN_FLOW', Published: true });
		const auth = flows({ SearchPattern: 'authentication' }).List.map((f) => f.Name);
		expect(auth.sort()).toEqual(['PIN verification', 'Voiceprint / ID card check']);
	});

	it('Type filters; SearchPattern matches name or description, case-insensitively', () => {
		expect(flows({ Type: 'SURVEY_FLOW' }).List.map((f) => f.Name)).toEqual(['Satisfaction survey']);
		expect(flows({ Type: 'SUB_FLOW' }).List.map((f) => f.Name)).toEqual(['Business hours check']);
		expect(flows({ Type: 'MAIN_FLOW' }).TotalCount).toBe(5);
		expect(flows({ SearchPattern: 'PIN VERIFICATION' }).List.map((f) => f.ContactFlowId)).toEqual([AUTH_FLOW_ID]);
		expect(flows({ SearchPattern: 'hotline' }).List.map((f) => f.Name)).toEqual(['Inbound main menu']);
		expect(flows({ SearchPattern: 'authentication', Type: 'SURVEY_FLOW' }).TotalCount).toBe(0);
	});

	it('SortOrder and OrderByField', () => {
		const asc = flows({ SortOrder: 'ASC' }).List.map((f) => f.ContactFlowId);
		expect(asc).toEqual(flows().List.map((f) => f.ContactFlowId).reverse());
		const byName = flows({ OrderByField: 'name', SortOrder: 'ASC' }).List.map((f) => f.Name);
		expect(byName).toEqual([...byName].sort());
		const byCreated = flows({ OrderByField: 'createdTime' }).List.map((f) => f.CreatedTime);
		expect(byCreated).toEqual([...byCreated].sort().reverse());
	});

	it('values outside the enumerations are 400 Parameter.Enumeration', () => {
		for (const [name, value] of [['Type', 'AUTH_FLOW'], ['SortOrder', 'UP'], ['OrderByField', 'colour']]) {
			const e = err(listContactFlows({ InstanceId: 'ccc-test', PageNumber: '1', PageSize: '10', [name]: value }));
			expect(e.status).toBe(400);
			expect(e.code).toBe('Parameter.Enumeration');
			expect(e.message).toContain(name);
		}
	});

	it('paging over 7 flows with pages of 3', () => {
		const pages = allPages((p) => listContactFlows(p), 3, { InstanceId: 'ccc-test' });
		expect(pages.map((p) => [p.List.length, p.TotalCount])).toEqual([[3, 7], [3, 7], [1, 7]]);
		expect(pages.flatMap((p) => p.List)).toEqual(flows().List);
	});

	it('Definition is the CCC activities JSON; its activity ids are the nodes’ IDs (shared with the IVR trace)', () => {
		for (const f of flows().List) {
			const def = JSON.parse(f.Definition);
			expect(Object.keys(def)).toEqual(['activities', 'description']);
			const ids = new Set(def.activities.map((a: any) => a.id));
			expect(def.activities[0].type).toMatch(/^(INCOMING_CALL|SUB_START)$/);
			for (const a of def.activities) {
				expect(Object.keys(a)).toEqual(['type', 'id', 'name', 'properties', 'events', 'nodeIndex']);
				expect(a.id).toMatch(/^[0-9a-f]{8}$/);
				for (const e of a.events) expect(e.next === null || ids.has(e.next)).toBe(true);
			}
			const flow = getContactFlow(f.ContactFlowId)!;
			expect(flow.nodes.map((n) => n.id)).toEqual(def.activities.map((a: any) => a.id));
			expect(flow.nodes.map((n) => nodeId(f.ContactFlowId, n.key))).toEqual([...ids]);
		}
		expect(getContactFlow('no-such-flow')).toBeUndefined();
	});

	it('ccc-emulator-2 has its own flow', () => {
		const page = ok<Page>(listContactFlows({ InstanceId: 'ccc-emulator-2', PageNumber: '1', PageSize: '10' }));
		expect(page.List.map((f) => f.Name)).toEqual(['Default inbound flow']);
	});
});
