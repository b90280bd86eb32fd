import { setMaxListeners } from 'node:events';
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../../credentials/AlibabaCloudCccApi.credentials';
import { credentialSecrets, readCccCredential } from '../../../credentials/cccCredential';
import { CccCallError } from '../helpers/cccCallError';
import { errorItemJson, toNodeError, type ItemError } from '../helpers/nodeErrors';
import { buildOutputItems, type OutputMode } from '../helpers/output';
import { readLaunchRequest, type LaunchRequest, type MappingMode } from '../helpers/parameters';
import { makeRedactor, redactDeep } from '../helpers/redact';
import type { CccResponse } from '../helpers/response';
import { CallScheduler } from '../helpers/scheduler';
import { cccRequest, type CccClient } from '../transport';
import { clampOption, limitedNumber, MAX_RESPONSE_BYTES, OPTION_LIMITS } from '../helpers/optionLimits';

const manual = { show: { mappingMode: ['defineBelow'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Mapping Mode',
		name: 'mappingMode',
		type: 'options',
		noDataExpression: true,
		default: 'defineBelow',
		options: [
			{
				name: 'Map Each Field Manually',
				value: 'defineBelow',
				description: 'Set each request parameter below, usually with expressions such as {{ $json.jobId }}',
			},
			{
				name: 'Map Automatically',
				value: 'autoMapInputData',
				description:
					'Read the input fields named InstanceId, ContactFlowId, JobId, UserId, DeviceId and optionally ContactFlowVariables (any letter case, camelCase or snake_case)',
			},
		],
	},
	{
		displayName: 'Instance ID',
		name: 'instanceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'ccc-test',
		description: 'ID of the CCC (call center) instance that handles the call, as shown in the CCC console',
		displayOptions: manual,
	},
	{
		displayName: 'Contact Flow ID',
		name: 'contactFlowId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'af145gfc-1108-4d55-8fca-f719bd512ebb',
		description: 'ID of the IVR contact flow that authenticates the caller (for example, asks for a PIN)',
		displayOptions: manual,
	},
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'job-65382141036853491',
		description: 'ID of the live call (job) whose caller is to be authenticated, usually taken from the call event that triggered the workflow',
		displayOptions: manual,
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		placeholder: 'user-test@ccc-test',
		description: 'Optional. ID of the agent on the call who starts the authentication; unique within the instance. Not sent when empty.',
		displayOptions: manual,
	},
	{
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		default: '',
		placeholder: 'ACC-YUNBS-1.0.10-b18bp53c1736c2914176a801ei90',
		description: 'Optional, and described by Alibaba as not meaningful for this action: ID of the agent’s workbench (device). Not sent when empty.',
		displayOptions: manual,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				...limitedNumber('concurrency'),
				description: `How many requests may be in flight at once (${OPTION_LIMITS.concurrency.min}-${OPTION_LIMITS.concurrency.max}). Output items keep the input order whatever the value.`,
			},
			{
				displayName: 'Connect Timeout (Ms)',
				name: 'connectTimeoutMs',
				type: 'number',
				...limitedNumber('connectTimeoutMs'),
				description: 'How long to wait for a connection to the endpoint. Nothing has been sent when this runs out, so it is retried.',
			},
			{
				displayName: 'Contact Flow Variables',
				name: 'contactFlowVariables',
				type: 'json',
				default: '',
				description:
					'Optional JSON object of variables passed into the IVR flow, e.g. {"orderId": "A-1001"}. With "Map Automatically", an input field named ContactFlowVariables takes precedence.',
			},
			{
				displayName: 'Max Requests per Second',
				name: 'maxRequestsPerSecond',
				type: 'number',
				...limitedNumber('maxRequestsPerSecond'),
				description:
					'Upper bound on requests started in any 1-second window, retries included, to stay under your CCC API quota. 0 means no limit.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				...limitedNumber('maxRetries'),
				description:
					'Extra attempts for failures that are safe to repeat: Throttling answers and failures to connect. Waits grow exponentially with jitter.',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'perChannel',
				options: [
					{
						name: 'One Item per Channel',
						value: 'perChannel',
						description: 'One item per ChannelContext, with UserContext, CallContext and RequestId on each',
					},
					{
						name: 'One Item per Call',
						value: 'perCall',
						description: 'One item per input item with the whole Data (channels as a list) and RequestId',
					},
				],
			},
			{
				displayName: 'Read Timeout (Ms)',
				name: 'readTimeoutMs',
				type: 'number',
				...limitedNumber('readTimeoutMs'),
				description:
					'How long to wait for the answer once the request is sent. When it runs out the authentication may already have started, so it is not retried unless Retry on Server Errors is on.',
			},
			{
				displayName: 'Retry Budget (S)',
				name: 'retryBudgetSeconds',
				type: 'number',
				...limitedNumber('retryBudgetSeconds'),
				description: 'No new attempt for an item starts once this many seconds have passed since its first attempt. 0 turns retries off.',
			},
			{
				displayName: 'Retry on Server Errors',
				name: 'retryOnServerErrors',
				type: 'boolean',
				default: false,
				description:
					'Whether to also retry 5xx answers, resets and read timeouts after the request was sent. Warning: the first attempt may already have started the IVR flow, so the caller may be asked to authenticate twice.',
			},
		],
	},
];

