/**
 * Removes secrets from any text that may reach a log, an error or an output item: the AccessKey secret,
 * the STS token, and anything shaped like a request signature.
 */
const SIGNATURE_PATTERNS: RegExp[] = [
	/(Signature=)[^,&\s"']+/gi,
	/(ACS3-HMAC-SHA256\s+)[^\s"']+(?:\s*,\s*[^\s"']+)*/gi,
	/("?(?:Authorization|x-acs-security-token|SecurityToken)"?\s*[:=]\s*"?)[^"&\s,]+/gi,
];

export function makeRedactor(secrets: Array<string | undefined>): (text: string) => string {
	const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
	return (text: string) => {
		let out = text;
		for (const secret of known) out = out.split(secret).join('[redacted]');
		for (const pattern of SIGNATURE_PATTERNS) out = out.replace(pattern, '$1[redacted]');
		return out;
	};
}
