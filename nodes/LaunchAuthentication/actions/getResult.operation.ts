import {
	NodeOperationError,
	updateDisplayOptions,
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
import { toNodeError } from '../helpers/nodeErrors';
import { itemsInInputOrder } from '../helpers/output';
import { isCalendarDate, readTime } from '../helpers/ivrResult';
import { checkText, LAUNCH_FIELDS } from '../helpers/parameters';
import { redactDeep } from '../helpers/redact';
import { checkResult, waitForResult, type TraceTarget } from '../helpers/tracePolling';
import {
	byName,
	contactFlowV2,
	instanceV2,
	jobId,
	requestOptions,
	resultOptions,
	waitOptions,
} from './common.descriptions';

const properties: INodeProperties[] = [
	instanceV2,
	contactFlowV2,
	jobId,
	{
		displayName: 'Options',
		name: 'resultOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: byName([
			...requestOptions,
			...resultOptions,
			...waitOptions,
			{
				displayName: 'Launched At',
				name: 'launchedAt',
				type: 'dateTime',
				default: '',
				description:
					'When the authentication was launched (e.g. {{ $json.Authentication.StartedAt }} or the Launch node’s run time). Only rows of the flow from then on count. Empty: the flow’s latest run in the call’s IVR trace.',
			},
			{
				displayName: 'Wait Until Finished',
				name: 'waitUntilFinished',
				type: 'boolean',
				default: false,
				description:
					'Whether to keep reading the trace every Poll Interval until the flow has finished or Result Timeout has passed (Status Timeout). Off: read once; a flow still going on gives Status Pending.',
			},
		]),
	},
];

const displayOptions = { show: { operation: ['getResult'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface GetResultOptions extends RequestOptions, ResultOptions {
	launchedAt?: string;
	waitUntilFinished?: boolean;
}

const REQUIRED = LAUNCH_FIELDS.filter(
	(f) => f.api === 'InstanceId' || f.api === 'ContactFlowId' || f.api === 'JobId',
);

/**
 * "Launched At" in Unix milliseconds, or undefined when it is not a time. n8n's dateTime field gives ISO
 * text (with or without a zone: without one, as Date.parse reads it, n8n's local time); an expression may
 * give a Luxon DateTime or Date (their ISO text), or a number. Text must be a real calendar date (no
 * 2026-02-30). A number, or text of digits only, is a Unix time read by its size (ivrResult's readTime):
 * 13 digits milliseconds, 10 digits seconds (microseconds and nanoseconds by theirs); "0", 12345 or
 * 1e20 are not times.
 */
export function launchTime(value: unknown): number | undefined {
	if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : undefined;
	if (
		typeof value === 'number' ||
		(typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))
	) {
		const ms = readTime(typeof value === 'number' ? value : Number(value));
		return ms !== undefined && Number.isFinite(ms) ? ms : undefined;
	}
	const textValue =
		typeof value === 'string'
			? value.trim()
			: typeof value === 'object' && value !== null
				? String(value).trim()
				: '';
	const date =
		/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
			textValue,
		);
	if (!date) return undefined;
	const [year, month, day, hour, minute, second] = [
		date[1],
		date[2],
		date[3],
		date[4] ?? '0',
		date[5] ?? '0',
		date[6] ?? '0',
	].map(Number);
	if (!isCalendarDate(year, month, day, hour, minute, second)) return undefined;
	const ms = Date.parse(textValue.replace(' ', 'T'));
	return Number.isFinite(ms) ? ms : undefined;
}

/** The call, the flow and (optionally) the launch time of one item; a parameter error names the field and the item. */
function readTarget(ctx: IExecuteFunctions, itemIndex: number, launchedAt: unknown): TraceTarget {
	const [instanceId, contactFlowId, job] = REQUIRED.map((field) =>
		checkText(
			ctx,
			field,
			ctx.getNodeParameter(field.parameter, itemIndex, '', { extractValue: true }),
			itemIndex,
			`parameter "${field.parameter}"`,
		),
	);
	const target: TraceTarget = { instanceId, contactFlowId, jobId: job };
	if (launchedAt !== undefined && launchedAt !== null && String(launchedAt).trim() !== '') {
		const ms = launchTime(launchedAt);
		if (ms === undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				`"Launched At" of item ${itemIndex} is not a date and time: ${JSON.stringify(String(launchedAt))}`,
				{
					itemIndex,
					description:
						'Give an ISO date and time with its zone such as 2026-12-01T06:00:00Z (a date that exists), a Unix time in milliseconds (13 digits) or seconds (10 digits), or leave it empty to judge the flow’s latest run.',
				},
			);
		}
		target.launchedAt = ms;
	}
	return target;
}

/**
 * Reads (never launches) the IVR trace of each item's call and judges the authentication flow's run:
 * one output item per input item, `{ InstanceId, ContactFlowId, JobId, Authentication, Trace? }`.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const run = await startOperationRun(this);
	const { node, continueOnFail, redact, cancellation } = run;
	const { values: targets, results } = readEveryItem(run, items.length, (i) =>
		readTarget(
			this,
			i,
			(this.getNodeParameter('resultOptions', i, {}) as GetResultOptions).launchedAt,
		),
	);
	const options = this.getNodeParameter('resultOptions', 0, {}) as GetResultOptions;
	const setup = await prepareRun(run, results, async (credential) => ({
		settings: resultSettings(node, options),
		...(await createCccCalls(run, credential, options, false)),
	}));
	if ('output' in setup) return setup.output;
	const { settings, client, scheduler } = setup.prepared;
	await scheduler.forEachItem(items.length, async (i) => {
		const target = targets[i];
		if (!target) return;
		try {
			const fields =
				options.waitUntilFinished === true
					? await waitForResult(client, scheduler, target, settings)
					: await checkResult(client, scheduler, target, settings);
			const json = {
				InstanceId: target.instanceId,
				ContactFlowId: target.contactFlowId,
				JobId: target.jobId,
				...redactDeep(fields, redact),
			};
			results[i] = [{ json, pairedItem: { item: i } }];
		} catch (error) {
			results[i] = toNodeError(node, error, i, redact);
		}
	});
	if (cancellation.signal.aborted)
		throw new NodeOperationError(
			node,
			'The run was canceled while reading authentication results.',
		);
	if (!continueOnFail) {
		const failure = results.find((r) => r instanceof Error);
		if (failure) throw failure;
	}
	return [itemsInInputOrder(node, results)];
}