interface LaunchOptions {
	concurrency?: number;
	maxRequestsPerSecond?: number;
	maxRetries?: number;
	retryBudgetSeconds?: number;
	retryOnServerErrors?: boolean;
	connectTimeoutMs?: number;
	readTimeoutMs?: number;
	output?: OutputMode;
}

/** Checks that a CCC success answer holds the Data LaunchAuthentication documents: UserContext and CallContext objects. */
function requireLaunchData(response: CccResponse): void {
	const data = response.body.Data;
	const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
	const fail = (message: string) => {
		throw new CccCallError({ kind: 'bad-response', message, requestId: response.requestId, httpStatus: response.httpStatus, launchMayHaveHappened: true });
	};
	if (!isObject(data)) fail('CCC answered Code OK but without Data (no UserContext or CallContext). The authentication may have been launched; check the call.');
	const { UserContext, CallContext } = data as Record<string, unknown>;
	if (!isObject(UserContext) || !isObject(CallContext)) {
		const shape = (v: unknown) => (v === undefined ? 'missing' : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v);
		fail(
			`CCC answered Code OK but its Data has no usable UserContext and CallContext (UserContext: ${shape(UserContext)}, CallContext: ${shape(CallContext)}). The authentication may have been launched; check the call.`,
		);
	}
}

/** How many launched JobIds an error lists before it only counts them. */
const LISTED_JOB_IDS = 20;

function jobList(jobIds: string[]): string {
	const shown = jobIds.slice(0, LISTED_JOB_IDS).join(', ');
	return jobIds.length > LISTED_JOB_IDS ? `${shown} and ${jobIds.length - LISTED_JOB_IDS} more` : shown;
}

/**
 * Without Continue On Fail the node's output is dropped when it fails, so the error itself says which
 * items had already launched (and which may have): running the workflow again would launch them twice.
 */
function withLaunchedSummary(error: ItemError, launched: string[], unsure: string[]): ItemError {
	if (launched.length === 0 && unsure.length === 0) return error;
	const parts = [
		launched.length > 0 ? `Already launched before this failure: ${launched.length} item(s), JobId ${jobList(launched)}.` : undefined,
		unsure.length > 0 ? `May have been launched (no clear answer): ${unsure.length} item(s), JobId ${jobList(unsure)}.` : undefined,
		'Running the workflow again would ask these callers again: remove them from the input first, or turn on Continue On Fail to get an output item for every input item.',
	].filter(Boolean);
	error.description = [error.description, ...parts].filter(Boolean).join(' ');
	error.context.launchedJobIds = launched;
	error.context.maybeLaunchedJobIds = unsure;
	return error;
}

