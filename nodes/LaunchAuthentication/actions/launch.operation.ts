import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { createCalls, readEveryItem, resultSettings, startExecution, usableCredential, type RequestOptions, type ResultOptions } from '../helpers/callSetup';
import { CccCallError } from '../transport/cccCallError';
import { toNodeError, type ItemError } from '../helpers/nodeErrors';
import { buildOutputItems, itemsInInputOrder, type ItemResults, type OutputMode } from '../helpers/output';
import { launchRequestReader, type MappingMode } from '../helpers/parameters';
import { redactDeep } from '../helpers/redact';
import type { CccResponse } from '../transport/answer';
import { waitForResult, type ResultFields } from '../helpers/tracePolling';
import { cccRequest } from '../transport';
import {
	byName,
	contactFlowV1,
	contactFlowV2,
	deviceId,
	instanceV1,
	instanceV2,
	jobId,
	requestOptions,
	resultOptions,
	shownWhen,
	userV1,
	userV2,
	V1,
	V2,
	waitOptions,
} from './common.descriptions';

/** Options of the Launch operation only. */
const launchOnlyOptions: INodeProperties[] = [
	{
		displayName: 'Contact Flow Variables',
		name: 'contactFlowVariables',
		type: 'json',
		default: '',
		description:
			'Optional JSON object of variables passed into the IVR flow, e.g. {"orderId": "A-1001"}. With "Map Automatically", an input field named ContactFlowVariables takes precedence.',
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
		displayName: 'Retry on Server Errors',
		name: 'retryOnServerErrors',
		type: 'boolean',
		default: false,
		description:
			'Whether to also retry 5xx answers, resets and read timeouts after the request was sent. Warning: the first attempt may already have started the IVR flow, so the caller may be asked to authenticate twice.',
	},
	{
		displayName: 'Wait for Result',
		name: 'waitForResult',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the caller has gone through the authentication flow and add its outcome (Authentication.Status: Passed, Failed, Hangup, Timeout or Unknown). Reads the call’s IVR trace; never launches again.',
	},
];

const LAUNCH = { operation: ['launch'] };
const MANUAL = { ...LAUNCH, mappingMode: ['defineBelow'] };

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
					'Read the input fields named InstanceId, ContactFlowId, JobId and optionally UserId, DeviceId and ContactFlowVariables (any letter case, camelCase or snake_case)',
			},
		],
		displayOptions: { show: LAUNCH },
	},
	shownWhen(instanceV1, { ...MANUAL, ...V1 }),
	shownWhen(instanceV2, { ...MANUAL, ...V2 }),
	shownWhen(contactFlowV1, { ...MANUAL, ...V1 }),
	shownWhen(contactFlowV2, { ...MANUAL, ...V2 }),
	shownWhen(jobId, MANUAL),
	shownWhen(userV1, { ...MANUAL, ...V1 }),
	shownWhen(userV2, { ...MANUAL, ...V2 }),
	shownWhen(deviceId, MANUAL),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: LAUNCH },
		options: byName([...requestOptions, ...resultOptions, ...waitOptions, ...launchOnlyOptions]),
	},
];


interface LaunchOptions extends RequestOptions, ResultOptions {
	output?: OutputMode;
	waitForResult?: boolean;
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

/** The outcome of the authentication, added to every item the launch gave. */
function withResult(items: INodeExecutionData[], result: ResultFields): INodeExecutionData[] {
	return items.map((item, i) => ({ ...item, json: { ...item.json, ...(i === 0 ? result : structuredClone(result)) } as IDataObject }));
}

/**
 * LaunchAuthentication for every input item: parameters are checked first, then the requests run with the
 * configured concurrency, rate limit and retries, until done or until the execution is cancelled. With Wait
 * for Result, each launched item then polls its call's IVR trace without holding a Concurrency slot. Output
 * items keep input order and link to their item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const execution = await startExecution(this);
	const { node, continueOnFail, redact, cancellation } = execution;
	const options = this.getNodeParameter('options', 0, {}) as LaunchOptions;
	const mappingMode = this.getNodeParameter('mappingMode', 0, 'defineBelow') as MappingMode;
	const outputMode: OutputMode = options.output === 'perCall' ? 'perCall' : 'perChannel';
	const settings = options.waitForResult === true ? resultSettings(options) : undefined;

	const results: ItemResults = new Array(items.length);

	// 1. Every item's parameters, before any request: a bad item never half-runs a batch.
	const requests = readEveryItem(execution, items.length, results, launchRequestReader(this, mappingMode));

	// 2. The credential's endpoint and keys.
	const credential = usableCredential(execution, results);
	if (Array.isArray(credential)) return credential;

	// 3. The launches, until done or cancelled; with Wait for Result, each launched item's wait runs beside them.
	// JobIds by input index, for the summary a failed or canceled run gives.
	const launchedJobs: string[] = [];
	const unsureJobs: string[] = [];
	const waits: Array<Promise<void>> = [];
	if (requests.some((r) => r !== undefined)) {
		const { client, scheduler } = await createCalls(execution, credential, options, !continueOnFail);
		await scheduler.forEachItem(requests.length, async (i) => {
			const request = requests[i];
			if (!request) return;
			let sentAt = 0;
			try {
				const response = await scheduler.run(
					async () => {
						sentAt = Date.now();
						const answer = await cccRequest(client, 'LaunchAuthentication', request);
						requireLaunchData(answer);
						return answer;
					},
					({ attempt, error, retriesLeft }) =>
						this.logger.debug(redact(`LaunchAuthentication item ${i}: attempt ${attempt} failed (${error.message}); ${retriesLeft} retries left`)),
				);
				launchedJobs[i] = request.JobId;
				const launchItems = buildOutputItems(response.body, response.requestId, i, outputMode).map((item) => ({ ...item, json: redactDeep(item.json, redact) }));
				results[i] = launchItems;
				if (settings) {
					const target = { instanceId: request.InstanceId, jobId: request.JobId, contactFlowId: request.ContactFlowId, launchedAt: sentAt };
					// Not awaited here: the item's Concurrency slot is free for the next launch while it waits.
					waits.push(
						waitForResult(client, scheduler, target, settings).then(
							(result) => void (results[i] = withResult(launchItems, redactDeep(result, redact))),
							() => undefined, // cancelled: the execution reports it below
						),
					);
				}
			} catch (error) {
				if (error instanceof CccCallError && error.details.launchMayHaveHappened) unsureJobs[i] = request.JobId;
				results[i] = toNodeError(node, error, i, redact);
			}
		});
		await Promise.all(waits);
	}

	// 4. Output in input order; without Continue On Fail, the first real failure with what was already launched.
	const launched = launchedJobs.filter((job) => job !== undefined);
	const unsure = unsureJobs.filter((job) => job !== undefined);
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
	return [itemsInInputOrder(node, results)];
}
