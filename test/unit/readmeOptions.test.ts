import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { LaunchAuthentication } from '../../nodes/LaunchAuthentication/LaunchAuthentication.node';

/**
 * Keeps the option tables of both READMEs in step with the node's description: every option of every
 * operation's options collection (read from the node class, all versions) is a row of an option table, with
 * the default the node has; and every row of an option table names an option the node has.
 *
 * README conventions this reads:
 * - an option table is a Markdown table whose header's first cell is "option" (README.md) or "选项"
 *   (README.zh-CN.md) and which has a "default" / "默认值" column;
 * - a table belongs to the operations its nearest heading names (n8n's operation names, e.g. "Launch",
 *   "Get Result"); an operation's option may be documented in another operation's table when that operation
 *   has the same option with the same default (the shared request options);
 * - a row may document two options "Pass Variable Name / Value" with defaults "`authResult` / `PASS`";
 * - defaults: on/off (开启/关闭) for booleans; the number, then "(min–max)" if the bounds are given; an
 *   options field's choice as n8n shows it; "–" for an empty text, otherwise the text.
 */

const ROOT = join(__dirname, '..', '..');
const READMES = ['README.md', 'README.zh-CN.md'];

interface DocumentedOption {
	name: string;
	defaultText: string;
	readme: string;
	heading: string;
	line: number;
}

// ---------------------------------------------------------------------------------------------------------
// The node's options, per operation

const properties = new LaunchAuthentication().description.properties;

/** Operation value → the name n8n shows ("launch" → "Launch"), from the operation selector. */
const operationNames = new Map<string, string>();
for (const p of properties) {
	if (p.name !== 'operation' || p.type !== 'options') continue;
	for (const o of (p.options ?? []) as INodePropertyOptions[]) operationNames.set(String(o.value), o.name);
}

/** Operation name → its collection options by display name (lower case), over every version of the node. */
const optionsByOperation = new Map<string, Map<string, INodeProperties>>();
for (const p of properties) {
	const shownFor = p.displayOptions?.show?.operation as unknown[] | undefined;
	if (p.type !== 'collection' || !Array.isArray(shownFor)) continue;
	for (const value of shownFor) {
		const operation = operationNames.get(String(value)) ?? String(value);
		const known = optionsByOperation.get(operation) ?? new Map<string, INodeProperties>();
		for (const option of (p.options ?? []) as INodeProperties[]) known.set(key(option.displayName), option);
		optionsByOperation.set(operation, known);
	}
}

