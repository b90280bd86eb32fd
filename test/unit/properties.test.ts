import fc from 'fast-check';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import '../helpers/fastCheckSeed';
import { normalizeLaunchData, normalizeRecord } from '../../nodes/LaunchAuthentication/helpers/normalize';
import { buildOutputItems } from '../../nodes/LaunchAuthentication/helpers/output';
import { checkContactFlowVariables, checkText, findInputField, LAUNCH_FIELDS } from '../../nodes/LaunchAuthentication/helpers/parameters';
import { makeRedactor } from '../../nodes/LaunchAuthentication/helpers/redact';

const node = { name: 'Launch Authentication' } as INode;
// checkText only asks the context for the node (to attach it to its errors).
const ctx = { getNode: () => node } as unknown as IExecuteFunctions;

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const record = fc.dictionary(fc.oneof(fc.constantFrom('Index', 'Timestamp', 'Heartbeat', 'Reserved', 'OutboundScenario', 'SignedSkillGroupIdList', 'AssociatedData', 'ChannelId'), fc.string()), fc.oneof(jsonValue, fc.string(), fc.integer().map(String)));

describe('normalization over arbitrary field values and shapes', () => {
	it('never throws, keeps every key, and types safe numeric strings as numbers', () => {
		fc.assert(
			fc.property(record, (rec) => {
				const out = normalizeRecord(rec);
				expect(Object.keys(out).sort()).toEqual(Object.keys(rec).sort());
				for (const key of ['Index', 'Timestamp', 'Heartbeat', 'Reserved']) {
					const v = rec[key];
					if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) expect(out[key]).toBe(Number(v));
				}
			}),
		);
	});

	it('accepts any Data shape and yields at least one item per call, each linked to its input', () => {
		fc.assert(
			fc.property(jsonValue, fc.nat({ max: 1000 }), fc.constantFrom('perChannel', 'perCall') as fc.Arbitrary<'perChannel' | 'perCall'>, (data, index, mode) => {
				const items = buildOutputItems({ Data: data }, 'R', index, mode);
				expect(items.length).toBeGreaterThanOrEqual(1);
				for (const item of items) expect(item.pairedItem).toEqual({ item: index });
				const channels = normalizeLaunchData(data).ChannelContexts.length;
				expect(items).toHaveLength(mode === 'perChannel' ? Math.max(1, channels) : 1);
			}),
		);
	});

	it('is idempotent: normalizing normalized data changes nothing', () => {
		fc.assert(
			fc.property(record, (rec) => {
				const once = normalizeRecord(rec);
				expect(normalizeRecord(once)).toEqual(once);
			}),
		);
	});
});

describe('parameter mapping over arbitrary values', () => {
	const field = LAUNCH_FIELDS[2]; // Job ID

	it('either returns a trimmed, bounded, control-free text or names the field and the item', () => {
		fc.assert(
			fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object(), fc.array(fc.string())), fc.nat({ max: 99 }), (value, item) => {
				let text: string | undefined;
				try {
					text = checkText(ctx, field, value, item, 'parameter "jobId"');
				} catch (error) {
					expect((error as Error).message).toContain(`"Job ID" (parameter "jobId") of item ${item}`);
					return;
				}
				expect(text).toBe(String(value).trim());
				expect(text.length).toBeGreaterThan(0);
				expect(text.length).toBeLessThanOrEqual(field.maxLength);
				expect(/[\u0000-\u001f\u007f-\u009f]/.test(text)).toBe(false);
			}),
		);
	});

	it('ContactFlowVariables: any JSON object round-trips; anything else is refused naming the item', () => {
		fc.assert(
			fc.property(fc.oneof(fc.object(), jsonValue, fc.string()), fc.nat({ max: 9 }), (value, item) => {
				let text: string | undefined;
				try {
					text = checkContactFlowVariables(ctx, value, item);
				} catch (error) {
					expect((error as Error).message).toContain(`"Contact Flow Variables" of item ${item}`);
					return;
				}
				if (text !== undefined) expect(JSON.parse(text)).toEqual(typeof value === 'string' ? JSON.parse(value) : JSON.parse(JSON.stringify(value)));
			}),
		);
	});

	it('auto-mapping finds a field whatever its case or separators', () => {
		fc.assert(
			fc.property(fc.constantFrom(...LAUNCH_FIELDS.map((f) => f.api)), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }), fc.string(), (api, upper, value) => {
				const key = [...api].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c.toLowerCase())).join('');
				expect(findInputField(ctx, { other: 1, [key]: value }, api, 0)).toEqual({ key, value });
			}),
		);
	});
});

describe('redaction over arbitrary text', () => {
	it('no secret survives, wherever it stands in the text', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 4, maxLength: 40 }).filter((s) => !s.includes('[redacted]') && !'[redacted]'.includes(s)), fc.string(), fc.string(), (secret, before, after) => {
				const out = makeRedactor([secret])(`${before}${secret}${after}`);
				expect(out).not.toContain(secret);
			}),
		);
	});
});

it('the tools name the node as n8n does when it is added (fixtures.json nodeName = the node’s defaults.name)', () => {
	const { LaunchAuthentication } = require('../../nodes/LaunchAuthentication/LaunchAuthentication.node');
	const { NODE_NAME } = require('../../tools/fixtures');
	expect(new LaunchAuthentication().description.defaults.name).toBe(NODE_NAME);
});
