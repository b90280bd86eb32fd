import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	createCccCalls,
	prepareRun,
	readEveryItem,
	resultSettings,
	startOperationRun,
	type RequestOptions,
	type ResultOptions,
} from '../helpers/operationRun';
import { LaunchLedger } from '../helpers/launchLedger';
import { CccCallError } from '../transport/cccCallError';
import { toNodeError } from '../helpers/nodeErrors';
import { buildOutputItems, type OutputMode } from '../helpers/output';
import { launchRequestReader, type MappingMode } from '../helpers/parameters';
import { redactDeep } from '../helpers/redact';
import type { CccResponse } from '../transport/answer';
import { CLOCK_ALLOWANCE_MS } from '../helpers/ivrResult';
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
				description:
					'One item per ChannelContext, with UserContext, CallContext and RequestId on each',
			},
			{
				name: 'One Item per Call',
				value: 'perCall',
				description:
					'One item per input item with the whole Data (channels as a list) and RequestId',
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

const MANUAL_MAPPING = { mappingMode: ['defineBelow'] };

const properties: INodeProperties[] = [
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
				description:
					'Set each request parameter below, usually with expressions such as {{ $json.jobId }}',
			},
			{
				name: 'Map Automatically',
				value: 'autoMapInputData',
				description:
					'Read the input fields named InstanceId, ContactFlowId, JobId and optionally UserId, DeviceId and ContactFlowVariables (any letter case, camelCase or snake_case)',
			},
		],
	},
	shownWhen(instanceV1, { ...MANUAL_MAPPING, ...V1 }),
	shownWhen(instanceV2, { ...MANUAL_MAPPING, ...V2 }),
	shownWhen(contactFlowV1, { ...MANUAL_MAPPING, ...V1 }),
	shownWhen(contactFlowV2, { ...MANUAL_MAPPING, ...V2 }),
	shownWhen(jobId, MANUAL_MAPPING),
	shownWhen(userV1, { ...MANUAL_MAPPING, ...V1 }),
	shownWhen(userV2, { ...MANUAL_MAPPING, ...V2 }),
	shownWhen(deviceId, MANUAL_MAPPING),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: byName([...requestOptions, ...resultOptions, ...waitOptions, ...launchOnlyOptions]),
	},
];

