/**
 * Removes secrets from any text that may leave the node (a log line, an error, an output item): the
 * AccessKey secret and the STS token in every form an endpoint or a proxy could echo them in, and anything
 * shaped like a request signature.
 *
 * Forms: raw; percent-encoded once, twice or more (Alibaba's "server string to sign" in SignatureDoesNotMatch
 * holds the query percent-encoded twice), any character encoded or not, hex digits in either case (RFC 3986
 * 2.1 makes %2b and %2B equivalent); JSON-escaped (`\/`, `\u002B`, `\u002b`, any \uXXXX escape of any of its
 * characters, with one or more backslashes); base64 and base64url, also where the secret sits at any offset
 * inside a longer base64 text. One regular expression per redactor, linear in the text's length.
 */
const SIGNATURE_PATTERNS: RegExp[] = [
	/(Signature=)[^,&\s"']+/gi,
	/(ACS3-HMAC-SHA256\s+)[^\s"']+(?:\s*,\s*[^\s"']+)*/gi,
	/("?(?:Authorization|x-acs-security-token|SecurityToken)"?\s*[:=]\s*"?)[^"&\s,]+/gi,
];

/** Encoded forms shorter than this are not searched for: they would match ordinary text. */
const MIN_FORM_LENGTH = 6;

/** The part of base64(prefix + secret) that depends only on the secret, for the three byte alignments. */
function base64Cores(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	const cores: string[] = [];
	for (let offset = 0; offset < 3; offset++) {
		const shifted = Buffer.concat([Buffer.alloc(offset), bytes]);
		const encoded = shifted.toString('base64');
		// Skip the characters that also encode the padding bytes in front, and the last (partial) group.
		const start = Math.ceil((offset * 8) / 6);
		const end = Math.floor(((offset + bytes.length) * 8) / 6);
		const core = encoded.slice(start, end);
		cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return cores;
}

/** The base64 forms of one secret the redactor looks for (its raw, percent-encoded and JSON-escaped forms are matched by `secretPattern`). */
export function secretForms(secret: string): string[] {
	const base64 = [
		Buffer.from(secret).toString('base64'),
		Buffer.from(secret).toString('base64url'),
		...base64Cores(secret),
	];
	return [...new Set(base64.filter((f) => f.length >= MIN_FORM_LENGTH))];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
}

/** A hex number as a pattern matching it in either case (RFC 3986 2.1: %2b and %2B are the same octet; JSON's \u002b and \u002B the same character). */
function hexEitherCase(value: number, digits: number): string {
	return [...value.toString(16).padStart(digits, '0')]
		.map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
		.join('');
}

/**
 * Every way one character of a secret can stand in a text an endpoint or proxy echoes: as itself,
 * percent-encoded (its UTF-8 bytes, once or more: `%2B`, `%2b`, `%252B`), JSON-escaped (`\u002B`, `\u002b`,
 * `\/`, once or more backslashes for JSON inside JSON).
 */
function characterPattern(char: string): string {
	const alternatives = [escapeRegExp(char)];
	const percent = [...Buffer.from(char, 'utf8')]
		.map((byte) => `%(?:25)*${hexEitherCase(byte, 2)}`)
		.join('');
	alternatives.push(percent);
	let json = '';
	for (let i = 0; i < char.length; i++) json += `\\\\+u${hexEitherCase(char.charCodeAt(i), 4)}`;
	alternatives.push(json);
	if (char === '/' || char === '"' || char === '\\')
		alternatives.push(`\\\\+${escapeRegExp(char)}`);
	return `(?:${alternatives.join('|')})`;
}

/** One secret in any mix of its raw, percent-encoded (either hex case, once or twice) and JSON-escaped forms. */
function secretPattern(secret: string): string {
	return [...secret].map(characterPattern).join('');
}

export type Redactor = (text: string) => string;

/** Cheap words that tell a text may hold a signature or a token header. */
const SIGNATURE_HINT = /Signature=|ACS3-HMAC-SHA256|Authorization|security-?token/i;

export function makeRedactor(secrets: Array<string | undefined>): Redactor {
	const usable = [
		...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)),
	];
	// Secrets (in every encoding) first, longest first, then their base64 forms, longest first.
	const alternatives = [
		...usable.sort((a, b) => b.length - a.length).map(secretPattern),
		...[...new Set(usable.flatMap(secretForms))]
			.sort((a, b) => b.length - a.length)
			.map(escapeRegExp),
	];
	const known = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
	// One test decides whether a text needs any work: most texts (output data) hold nothing to redact.
	const suspect = known ? new RegExp(known.source) : undefined;
	return (text: string) => {
		const hasSecret = suspect?.test(text) === true;
		if (!hasSecret && !SIGNATURE_HINT.test(text)) return text;
		let out = hasSecret && known ? text.replace(known, '[redacted]') : text;
		for (const pattern of SIGNATURE_PATTERNS) out = out.replace(pattern, '$1[redacted]');
		return out;
	};
}

/** A copy of a JSON value with every string (keys included) redacted; values without secrets are returned as they are. */
export function redactDeep<T>(value: T, redact: Redactor): T {
	if (typeof value === 'string') return redact(value) as T;
	if (Array.isArray(value)) {
		let changed = false;
		const out = value.map((v) => {
			const r = redactDeep(v, redact);
			if (r !== v) changed = true;
			return r;
		});
		return (changed ? out : value) as T;
	}
	if (value && typeof value === 'object') {
		let changed = false;
		const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
			const rk = redact(k);
			const rv = redactDeep(v, redact);
			if (rk !== k || rv !== v) changed = true;
			return [rk, rv] as const;
		});
		return (changed ? Object.fromEntries(entries) : value) as T;
	}
	return value;
}
