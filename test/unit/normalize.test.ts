import { DOC_RESPONSE as documented } from '../../tools/fixtures';
import { normalizeLaunchData, normalizeRecord, toArray, toNumber } from '../../nodes/LaunchAuthentication/helpers/normalize';
import { buildOutputItems } from '../../nodes/LaunchAuthentication/helpers/output';

describe('normalization of the documented JSON example', () => {
	const data = normalizeLaunchData(documented.Data);

	it('types UserContext fields', () => {
		expect(data.UserContext).toEqual({
			UserState: 'BREAK',
			InstanceId: 'ccc-test',
			DeviceId: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
			BreakCode: 'Warm-up',
			OutboundScenario: false,
			Mobile: '86-132xxxx4730',
			SignedSkillGroupIdList: ['skg-test1@ccc-test', 'skg-test2@ccc-test'],
			Extension: '80326034',
			UserId: 'user-test@ccc-test',
			Heartbeat: 1609136956378,
			WorkMode: 'ON_SITE',
			JobId: 'job-65382141036853491',
			Reserved: 1609136956378,
		});
	});

	it('types channel fields and treats the 无 placeholder as no value', () => {
		expect(data.ChannelContexts).toHaveLength(1);
		const channel = data.ChannelContexts[0];
		expect(channel.Index).toBe(10);
		expect(channel.Timestamp).toBe(1609138903315);
		expect(channel.AssociatedData).toBeNull();
		expect(channel.ChannelId).toBe('ch:user:139xxxx0501->80326034:1609138902226:job-65382141036853491');
		expect(channel.Destination).toBe('139xxxx0501'); // digits with x stay text
		expect(channel.UserExtension).toBe('80326034'); // an extension is an identifier, not a number
	});

	it('keeps CallContext without its channels', () => {
		expect(data.CallContext).toEqual({ InstanceId: 'ccc-test', CallType: 'OUTBOUND', JobId: 'job-65382141036853491' });
	});
});

describe('field conversions', () => {
	it('parses AssociatedData given as a JSON string, and keeps unparseable text as it came', () => {
		expect(normalizeRecord({ AssociatedData: '{"orderId":"A-1001","vip":true}' }).AssociatedData).toEqual({ orderId: 'A-1001', vip: true });
		expect(normalizeRecord({ AssociatedData: '{not json' }).AssociatedData).toBe('{not json');
		expect(normalizeRecord({ AssociatedData: { a: 1 } }).AssociatedData).toEqual({ a: 1 });
	});

	it('accepts numbers already typed, keeps unsafe or odd numbers as text', () => {
		expect(toNumber(10)).toBe(10);
		expect(toNumber(' 42 ')).toBe(42);
		expect(toNumber('99999999999999999999')).toBe('99999999999999999999');
		expect(toNumber('1e3')).toBe('1e3');
		expect(toNumber('abc')).toBe('abc');
	});

	it('reads skill group lists as JSON arrays, comma lists or arrays', () => {
		expect(toArray('["a","b"]')).toEqual(['a', 'b']);
		expect(toArray('a, b')).toEqual(['a', 'b']);
		expect(toArray(['x'])).toEqual(['x']);
		expect(toArray('[broken')).toBe('[broken'); // unparseable: kept as it came
	});

	it('turns booleans given as text into booleans, case-insensitively', () => {
		expect(normalizeRecord({ OutboundScenario: 'TRUE' }).OutboundScenario).toBe(true);
		expect(normalizeRecord({ OutboundScenario: true }).OutboundScenario).toBe(true);
		expect(normalizeRecord({ OutboundScenario: 'maybe' }).OutboundScenario).toBe('maybe');
	});

	it('passes unknown fields through unchanged', () => {
		expect(normalizeRecord({ NewField: '12', Nested: { a: 1 } })).toEqual({ NewField: '12', Nested: { a: 1 } });
	});

	it('accepts a single ChannelContexts object (as XML converters produce) and a missing one', () => {
		expect(normalizeLaunchData({ CallContext: { ChannelContexts: { Index: '1' } } }).ChannelContexts).toEqual([{ Index: 1 }]);
		expect(normalizeLaunchData({ CallContext: {} }).ChannelContexts).toEqual([]);
		expect(normalizeLaunchData(undefined)).toEqual({ UserContext: {}, CallContext: {}, ChannelContexts: [] });
	});
});

describe('output items', () => {
	const requestId = documented.RequestId;

	it('one item per channel: channel fields at the top, contexts and RequestId added, linked to the input', () => {
		const body = JSON.parse(JSON.stringify(documented));
		const second = { ...body.Data.CallContext.ChannelContexts[0], Index: '11', ChannelId: 'ch:2' };
		body.Data.CallContext.ChannelContexts.push(second);
		const items = buildOutputItems(body, requestId, 4, 'perChannel');
		expect(items).toHaveLength(2);
		expect(items.map((i) => i.json.Index)).toEqual([10, 11]);
		for (const item of items) {
			expect(item.pairedItem).toEqual({ item: 4 });
			expect(item.json.RequestId).toBe(requestId);
			expect(item.json.CallContext).toEqual({ InstanceId: 'ccc-test', CallType: 'OUTBOUND', JobId: 'job-65382141036853491' });
			expect((item.json.UserContext as Record<string, unknown>).UserId).toBe('user-test@ccc-test');
		}
		// Separate copies: editing one item's context cannot change the other's.
		expect(items[0].json.UserContext).not.toBe(items[1].json.UserContext);
	});

	it('a call with no channels still yields one item', () => {
		const body = JSON.parse(JSON.stringify(documented));
		body.Data.CallContext.ChannelContexts = [];
		const items = buildOutputItems(body, requestId, 0, 'perChannel');
		expect(items).toHaveLength(1);
		expect(Object.keys(items[0].json).sort()).toEqual(['CallContext', 'RequestId', 'UserContext']);
	});

	it('one item per call holds the whole normalized Data', () => {
		const items = buildOutputItems(documented, requestId, 2, 'perCall');
		expect(items).toHaveLength(1);
		const call = items[0].json.CallContext as Record<string, unknown>;
		expect((call.ChannelContexts as unknown[]).length).toBe(1);
		expect(items[0].pairedItem).toEqual({ item: 2 });
	});
});