const displayOptions = { show: { operation: ['launch'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface LaunchOptions extends RequestOptions, ResultOptions {
	output?: OutputMode;
	waitForResult?: boolean;
}

/** Checks that a CCC success answer holds the Data LaunchAuthentication documents: UserContext and CallContext objects. */
function requireLaunchData(response: CccResponse): void {
	const data = response.body.Data;
	const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
	const fail = (message: string) => {
		throw new CccCallError({
			kind: 'bad-response',
			message,
			requestId: response.requestId,
			httpStatus: response.httpStatus,
			launchMayHaveHappened: true,
		});
	};
	if (!isObject(data))
		fail(
			'CCC answered Code OK but without Data (no UserContext or CallContext). The authentication may have been launched; check the call.',
		);
	const { UserContext, CallContext } = data as Record<string, unknown>;
	if (!isObject(UserContext) || !isObject(CallContext)) {
		const shape = (v: unknown) =>
			v === undefined ? 'missing' : Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v;
		fail(
			`CCC answered Code OK but its Data has no usable UserContext and CallContext (UserContext: ${shape(UserContext)}, CallContext: ${shape(CallContext)}). The authentication may have been launched; check the call.`,
		);
	}
}

/**
 * The earliest moment, by CCC's own clock, at which CCC can have received the launch: the second of its
 * answer (Date header) less the round trip measured on n8n's clock. Not used when the answer had no Date,
 * or one further from n8n's clock than the clock allowance (a proxy that rewrote it, say).
 */
function earliestLaunchAtServer(
	serverTime: number | undefined,
	sentAt: number,
	answeredAt: number,
): number | undefined {
	if (serverTime === undefined || Math.abs(serverTime - answeredAt) > CLOCK_ALLOWANCE_MS)
		return undefined;
	return serverTime - (answeredAt - sentAt);
}

/** The outcome of the authentication, added to every item the launch gave. */
function withResult(items: INodeExecutionData[], result: ResultFields): INodeExecutionData[] {
	return items.map((item, i) => ({
		...item,
		json: { ...item.json, ...(i === 0 ? result : structuredClone(result)) } as IDataObject,
	}));
}

/**
 * LaunchAuthentication for every input item: parameters are checked first, then the requests run with the
 * configured concurrency, rate limit and retries, until done or until the execution is cancelled. With Wait
 * for Result, each launched item then polls its call's IVR trace without holding a Concurrency slot. Output
 * items keep input order and link to their item.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const run = await startOperationRun(this);
	const { node, continueOnFail, redact, cancellation } = run;
	const options = this.getNodeParameter('options', 0, {}) as LaunchOptions;
	const mappingMode = this.getNodeParameter('mappingMode', 0, 'defineBelow') as MappingMode;
	const outputMode: OutputMode = options.output === 'perCall' ? 'perCall' : 'perChannel';

	// 1. Every item's parameters, before any request: a bad item never half-runs a batch.
	const { values: requests, results } = readEveryItem(
		run,
		items.length,
		launchRequestReader(this, mappingMode),
	);

	// 2. What the whole run needs: the credential's endpoint and keys, the options read once.
	const sending = requests.some((r) => r !== undefined);
	const setup = await prepareRun(run, results, async (credential) => ({
		settings: options.waitForResult === true ? resultSettings(node, options) : undefined,
		calls: sending ? await createCccCalls(run, credential, options, !continueOnFail) : undefined,
	}));
	if ('output' in setup) return setup.output;
	const { settings, calls } = setup.prepared;

	// 3. The launches, until done or cancelled; with Wait for Result, each launched item's wait runs beside them.
	const ledger = new LaunchLedger(results);
	if (calls) {
		const { client, scheduler } = calls;
		await scheduler.forEachItem(requests.length, async (i) => {
			const request = requests[i];
			if (!request) return;
			let sentAt = 0;
			let answered = false;
			try {
				const response = await scheduler.run(
					async () => {
						sentAt = Date.now();
						const answer = await cccRequest(client, 'LaunchAuthentication', request);
						requireLaunchData(answer);
						return answer;
					},
					({ attempt, error, retriesLeft }) =>
						this.logger.debug(
							redact(
								`LaunchAuthentication item ${i}: attempt ${attempt} failed (${error.message}); ${retriesLeft} retries left`,
							),
						),
				);
				answered = true;
				const answeredAt = Date.now();
				const launchItems = buildOutputItems(response.body, response.requestId, i, outputMode).map(
					(item) => ({ ...item, json: redactDeep(item.json, redact) }),
				);
				ledger.launched(i, request.JobId, launchItems);
				if (settings) {
					const target = {
						instanceId: request.InstanceId,
						jobId: request.JobId,
						contactFlowId: request.ContactFlowId,
						launchedAt: sentAt,
						earliestLaunchAtServer: earliestLaunchAtServer(response.serverTime, sentAt, answeredAt),
					};
					// Not awaited here: the item's Concurrency slot is free for the next launch while it waits.
					ledger.waiting(
						i,
						waitForResult(client, scheduler, target, settings).then((result) =>
							withResult(launchItems, redactDeep(result, redact)),
						),
					);
				}
			} catch (error) {
				const mayHaveLaunched =
					answered || (error instanceof CccCallError && error.details.launchMayHaveHappened);
				ledger.failed(i, request.JobId, toNodeError(node, error, i, redact), mayHaveLaunched);
			}
		});
		await ledger.waitsEnded();
	}

	// 4. Output in input order; without Continue On Fail, the first real failure with what was already launched.
	if (cancellation.signal.aborted) throw ledger.canceled(node);
	if (!continueOnFail) {
		const failure = ledger.firstFailure();
		if (failure) throw failure;
	}
	return [ledger.output(node)];
}
