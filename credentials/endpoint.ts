import { CredentialConfigError } from './credentialConfigError';
import { CCC_REGIONS } from './regions';

/** Where requests go: the scheme and the `host[:port]` the SDK puts in its URL and Host header. */
export interface CccEndpoint {
	protocol: 'http' | 'https';
	host: string;
}

const EXAMPLES =
	'a host name such as ccc.cn-shanghai.aliyuncs.com, or a URL with scheme and optional port such as https://ccc-vpc.cn-shanghai.aliyuncs.com or http://127.0.0.1:8787';

const HOST_NAME =
	/^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

function checkHost(hostname: string, port: string, original: string): void {
	if (!HOST_NAME.test(hostname) && !IPV6.test(hostname)) {
		throw new CredentialConfigError(
			`Custom Endpoint "${original}" has an invalid host name. Use ${EXAMPLES}.`,
		);
	}
	if (port !== '') {
		const n = Number(port);
		if (!/^\d+$/.test(port) || n < 1 || n > 65535) {
			throw new CredentialConfigError(
				`Custom Endpoint "${original}" has an invalid port "${port}" (1-65535). Use ${EXAMPLES}.`,
			);
		}
	}
}

/** Parses the credential's Custom Endpoint: a bare host[:port] (HTTPS), or an http(s) URL without path or query. */
export function parseCustomEndpoint(raw: string): CccEndpoint {
	const value = raw.trim();
	if (/[\s\u0000-\u001f\u007f]/.test(value)) {
		throw new CredentialConfigError(
			`Custom Endpoint contains spaces or control characters. Use ${EXAMPLES}.`,
		);
	}
	if (value.includes('://')) {
		if (!URL.canParse(value)) {
			throw new CredentialConfigError(
				`Custom Endpoint "${value}" is not a valid URL. Use ${EXAMPLES}.`,
			);
		}
		const url = new URL(value);
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new CredentialConfigError(
				`Custom Endpoint "${value}" must use http:// or https://. Use ${EXAMPLES}.`,
			);
		}
		if (url.username || url.password) {
			throw new CredentialConfigError(
				'Custom Endpoint must not contain a user name or password; put the AccessKey in the credential fields.',
			);
		}
		if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
			throw new CredentialConfigError(
				`Custom Endpoint "${value}" must not have a path, query or fragment. Use ${EXAMPLES}.`,
			);
		}
		checkHost(url.hostname, url.port, value);
		return { protocol: url.protocol === 'http:' ? 'http' : 'https', host: url.host };
	}
	const match = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?$/.exec(value);
	if (!match) {
		throw new CredentialConfigError(
			`Custom Endpoint "${value}" is not a host name. Use ${EXAMPLES}.`,
		);
	}
	checkHost(match[1], match[2] ?? '', value);
	return { protocol: 'https', host: value.toLowerCase() };
}

/** The endpoint a credential points at: its Custom Endpoint if set, otherwise its region's public endpoint. */
export function resolveEndpoint(credentials: {
	regionId?: unknown;
	endpoint?: unknown;
}): CccEndpoint {
	const custom = typeof credentials.endpoint === 'string' ? credentials.endpoint.trim() : '';
	if (custom !== '') return parseCustomEndpoint(custom);
	const regionId = typeof credentials.regionId === 'string' ? credentials.regionId.trim() : '';
	const region = CCC_REGIONS.find((r) => r.id === regionId);
	if (!region) {
		throw new CredentialConfigError(
			`Region "${regionId}" is not one where CCC 2020-07-01 is offered. Choose one of ${CCC_REGIONS.map((r) => r.id).join(', ')}, or set a Custom Endpoint (${EXAMPLES}).`,
		);
	}
	return { protocol: 'https', host: region.endpoint };
}

export function endpointUrl(endpoint: CccEndpoint): string {
	return `${endpoint.protocol}://${endpoint.host}`;
}
