import { setMaxListeners } from 'node:events';
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

import { CCC_CREDENTIAL_TYPE } from '../../../credentials/AlibabaCloudCccApi.credentials';
import {
	credentialSecrets,
	readCccCredential,
	type CccCredential,
} from '../../../credentials/cccCredential';
import { sendWithHttpRequest, type CccClient, type SendThroughN8n } from '../transport';
import { toNodeError } from './nodeErrors';
import { itemsInInputOrder, type ItemResults } from './output';
import type { PassRule } from './ivrResult';
import {
	clampOption,
	MAX_RESPONSE_BYTES,
	OptionValueError,
	type LimitedOption,
} from './optionLimits';
import { makeRedactor, type Redactor } from './redact';
import { CallScheduler } from './scheduler';
import type { ResultSettings } from './tracePolling';

/** The options every operation has (common.descriptions.ts `requestOptions`), as n8n hands them over. */
export interface RequestOptions {
	concurrency?: number;
	maxRequestsPerSecond?: number;
	maxRetries?: number;
	retryBudgetSeconds?: number;
	retryOnServerErrors?: boolean;
	connectTimeoutMs?: number;
	readTimeoutMs?: number;
}

/** The result options (common.descriptions.ts `resultOptions`, plus the wait of Launch). */
export interface ResultOptions {
	includeTrace?: boolean;
	passRule?: string;
	passVariableName?: string;
	passVariableValue?: string;
	pollIntervalSeconds?: number;
	resultTimeoutSeconds?: number;
}

/** An option's value within its bounds; a value that is not a number stops the node, naming the option. */
function numberOption(node: INode, name: LimitedOption, value: unknown): number {
	try {
		return clampOption(name, value);
	} catch (error) {
		throw new NodeOperationError(
			node,
			error instanceof OptionValueError ? error.message : (error as Error),
			{
				description:
					'Give a number, or an expression that gives one (numeric text such as "3" is accepted). Options are read once for the whole run: with Continue On Fail every input item gets this error.',
				itemIndex: 0,
			},
		);
	}
}

export function resultSettings(node: INode, options: ResultOptions): ResultSettings {
	const rule: PassRule =
		options.passRule === 'variableEquals'
			? {
					kind: 'variableEquals',
					name: String(options.passVariableName ?? 'authResult').trim(),
					value: String(options.passVariableValue ?? 'PASS'),
				}
			: { kind: 'lastNodeSuccess' };
	return {
		rule,
		includeTrace: options.includeTrace === true,
		pollIntervalMs: numberOption(node, 'pollIntervalSeconds', options.pollIntervalSeconds) * 1000,
		timeoutMs: numberOption(node, 'resultTimeoutSeconds', options.resultTimeoutSeconds) * 1000,
	};
}

/** What one run of an operation works with. */
export interface OperationRun {
	node: INode;
	continueOnFail: boolean;
	redact: Redactor;
	/** The credential as read, or the error that says how to fix it. */
	credential: CccCredential | NodeOperationError;
	/** Aborted when n8n cancels the execution (Stop in the editor, or the execution timing out). */
	cancellation: AbortController;
	/** n8n's request helper of this run: every request goes out through n8n's network layer. */
	send: SendThroughN8n;
}

/** Reads the credential, builds the redactor and links it to the execution's cancellation. */
export async function startOperationRun(ctx: IExecuteFunctions): Promise<OperationRun> {
	const node = ctx.getNode();
	const data = await ctx.getCredentials(CCC_CREDENTIAL_TYPE);
	const redact = makeRedactor(credentialSecrets(data));
	let credential: CccCredential | NodeOperationError;
	try {
		credential = readCccCredential(data);
	} catch (error) {
		credential = new NodeOperationError(node, redact((error as Error).message), {
			description: 'Fix the "Alibaba Cloud CCC API" credential used by this node.',
		});
	}
	const cancellation = new AbortController();
	setMaxListeners(0, cancellation.signal); // every in-flight request and wait listens to it
	// Both exist since n8n 1.x; called optionally so that an older host without them still runs the node.
	if (ctx.getExecutionCancelSignal?.()?.aborted) cancellation.abort();
	ctx.onExecutionCancellation?.(() => cancellation.abort());
	return {
		node,
		continueOnFail: ctx.continueOnFail(),
		redact,
		credential,
		cancellation,
		send: sendWithHttpRequest(ctx.helpers),
	};
}

