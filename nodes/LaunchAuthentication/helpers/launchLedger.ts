import { NodeOperationError, type INode, type INodeExecutionData } from 'n8n-workflow';

import { isCancellation } from '../transport/cccCallError';
import { itemsInInputOrder, type ItemResults } from './output';
import type { ItemError } from './nodeErrors';

/** How many launched JobIds an error lists before it only counts them. */
const LISTED_JOB_IDS = 20;

function jobList(jobIds: string[]): string {
	const shown = jobIds.slice(0, LISTED_JOB_IDS).join(', ');
	return jobIds.length > LISTED_JOB_IDS
		? `${shown} and ${jobIds.length - LISTED_JOB_IDS} more`
		: shown;
}

/**
 * One launch run's bookkeeping, by input index: what each item became (its items or its error), which calls
 * were launched and which may have been (for the summary a failed or canceled run gives), and the waits for
 * results still under way.
 */
export class LaunchLedger {
	private readonly launchedJobs: string[] = [];
	private readonly unsureJobs: string[] = [];
	private readonly waits: Array<Promise<void>> = [];

	/** `results` holds the errors of the items that could not be read; the run fills in the others. */
	constructor(private readonly results: ItemResults) {}

	launched(itemIndex: number, jobId: string, items: INodeExecutionData[]): void {
		this.launchedJobs[itemIndex] = jobId;
		this.results[itemIndex] = items;
	}

	failed(itemIndex: number, jobId: string, error: ItemError, launchMayHaveHappened: boolean): void {
		if (launchMayHaveHappened) this.unsureJobs[itemIndex] = jobId;
		this.results[itemIndex] = error;
	}

	/** The item's wait for its result: its items replace the launch's items when it ends. A cancelled wait keeps the launch's items. */
	waiting(itemIndex: number, result: Promise<INodeExecutionData[]>): void {
		this.waits.push(
			result.then(
				(items) => void (this.results[itemIndex] = items),
				(error: unknown) => {
					if (!isCancellation(error)) throw error;
				},
			),
		);
	}

	/** Resolves once every wait has ended. */
	async waitsEnded(): Promise<void> {
		await Promise.all(this.waits);
	}

	private jobs(): { launched: string[]; unsure: string[] } {
		return {
			launched: this.launchedJobs.filter((job) => job !== undefined),
			unsure: this.unsureJobs.filter((job) => job !== undefined),
		};
	}

	/**
	 * Without Continue On Fail the node's output is dropped when it fails, so the error itself says which
	 * items had already launched (and which may have): running the workflow again would launch them twice.
	 */
	private withSummary<E extends NodeOperationError | ItemError>(error: E): E {
		const { launched, unsure } = this.jobs();
		if (launched.length === 0 && unsure.length === 0) return error;
		const parts = [
			launched.length > 0
				? `Already launched before this failure: ${launched.length} item(s), JobId ${jobList(launched)}.`
				: undefined,
			unsure.length > 0
				? `May have been launched (no clear answer): ${unsure.length} item(s), JobId ${jobList(unsure)}.`
				: undefined,
			'Running the workflow again would ask these callers again: remove them from the input first, or turn on Continue On Fail to get an output item for every input item.',
		].filter(Boolean);
		error.description = [error.description, ...parts].filter(Boolean).join(' ');
		error.context.launchedJobIds = launched;
		error.context.maybeLaunchedJobIds = unsure;
		return error;
	}

	/** The error a canceled run ends with (n8n reports an execution as canceled when the node's error says "canceled"). */
	canceled(node: INode): NodeOperationError {
		const { launched, unsure } = this.jobs();
		const notSent = this.results.filter(
			(r) =>
				r instanceof Error &&
				r.context.cancelled === true &&
				r.context.launchMayHaveHappened !== true,
		).length;
		return this.withSummary(
			new NodeOperationError(
				node,
				`The execution was canceled: ${launched.length} item(s) launched, ${unsure.length} may have been launched, ${notSent} not sent.`,
			),
		);
	}

	/** Without Continue On Fail: the first real failure in input order, with what was already launched. */
	firstFailure(): ItemError | undefined {
		const failures = this.results.filter((r): r is ItemError => r instanceof Error);
		const first = failures.find((e) => e.context.cancelled !== true) ?? failures[0];
		return first && this.withSummary(first);
	}

	/** Every input item's output items or error item, in input order. */
	output(node: INode): INodeExecutionData[] {
		return itemsInInputOrder(node, this.results);
	}
}