/**
 * LaunchAuthentication for every input item: parameters are checked first, then the requests run with the
 * configured concurrency, rate limit and retries, until done or until the execution is cancelled. Output
 * items keep input order and link to their item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const options = this.getNodeParameter('options', 0, {}) as LaunchOptions;
	const mappingMode = this.getNodeParameter('mappingMode', 0, 'defineBelow') as MappingMode;
	const outputMode: OutputMode = options.output === 'perCall' ? 'perCall' : 'perChannel';

	const credentialData = await this.getCredentials(CCC_CREDENTIAL_TYPE);
	const redact = makeRedactor(credentialSecrets(credentialData));

	const results: Array<INodeExecutionData[] | ItemError | undefined> = new Array(items.length);
	const requests: Array<LaunchRequest | undefined> = new Array(items.length);

	// 1. Every item's parameters, before any request: a bad item never half-runs a batch.
	for (let i = 0; i < items.length; i++) {
		try {
			requests[i] = readLaunchRequest(this, i, mappingMode);
		} catch (error) {
			results[i] = toNodeError(node, error, i, redact);
			if (!continueOnFail) throw results[i];
		}
	}

	// 2. The credential's endpoint and keys.
	let credential;
	try {
		credential = readCccCredential(credentialData);
	} catch (error) {
		const configError = new NodeOperationError(node, redact((error as Error).message), {
			description: 'Fix the "Alibaba Cloud CCC API" credential used by this node.',
		});
		if (!continueOnFail) throw configError;
		return [items.map((_, i) => errorOutput(node, results[i] instanceof Error ? (results[i] as ItemError) : configError, i))];
	}

	// 3. The requests, until done or cancelled (Stop in the editor, or the execution timing out).
	const cancellation = new AbortController();
	setMaxListeners(0, cancellation.signal); // every in-flight request listens to it
	if (this.getExecutionCancelSignal()?.aborted) cancellation.abort();
	this.onExecutionCancellation(() => cancellation.abort());
	const launched: string[] = [];
	const unsure: string[] = [];
	if (requests.some((r) => r !== undefined)) {
		const client: CccClient = {
			credential,
			limits: {
				connectTimeoutMs: clampOption('connectTimeoutMs', options.connectTimeoutMs),
				readTimeoutMs: clampOption('readTimeoutMs', options.readTimeoutMs),
				maxBytes: MAX_RESPONSE_BYTES,
			},
			signal: cancellation.signal,
		};
		const scheduler = await CallScheduler.create({
			concurrency: clampOption('concurrency', options.concurrency),
			maxRequestsPerSecond: clampOption('maxRequestsPerSecond', options.maxRequestsPerSecond),
			maxRetries: clampOption('maxRetries', options.maxRetries),
			retryBudgetMs: clampOption('retryBudgetSeconds', options.retryBudgetSeconds) * 1000,
			retryOnServerErrors: options.retryOnServerErrors === true,
			stopAfterFailure: !continueOnFail,
			signal: cancellation.signal,
		});
		await scheduler.forEachItem(requests.length, async (i) => {
			const request = requests[i];
			if (!request) return;
			try {
				const response = await scheduler.run(
					async () => {
						const answer = await cccRequest(client, 'LaunchAuthentication', request);
						requireLaunchData(answer);
						return answer;
					},
					({ attempt, error, retriesLeft }) =>
						this.logger.debug(redact(`LaunchAuthentication item ${i}: attempt ${attempt} failed (${error.message}); ${retriesLeft} retries left`)),
				);
				launched.push(request.JobId);
				results[i] = buildOutputItems(response.body, response.requestId, i, outputMode).map((item) => ({ ...item, json: redactDeep(item.json, redact) }));
			} catch (error) {
				if (error instanceof CccCallError && error.details.launchMayHaveHappened) unsure.push(request.JobId);
				results[i] = toNodeError(node, error, i, redact);
			}
		});
	}

	// 4. Output in input order; without Continue On Fail, the first real failure with what was already launched.
	// n8n reports an execution as canceled (not failed) when the node's error says "canceled".
	if (cancellation.signal.aborted) {
		const notSent = results.filter((r) => r instanceof Error && r.context.cancelled === true && r.context.launchMayHaveHappened !== true).length;
		throw withLaunchedSummary(
			new NodeOperationError(node, `The execution was canceled: ${launched.length} item(s) launched, ${unsure.length} may have been launched, ${notSent} not sent.`),
			launched,
			unsure,
		);
	}
	if (!continueOnFail) {
		const failures = results.filter((r): r is ItemError => r instanceof Error);
		const firstReal = failures.find((e) => e.context.cancelled !== true) ?? failures[0];
		if (firstReal) throw withLaunchedSummary(firstReal, launched, unsure);
	}
	const output: INodeExecutionData[] = [];
	results.forEach((result, i) => {
		if (Array.isArray(result)) output.push(...result);
		else if (result) output.push(errorOutput(node, result, i));
	});
	return [output];
}

/**
 * The item a failed input becomes with Continue On Fail: `{ error, code, requestId }`, linked to it.
 * With "On Error: Continue (using error output)" it also carries the error itself, which is how n8n
 * recognizes it for the error output (n8n then shows it as `{ error }` with the full error attached).
 */
function errorOutput(node: INode, error: ItemError, itemIndex: number): INodeExecutionData {
	const item: INodeExecutionData = { json: errorItemJson(error), pairedItem: { item: itemIndex } };
	if (node.onError === 'continueErrorOutput') item.error = error;
	return item;
}
