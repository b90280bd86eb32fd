/**
 * A credential that cannot work as filled in (no AccessKey, an invalid Custom Endpoint, an unknown region).
 * The message names the field and says what a valid value looks like; nothing has been sent.
 */
export class CredentialConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CredentialConfigError';
	}
}
