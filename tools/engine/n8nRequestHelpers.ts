import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * n8n's own request helpers, as n8n-core hands them to a node (`helpers.httpRequest`) and to a credential
 * test (`helpers.request`): both go through @n8n/backend-network's OutboundHttp, with its proxy agents and
 * SSRF protection. For tests that call the pickers or the credential test outside a workflow run.
 */
export function n8nRequestHelpers() {
	const requests = () => Container.get(OutboundHttp).requests();
	return {
		httpRequest: async (options: IHttpRequestOptions) => await requests().request(options),
		request: async (options: object) => await requests().requestLegacy(options as never),
	};
}
