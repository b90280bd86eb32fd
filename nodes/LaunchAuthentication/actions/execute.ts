import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../../credentials/AlibabaCloudCccApi.credentials';
import { clientConfigFrom, redactorFor } from '../helpers/credentials';
import { errorItemJson, toNodeError } from '../helpers/errors';
import { buildOutputItems, type OutputMode } from '../helpers/output';
import { readLaunchRequest, type LaunchRequest, type MappingMode } from '../helpers/parameters';
import { CallScheduler } from '../transport/callScheduler';
import { CccClient } from '../transport/cccClient';
import { CccCallError } from '../transport/errors';
import { DEFAULTS } from './properties';

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

type ItemError = NodeApiError | NodeOperationError;

function clamp(value: unknown, min: number, max: number, fallback: number): number {
	const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : fallback;
	return Math.min(max, Math.max(min, n));
}

/** Checks that a CCC success answer holds the Data LaunchAuthentication documents. */
function requireData(body: Record<string, unknown>, requestId: string, httpStatus: number): void {
	const data = body.Data;
	if (!data || typeof data !== 'object' || Array.isArray(data)) {
		throw new CccCallError({
			kind: 'bad-response',
			message: 'CCC answered Code OK but without Data (no UserContext or CallContext). The authentication may have been launched; check the call.',
			requestId,
			httpStatus,
			launchMayHaveHappened: true,
		});
	}
}

/**
 * LaunchAuthentication for every input item: parameters are checked first, then the requests run with
 * the configured concurrency, rate limit and retries. Output items keep input order and link to their item.
 */
export async function launchAuthentication(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const options = this.getNodeParameter('options', 0, {}) as LaunchOptions;
	const mappingMode = this.getNodeParameter('mappingMode', 0, 'defineBelow') as MappingMode;
	const outputMode: OutputMode = options.output === 'perCall' ? 'perCall' : 'perChannel';

	const credentials = await this.getCredentials(CCC_CREDENTIAL_TYPE);
	const redact = redactorFor(credentials);

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
	let clientConfig;
	try {
		clientConfig = clientConfigFrom(credentials, {
			connectTimeoutMs: clamp(options.connectTimeoutMs, 100, 60000, DEFAULTS.connectTimeoutMs),
			readTimeoutMs: clamp(options.readTimeoutMs, 100, 120000, DEFAULTS.readTimeoutMs),
		});
	} catch (error) {
		const configError = new NodeOperationError(node, redact((error as Error).message), {
			description: 'Fix the "Alibaba Cloud CCC API" credential used by this node.',
		});
		if (!continueOnFail) throw configError;
		return [items.map((_, i) => errorOutput(node, results[i] instanceof Error ? (results[i] as ItemError) : configError, i))];
	}

	// 3. The requests.
	const pending = requests.some((r) => r !== undefined);
	if (pending) {
		const client = await CccClient.create(clientConfig);
		const scheduler = await CallScheduler.create({
			concurrency: clamp(options.concurrency, 1, DEFAULTS.maxConcurrency, DEFAULTS.concurrency),
			maxRequestsPerSecond: clamp(options.maxRequestsPerSecond, 0, 1000, DEFAULTS.maxRequestsPerSecond),
			maxRetries: clamp(options.maxRetries, 0, 10, DEFAULTS.maxRetries),
			retryBudgetMs: clamp(options.retryBudgetSeconds, 0, 600, DEFAULTS.retryBudgetSeconds) * 1000,
			retryOnServerErrors: options.retryOnServerErrors === true,
			stopAfterFailure: !continueOnFail,
		});
		await scheduler.forEachItem(requests.length, async (i) => {
			const request = requests[i];
			if (!request) return;
			try {
				const response = await scheduler.run(
					async () => {
						const answer = await client.call('LaunchAuthentication', request);
						requireData(answer.body, answer.requestId, answer.httpStatus);
						return answer;
					},
					({ attempt, error, retriesLeft }) =>
						this.logger.debug(
							redact(`LaunchAuthentication item ${i}: attempt ${attempt} failed (${error.message}); ${retriesLeft} retries left`),
						),
				);
				results[i] = buildOutputItems(response.body, response.requestId, i, outputMode);
			} catch (error) {
				results[i] = toNodeError(node, error, i, redact);
			}
		});
	}

	// 4. Output in input order.
	if (!continueOnFail) {
		const failures = results.filter((r): r is ItemError => r instanceof Error);
		const firstReal = failures.find((e) => e.context.cancelled !== true) ?? failures[0];
		if (firstReal) throw firstReal;
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
