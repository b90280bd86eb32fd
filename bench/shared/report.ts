/**
 * What both parts of the bench print and write: numbers, markdown tables with the figures side by side,
 * the PASS/FAIL line of each target, lists of problems and notes, the machine, the results file; and how
 * they read their settings and log their progress.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** A positive number from the environment, or `fallback`. */
export function envNumber(name: string, fallback: number): number {
	const v = Number(process.env[name]);
	return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Progress on stderr (stdout holds the report), each line after `prefix`. */
export function logger(prefix: string): (line: string) => void {
	return (line) => void process.stderr.write(`${prefix}${line}\n`);
}

/** A number printer with `defaultDigits` decimals; 'n/a' for NaN and infinities. */
export function formatter(defaultDigits: number): (v: number, digits?: number) => string {
	return (v, digits = defaultDigits) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');
}

/** A markdown table: the first column left-aligned, the figures right-aligned. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
	const cell = (c: string | number, i: number) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]));
	const line = (cells: Array<string | number>) => `| ${cells.map(cell).join(' | ')} |`;
	return [line(header), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

export interface Target {
	name: string;
	value: number;
	pass: boolean;
	/** The measured figures behind the verdict, as printed. */
	shown: string;
}

/** One line per target: PASS or FAIL, its name, what was measured. */
export function verdictLines(targets: Target[]): string[] {
	return targets.map((t) => `${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.shown}`);
}

/** A titled list after an empty line, or nothing when there is nothing to list. */
export function listLines(title: string, entries: string[]): string[] {
	return entries.length ? ['', title, ...entries.map((e) => `  - ${e}`)] : [];
}

export const PROBLEMS_TITLE = 'PROBLEMS (the figures above may not be valid):';

export interface Machine {
	nproc: number;
	cpuModel: string;
	memoryGb: number;
	node: string;
	platform: string;
}

export function machineInfo(): Machine {
	return {
		nproc: availableParallelism(),
		cpuModel: cpus()[0]?.model ?? 'unknown',
		memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
	};
}

/** `value` as indented JSON in `file` (its folder made if needed). */
export function writeJson(file: string, value: unknown): void {
	mkdirSync(dirname(file), { recursive: true });
	writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
