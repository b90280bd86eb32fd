import fc from 'fast-check';

import '../helpers/fastCheckSeed';
import { makeRedactor } from '../../nodes/LaunchAuthentication/helpers/redact';

/**
 * Redaction of the forms an endpoint or proxy can echo a secret in besides the raw one: percent-encoding in
 * either hex case (RFC 3986 2.1: %2b = %2B), once and twice, and JSON escapes (`\/`, `\u002B`, `\u002b`, any
 * \uXXXX of any character), mixed freely. Property tests on the fixed printed seed.
 */
const TOKEN = 'TOK+en/With=Secret-4Lp8~x';

/** One character of the secret in one of its encodings. */
function encodeChar(char: string, how: number): string {
	const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
	const bytes = [...Buffer.from(char, 'utf8')];
	switch (how) {
		case 0:
			return char;
		case 1:
			return bytes.map((b) => `%${hex(b, 2).toUpperCase()}`).join('');
		case 2:
			return bytes.map((b) => `%${hex(b, 2).toLowerCase()}`).join('');
		case 3:
			return bytes.map((b) => `%25${hex(b, 2)}`).join('');
		case 4:
			return `\\u${hex(char.charCodeAt(0), 4).toUpperCase()}`;
		case 5:
			return `\\u${hex(char.charCodeAt(0), 4)}`;
		default:
			return char === '/' ? '\\/' : char;
	}
}

describe('redaction of encoded forms', () => {
	const redact = makeRedactor([TOKEN]);

	it('the issue’s examples: lowercase percent-encoding once and twice, JSON escapes', () => {
		const lowerOnce = encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
		const lowerTwice = encodeURIComponent(encodeURIComponent(TOKEN)).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
		const jsonSlash = JSON.stringify(TOKEN).replace(/\//g, '\\/');
		const jsonPlus = TOKEN.replace('+', '\\u002B');
		const jsonPlusLower = TOKEN.replace('+', '\\u002b');
		const jsonInJson = JSON.stringify(JSON.stringify(jsonPlus));
		for (const form of [lowerOnce, lowerTwice, jsonSlash, jsonPlus, jsonPlusLower, jsonInJson]) {
			const out = redact(`error body: {"message":"${form}"} end`);
			expect(out).toContain('[redacted]');
			expect(out).not.toContain('Secret-4Lp8');
		}
	});

	it('no secret survives in any mix of encodings of its characters, wherever it stands', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 4, maxLength: 30 }).filter((s) => !'[redacted]'.includes(s) && !s.includes('[redacted]')),
				fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 30, maxLength: 30 }),
				fc.string(),
				fc.string(),
				(secret, hows, before, after) => {
					const encoded = [...secret].map((c, i) => encodeChar(c, hows[i])).join('');
					const out = makeRedactor([secret])(`${before}${encoded}${after}`);
					expect(out).toContain('[redacted]');
					// What is left is what stood around it: the encoded secret is gone whole.
					expect(out).not.toContain(encoded);
				},
			),
		);
	});

	it('leaves text without the secret as it is (same string)', () => {
		fc.assert(
			fc.property(fc.string(), (text) => {
				fc.pre(!text.includes('Secret') && !/signature|authorization|security-?token|acs3/i.test(text));
				expect(redact(text)).toBe(text);
			}),
		);
	});
});
