/**
 * Removes secrets from any text that may leave the node (a log line, an error, an output item): the
 * AccessKey secret and the STS token in every form an endpoint or a proxy could echo them in, and anything
 * shaped like a request signature.
 *
 * Forms: raw; percent-encoded once and twice (Alibaba's "server string to sign" in SignatureDoesNotMatch
 * holds the query percent-encoded twice), with encodeURIComponent's and Alibaba's (RFC 3986) alphabet;
 * base64 and base64url, also where the secret sits at any offset inside a longer base64 text.
 */
const SIGNATURE_PATTERNS: RegExp[] = [
	/(Signature=)[^,&\s"']+/gi,
	/(ACS3-HMAC-SHA256\s+)[^\s"']+(?:\s*,\s*[^\s"']+)*/gi,
	/("?(?:Authorization|x-acs-security-token|SecurityToken)"?\s*[:=]\s*"?)[^"&\s,]+/gi,
];

/** Encoded forms shorter than this are not searched for: they would match ordinary text. */
const MIN_FORM_LENGTH = 6;

function percentEncodeRfc3986(text: string): string {
	return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

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

/** Every form of one secret the redactor looks for. */
export function secretForms(secret: string): string[] {
	const once = [encodeURIComponent(secret), percentEncodeRfc3986(secret)];
	const twice = once.flatMap((e) => [encodeURIComponent(e), percentEncodeRfc3986(e)]);
	const base64 = [Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url'), ...base64Cores(secret)];
	const derived = [...once, ...twice, ...once.map((e) => e.toLowerCase()), ...base64].filter((f) => f.length >= MIN_FORM_LENGTH);
	return [...new Set([secret, ...derived])];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Redactor = (text: string) => string;

export function makeRedactor(secrets: Array<string | undefined>): Redactor {
	const forms = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).flatMap(secretForms);
	// Longest first, so that a form containing another is replaced whole.
	const alternatives = [...new Set(forms)].sort((a, b) => b.length - a.length).map(escapeRegExp);
	const known = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
	// One test decides whether a text needs any work: most texts (output data) hold nothing to redact.
	const suspect = new RegExp([...alternatives, 'Signature=', 'ACS3-HMAC-SHA256', 'Authorization', 'security-?token'].join('|'), 'i');
	return (text: string) => {
		if (!suspect.test(text)) return text;
		let out = known ? text.replace(known, '[redacted]') : text;
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
