import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type JsonObject,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../../credentials/AlibabaCloudCccApi.credentials';
import { credentialSecrets, readCccCredential } from '../../../credentials/cccCredential';
import { CccCallError } from '../transport/cccCallError';
import { hintFor } from '../helpers/errorCodes';
import { MAX_RESPONSE_BYTES } from '../helpers/optionLimits';
import { makeRedactor, redactDeep } from '../helpers/redact';
import { pageOfList } from '../transport/answer';
import { cccRequest, sendWithHttpRequest } from '../transport';

/**
 * The lists behind the Instance, Contact Flow and Agent pickers (resource locators, "From List"). Each reads
 * one page of a CCC list action per call (the editor asks for the next page with `paginationToken` when
 * the user scrolls), signed and sent like every other request of the node. Actions (CCC 2020-07-01):
 * - ListInstances (PageNumber, PageSize 1-100): https://help.aliyun.com/en/ccs/developer-reference/api-ccc-2020-07-01-listinstances
 * - ListContactFlows (InstanceId, PageNumber, PageSize, SearchPattern on names and descriptions):
 *   https://help.aliyun.com/zh/ccs/cccai/developer-reference/api-ccc-2020-07-01-listcontactflows
 * - ListUsers (InstanceId, PageNumber, PageSize, SearchPattern on login and display names):
 *   https://help.aliyun.com/document_detail/439590.html
 */
const PAGE_SIZE = 100;
/** CCC list actions take PageNumber 1-100. */
const MAX_PAGE = 100;
const LIMITS = { connectTimeoutMs: 5000, readTimeoutMs: 10000, maxBytes: MAX_RESPONSE_BYTES };

interface Page {
	rows: Array<Record<string, unknown>>;
	nextPage?: string;
}

/** A field of a list row as the dropdown shows it: missing or null is empty text. */
function shownText(value: unknown): string {
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: String(value);
}

/** The page the editor asks for: a whole number from 1 to 100, anything else is the first page. */
function pageNumber(paginationToken: string | undefined): number {
	const page = Number(paginationToken);
	return Number.isSafeInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1;
}

/** A link the editor may open: only https: (a console URL), never javascript:, data: or the like. */
function consoleLink(value: unknown): string | undefined {
	const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
	return url?.protocol === 'https:' ? url.href : undefined;
}

/** One page of a list action; a failure becomes an error the dropdown shows with its hint. */
async function listPage(
	ctx: ILoadOptionsFunctions,
	action: string,
	parameters: Record<string, string>,
	paginationToken?: string,
): Promise<Page> {
	const data = await ctx.getCredentials(CCC_CREDENTIAL_TYPE);
	const redact = makeRedactor(credentialSecrets(data));
	const page = pageNumber(paginationToken);
	try {
		const client = {
			credential: readCccCredential(data),
			send: sendWithHttpRequest(ctx.helpers),
			limits: LIMITS,
			redact,
		};
		const answer = await cccRequest(client, action, {
			...parameters,
			PageNumber: String(page),
			PageSize: String(PAGE_SIZE),
		});
		const { rows, more } = pageOfList(answer, page, PAGE_SIZE);
		// Names and IDs come from the endpoint: an answer echoing a secret must not put it in the dropdown.
		return {
			rows: redactDeep(rows, redact),
			nextPage: more && page < MAX_PAGE ? String(page + 1) : undefined,
		};
	} catch (error) {
		if (error instanceof CccCallError) {
			const d = error.details;
			const message = redact(`${action} failed: ${d.code ? `${d.code}: ` : ''}${d.message}`);
			const listError = new NodeApiError(
				ctx.getNode(),
				{ Code: redact(d.code ?? d.kind), Message: message } as JsonObject,
				{
					message,
					description: redact(hintFor(d.code) ?? 'Check the credential and the network.'),
					httpCode: d.httpStatus ? String(d.httpStatus) : undefined,
				},
			);
			// n8n swaps a message that mentions ECONNRESET, ETIMEDOUT... for a generic text; ours says what happened.
			listError.message = message;
			throw listError;
		}
		throw new NodeOperationError(ctx.getNode(), redact((error as Error).message), {
			description: 'Fix the "Alibaba Cloud CCC API" credential used by this node.',
		});
	}
}