function key(name: string): string {
	return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// The READMEs' option tables

const plain = (cell: string) => cell.replace(/[*`]/g, '').replace(/\s+/g, ' ').trim();
const cells = (row: string) => row.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());

/** "Pass Variable Name / Value" → ["Pass Variable Name", "Pass Variable Value"]; a plain name → [name]. */
function expandNames(cell: string): string[] {
	const parts = plain(cell).split(' / ');
	const first = parts[0];
	const words = first.split(' ');
	return [first, ...parts.slice(1).map((part) => [...words.slice(0, words.length - part.split(' ').length), part].join(' '))];
}

function optionTables(readme: string): DocumentedOption[] {
	const lines = readFileSync(join(ROOT, readme), 'utf8').split('\n');
	const rows: DocumentedOption[] = [];
	let heading = '';
	let defaultColumn = -1; // inside an option table when >= 0
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		if (/^#{1,6} /.test(line)) heading = line;
		if (!line.trim().startsWith('|')) {
			defaultColumn = -1;
			continue;
		}
		const row = cells(line);
		const previous = lines[i - 1]?.trim() ?? '';
		if (!previous.startsWith('|')) {
			// A table's header row.
			const header = row.map((c) => plain(c).toLowerCase());
			defaultColumn = ['option', '选项'].includes(header[0]) ? header.findIndex((c) => c === 'default' || c === '默认值') : -1;
			continue;
		}
		if (defaultColumn < 0 || /^[\s|:-]+$/.test(line)) continue;
		const names = expandNames(row[0]);
		const defaults = names.length > 1 && row[defaultColumn].includes(' / ') ? row[defaultColumn].split(' / ') : names.map(() => row[defaultColumn]);
		names.forEach((name, n) => rows.push({ name, defaultText: plain(defaults[n] ?? ''), readme, heading, line: i + 1 }));
	}
	return rows;
}

/** The operations a heading names ("### Launch: options" → ["Launch"]). */
function operationsOf(heading: string): string[] {
	return [...optionsByOperation.keys()].filter((op) => new RegExp(`(^|[^A-Za-z])${op.replace(/ /g, '\\s+')}([^A-Za-z]|$)`).test(heading));
}

// ---------------------------------------------------------------------------------------------------------
// Defaults as the READMEs write them

/** Why the documented default does not match the option's, or undefined when it does. */
function defaultMismatch(option: INodeProperties, text: string): string | undefined {
	const shown = `"${text}"`;
	switch (option.type) {
		case 'boolean': {
			const on = /^(on\b|开启|开)/i.test(text);
			const off = /^(off\b|关闭|关)/i.test(text);
			if (option.default === true ? on : off) return undefined;
			return `default is ${option.default === true ? 'on' : 'off'}, the README says ${shown}`;
		}
		case 'number': {
			const match = /^(-?\d+(?:\.\d+)?)\s*(?:[(（]\s*(-?\d+)\s*[–-]\s*(-?\d+)\s*[)）])?/.exec(text);
			if (!match) return `default is ${String(option.default)}, the README says ${shown}`;
			if (Number(match[1]) !== option.default) return `default is ${String(option.default)}, the README says ${shown}`;
			const { minValue, maxValue } = (option.typeOptions ?? {}) as { minValue?: number; maxValue?: number };
			if (match[2] !== undefined && (Number(match[2]) !== minValue || Number(match[3]) !== maxValue)) {
				return `bounds are ${String(minValue)}–${String(maxValue)}, the README says ${shown}`;
			}
			return undefined;
		}
		case 'options': {
			const choice = ((option.options ?? []) as INodePropertyOptions[]).find((o) => o.value === option.default);
			const name = choice?.name ?? String(option.default);
			return text.toLowerCase().startsWith(name.toLowerCase()) ? undefined : `default is "${name}", the README says ${shown}`;
		}
		default: {
			const value = option.default === undefined || option.default === null ? '' : String(option.default);
			if (value === '') return /^([–—-]|（空）|空)/.test(text) ? undefined : `default is empty (write "–"), the README says ${shown}`;
			return text === value || text.startsWith(`${value} `) || text.startsWith(`${value}（`) ? undefined : `default is "${value}", the README says ${shown}`;
		}
	}
}

// ---------------------------------------------------------------------------------------------------------

describe('the node description this test reads', () => {
	it('has an options collection for every operation, Launch and Get Result among them', () => {
		expect([...operationNames.values()]).toEqual(expect.arrayContaining(['Launch', 'Get Result']));
		for (const operation of operationNames.values()) expect(optionsByOperation.get(operation)?.size ?? 0).toBeGreaterThan(0);
	});
});

describe.each(READMES)('%s option tables', (readme) => {
	const rows = optionTables(readme);
	const where = (row: DocumentedOption) => `${readme}:${row.line} (under "${row.heading}")`;

	it('document every option of every operation, with its default', () => {
		const problems: string[] = [];
		for (const [operation, options] of optionsByOperation) {
			for (const option of options.values()) {
				// Rows under this operation's heading, or under another operation that has the same option and default.
				const candidates = rows.filter((row) => {
					if (key(row.name) !== key(option.displayName)) return false;
					return operationsOf(row.heading).some((op) => {
						const same = optionsByOperation.get(op)?.get(key(option.displayName));
						return op === operation || (same !== undefined && same.type === option.type && JSON.stringify(same.default) === JSON.stringify(option.default));
					});
				});
				if (candidates.length === 0) {
					problems.push(`${operation} › "${option.displayName}" (default ${JSON.stringify(option.default)}) is in no option table of ${readme}`);
					continue;
				}
				for (const row of candidates) {
					const why = defaultMismatch(option, row.defaultText);
					if (why) problems.push(`${operation} › "${option.displayName}": ${why} at ${where(row)}`);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('name only options the node has, under a heading naming their operation', () => {
		expect(rows.length).toBeGreaterThan(0);
		const problems: string[] = [];
		for (const row of rows) {
			const operations = operationsOf(row.heading);
			if (operations.length === 0) {
				problems.push(`${where(row)}: the heading names no operation (${[...optionsByOperation.keys()].join(', ')})`);
				continue;
			}
			if (!operations.some((op) => optionsByOperation.get(op)?.has(key(row.name)))) {
				problems.push(`${where(row)}: "${row.name}" is not an option of ${operations.join(' / ')}`);
			}
		}
		expect(problems).toEqual([]);
	});
});

describe('the README conventions this test relies on', () => {
	const option = (o: Partial<INodeProperties>) => ({ displayName: 'X', name: 'x', type: 'string', default: '', ...o }) as INodeProperties;

	it('reads a combined row as two options with their own defaults', () => {
		expect(expandNames('Pass Variable Name / Value')).toEqual(['Pass Variable Name', 'Pass Variable Value']);
		expect(expandNames('*Concurrency*')).toEqual(['Concurrency']);
	});

	it('tells a wrong default or wrong bounds from the right ones', () => {
		const poll = option({ type: 'number', default: 2, typeOptions: { minValue: 1, maxValue: 60 } });
		expect(defaultMismatch(poll, '2 (1–60)')).toBeUndefined();
		expect(defaultMismatch(poll, '2（1–60）')).toBeUndefined();
		expect(defaultMismatch(poll, '3 (1–60)')).toMatch(/default is 2/);
		expect(defaultMismatch(poll, '2 (1–600)')).toMatch(/bounds are 1–60/);
		expect(defaultMismatch(option({ type: 'boolean', default: false }), 'off')).toBeUndefined();
		expect(defaultMismatch(option({ type: 'boolean', default: false }), '关闭')).toBeUndefined();
		expect(defaultMismatch(option({ type: 'boolean', default: false }), 'on')).toMatch(/default is off/);
		const output = option({ type: 'options', default: 'perChannel', options: [{ name: 'One Item per Channel', value: 'perChannel' }, { name: 'One Item per Call', value: 'perCall' }] });
		expect(defaultMismatch(output, 'One Item per Channel')).toBeUndefined();
		expect(defaultMismatch(output, 'One Item per Call')).toMatch(/One Item per Channel/);
		expect(defaultMismatch(option({ default: '' }), '–')).toBeUndefined();
		expect(defaultMismatch(option({ default: '' }), 'PASS')).toMatch(/empty/);
		expect(defaultMismatch(option({ default: 'PASS' }), 'PASS')).toBeUndefined();
		expect(defaultMismatch(option({ default: 'PASS' }), 'FAIL')).toMatch(/"PASS"/);
	});
});
