/**
 * The CCC error codes a user can act on, in families, by exact code or prefix: what to tell the user
 * (`hint`), and which credential problem the family points to when the credential test meets it.
 * The one table of error knowledge: the node's errors and the credential test both read it.
 */
export interface ErrorFamily {
	match: RegExp;
	hint: string;
	/** What the credential test calls it (only for families that mean the credential is wrong). */
	credentialProblem?: string;
}

export const ERROR_FAMILIES: readonly ErrorFamily[] = [
	{
		match: /^NotExists\.InstanceId$/,
		hint: 'No CCC instance has this Instance ID in the credential’s region. Copy the instance ID from the CCC console (e.g. "ccc-test") and check that the credential’s Region or Custom Endpoint is the instance’s region.',
	},
	{
		match: /^NotExists\.JobId$/,
		hint: 'No call with this Job ID exists in the instance. LaunchAuthentication works only while the call is live: check that the Job ID comes from the current call event and has not ended.',
	},
	{
		match: /^NotExists\.ChannelId$/,
		hint: 'The call has no channel for this agent. The User ID must be the agent who is on the call (the one whose workbench is Device ID).',
	},
	{
		match: /^MissingParameter|^Missing[A-Z]/,
		hint: 'A required request parameter was not sent. Check that every field of the node has a value for this item.',
	},
	{
		match: /^InvalidAccessKeyId\.NotFound$/,
		hint: 'The AccessKey ID does not exist. Check the credential’s AccessKey ID (it starts with "LTAI" for a RAM user, "STS." for a temporary key).',
		credentialProblem: 'Wrong AccessKey ID',
	},
	{
		match: /^InvalidAccessKeyId\.Inactive$/,
		hint: 'The AccessKey is disabled. Enable it in the RAM console or create a new one.',
		credentialProblem: 'Wrong AccessKey ID',
	},
	{
		match: /^InvalidAccessKeyId/,
		hint: 'The AccessKey ID is not accepted. Check the credential’s AccessKey ID.',
		credentialProblem: 'Wrong AccessKey ID',
	},
	{
		match: /^SignatureDoesNotMatch$|^IncompleteSignature$/,
		hint: 'The signature does not match: the AccessKey Secret is wrong for this AccessKey ID. Paste the secret again in the credential.',
		credentialProblem: 'Wrong AccessKey Secret',
	},
	{
		match: /^InvalidTimeStamp|^InvalidTimestamp/,
		hint: 'The request time is too far from Alibaba Cloud’s clock. Synchronize the clock of the machine that runs n8n (NTP).',
	},
	{
		match: /^SignatureNonceUsed$/,
		hint: 'The request nonce was reused (a replayed request). Run the node again.',
	},
	{
		match: /^InvalidSecurityToken|^SecurityTokenExpired|^MissingSecurityToken/,
		hint: 'The STS Security Token is expired, wrong, or does not belong to this AccessKey ID. Issue a new temporary credential or clear the Security Token field for a permanent key.',
		credentialProblem: 'Wrong or expired Security Token',
	},
	{
		match: /^Forbidden|^NoPermission|^NotAuthorized|^Unauthorized/,
		hint: 'The RAM user or role lacks permission. Grant it the CCC actions this node calls (for example "ccc:LaunchAuthentication", or the AliyunCCCFullAccess policy) on this instance.',
		credentialProblem: 'Missing RAM permission',
	},
	{
		match: /^Throttling/,
		hint: 'Alibaba Cloud is limiting the request rate. Lower "Max Requests per Second" or "Concurrency", or raise "Max Retries".',
	},
	{
		match: /^InvalidAction|^InvalidVersion/,
		hint: 'The endpoint does not offer this CCC action/version. Check that the credential points at a CCC endpoint.',
	},
	{
		match: /^(InternalError|ServiceUnavailable|UnknownError)/,
		hint: 'Alibaba Cloud had an internal error. The authentication may or may not have been launched; check the call before running again.',
	},
];

export function errorFamily(code: string | undefined): ErrorFamily | undefined {
	return code ? ERROR_FAMILIES.find((family) => family.match.test(code)) : undefined;
}

export function hintFor(code: string | undefined): string | undefined {
	return errorFamily(code)?.hint;
}
