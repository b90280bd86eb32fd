/**
 * What the fault tests share: a signed LaunchAuthentication of the documented job, and the error a
 * client request failed with.
 */
import { callSigned } from '../../../emulator/client';
import { DOC_PARAMS } from '../../../tools/fixtures';
import type { Emulator } from '../../helpers/emulator';

/** The documented LaunchAuthentication, V3-signed, with `opts` over the defaults. */
export const launchDocumented = (emu: Emulator, opts: Parameters<typeof callSigned>[1] = {}) =>
	callSigned(emu.endpoint, { params: DOC_PARAMS, ...opts });

/** The code and message of the error `p` rejects with (fails the test if it resolves). */
export async function clientError(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
	try {
		await p;
	} catch (e: any) {
		return { code: e.code, message: String(e.message) };
	}
	throw new Error('expected the request to fail');
}

/** How a reset connection shows in Node's HTTP client. */
export const RESET = /ECONNRESET|socket hang up/;
