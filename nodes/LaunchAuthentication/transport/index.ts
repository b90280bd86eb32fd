import type { CccCredential } from '../../../credentials/cccCredential';
import { signCccAction } from '../../../credentials/signing';
import { failureFromTransport, interpretAnswer, type CccResponse } from './answer';
import { sendHttp, TransportFailure, type SendThroughN8n, type TransportLimits } from './http';

/**
 * One CCC action: sign (credentials/signing.ts) → send through n8n's network layer (http.ts) → interpret
 * the answer (answer.ts). The bottom layer of the node: it imports nothing from helpers, actions or methods.
 */

export type { CccResponse } from './answer';
export type { SendThroughN8n, TransportLimits } from './http';
export { sendWithHttpRequest, sendWithLegacyRequest } from './http';

/** What a node needs to call CCC: the credential as read, n8n's way out, and the limits of every request. */
export interface CccClient {
	credential: CccCredential;
	/** n8n's request helper of the calling context (its proxy, SSRF and TLS settings apply). */
	send: SendThroughN8n;
	limits: TransportLimits;
	/** Aborted when the execution is cancelled: in-flight requests are cut off. */
	signal?: AbortSignal;
	/** Removes the credential's secrets from text, applied to a body excerpt before it is cut. */
	redact?: (text: string) => string;
}

/** Signs, sends and interprets one CCC action; resolves with a CCC success answer or throws a CccCallError. */
export async function cccRequest(
	client: CccClient,
	action: string,
	parameters: Record<string, string>,
): Promise<CccResponse> {
	const signed = await signCccAction(client.credential, { action, parameters });
	try {
		return interpretAnswer(
			await sendHttp(client.send, signed, client.limits, client.signal),
			client.redact,
		);
	} catch (error) {
		if (error instanceof TransportFailure)
			throw failureFromTransport(error, client.credential.endpoint, client.limits, action);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- CccCallError (an answer's meaning) passes up as it is; the operations turn it into a NodeApiError naming the item
		throw error;
	}
}