/** The client and the scheduler of a run's requests. */
export async function createCccCalls(
	run: OperationRun,
	credential: CccCredential,
	options: RequestOptions,
	stopAfterFailure: boolean,
): Promise<{ client: CccClient; scheduler: CallScheduler }> {
	const { node } = run;
	const signal = run.cancellation.signal;
	const client: CccClient = {
		credential,
		send: run.send,
		redact: run.redact,
		limits: {
			connectTimeoutMs: numberOption(node, 'connectTimeoutMs', options.connectTimeoutMs),
			readTimeoutMs: numberOption(node, 'readTimeoutMs', options.readTimeoutMs),
			maxBytes: MAX_RESPONSE_BYTES,
		},
		signal,
	};
	const scheduler = await CallScheduler.create({
		concurrency: numberOption(node, 'concurrency', options.concurrency),
		maxRequestsPerSecond: numberOption(node, 'maxRequestsPerSecond', options.maxRequestsPerSecond),
		maxRetries: numberOption(node, 'maxRetries', options.maxRetries),
		retryBudgetMs: numberOption(node, 'retryBudgetSeconds', options.retryBudgetSeconds) * 1000,
		retryOnServerErrors: options.retryOnServerErrors === true,
		stopAfterFailure,
		signal,
	});
	return { client, scheduler };
}

/** Every item's request as read, and what the items that could not be read became (their errors). */
export interface ReadItems<T> {
	/** By input index; undefined where the item could not be read. */
	values: Array<T | undefined>;
	/** By input index: the error of each item that could not be read; the operation fills in the others. */
	results: ItemResults;
}

/**
 * Reads every item's request before any is sent (a bad item never half-runs a batch). A bad item becomes
 * its error with Continue On Fail, and stops the node otherwise.
 */
export function readEveryItem<T>(
	run: OperationRun,
	count: number,
	read: (itemIndex: number) => T,
): ReadItems<T> {
	const values: Array<T | undefined> = new Array(count);
	const results: ItemResults = new Array(count);
	for (let i = 0; i < count; i++) {
		try {
			values[i] = read(i);
		} catch (error) {
			results[i] = toNodeError(run.node, error, i, run.redact);
			if (!run.continueOnFail) throw results[i];
		}
	}
	return { values, results };
}

/**
 * The node's answer when the run as a whole cannot work (the credential, or an option that is not a number):
 * its error, or, with Continue On Fail, an error item for every input item (its own error where it had one).
 */
function runFailureOutput(
	run: OperationRun,
	runError: NodeOperationError,
	results: ItemResults,
): INodeExecutionData[][] {
	if (!run.continueOnFail) throw runError;
	return [
		itemsInInputOrder(
			run.node,
			Array.from(results, (result) => (result instanceof Error ? result : runError)),
		),
	];
}

/**
 * Runs what the whole run needs before its first request (the credential, the options read once): a
 * NodeOperationError it throws is the run's failure (see runFailureOutput).
 */
export async function prepareRun<T>(
	run: OperationRun,
	results: ItemResults,
	prepare: (credential: CccCredential) => Promise<T>,
): Promise<{ prepared: T } | { output: INodeExecutionData[][] }> {
	try {
		if (run.credential instanceof NodeOperationError) throw run.credential;
		return { prepared: await prepare(run.credential) };
	} catch (error) {
		// Anything else (a module that would not load) is not the user's to fix: the node fails with it.
		if (!(error instanceof NodeOperationError))
			throw new NodeOperationError(run.node, error as Error);
		return { output: runFailureOutput(run, error, results) };
	}
}