/** The instance chosen above, needed by the flow and agent lists. */
function chosenInstance(ctx: ILoadOptionsFunctions): string {
	const instanceId = shownText(
		ctx.getNodeParameter('instanceId', undefined, { extractValue: true }),
	).trim();
	if (instanceId === '')
		throw new NodeOperationError(
			ctx.getNode(),
			'Choose the Instance first: the list depends on it.',
		);
	return instanceId;
}

/** The typed text as the list action's SearchPattern, when there is one. */
function searchPattern(filter: string | undefined): Record<string, string> {
	return filter?.trim() ? { SearchPattern: filter.trim() } : {};
}

function matches(filter: string | undefined, ...values: unknown[]): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return wanted === '' || values.some((v) => shownText(v).toLowerCase().includes(wanted));
}

type Row = Page['rows'][number];

/**
 * One picker's list search (n8n calls it with the editor's context as `this`): which list action it reads,
 * with which parameters, and how a page's rows become the entries shown.
 */
function pickerList(
	action: string,
	parameters: (ctx: ILoadOptionsFunctions, filter: string | undefined) => Record<string, string>,
	entries: (rows: Row[], filter: string | undefined) => INodeListSearchItems[],
) {
	return async function (
		this: ILoadOptionsFunctions,
		filter?: string,
		paginationToken?: string,
	): Promise<INodeListSearchResult> {
		const { rows, nextPage } = await listPage(
			this,
			action,
			parameters(this, filter),
			paginationToken,
		);
		return { results: entries(rows, filter), paginationToken: nextPage };
	};
}

/** The flow and agent lists: within the chosen instance, the typed text as their SearchPattern. */
const withinChosenInstance = (ctx: ILoadOptionsFunctions, filter: string | undefined) => ({
	InstanceId: chosenInstance(ctx),
	...searchPattern(filter),
});

/** ListInstances has no search parameter: the typed text filters each page. */
export const searchInstances = pickerList(
	'ListInstances',
	() => ({}),
	(rows, filter) =>
		rows
			.filter((r) => matches(filter, r.Name, r.Id, r.DomainName))
			.map((r) => ({
				name: `${shownText(r.Name) || shownText(r.Id)} (${shownText(r.Id)})`,
				value: shownText(r.Id),
				url: consoleLink(r.ConsoleUrl),
			})),
);

/** Flows whose name or description speaks of authentication come first: CCC has no flow type for them. */
const AUTHENTICATION_WORDS = /auth|verif|identity|pin\b|kyc|核身|验证|认证|身份/i;

const isAuthenticationFlow = (r: Row) =>
	AUTHENTICATION_WORDS.test(`${shownText(r.Name)} ${shownText(r.Description)}`);

export const searchContactFlows = pickerList('ListContactFlows', withinChosenInstance, (rows) =>
	[...rows]
		.sort((a, b) => Number(isAuthenticationFlow(b)) - Number(isAuthenticationFlow(a)))
		.map((r) => ({
			name: `${shownText(r.Name) || shownText(r.ContactFlowId)} · ${shownText(r.Type) || 'flow'}${r.Published === false ? ' (not published)' : ''}`,
			value: shownText(r.ContactFlowId),
		})),
);

export const searchUsers = pickerList('ListUsers', withinChosenInstance, (rows) =>
	rows.map((r) => ({
		name: `${shownText(r.DisplayName) || shownText(r.LoginName) || shownText(r.UserId)} (${shownText(r.LoginName) || shownText(r.UserId)}${r.Extension ? `, ext. ${shownText(r.Extension)}` : ''})`,
		value: shownText(r.UserId),
	})),
);
