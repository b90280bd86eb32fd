// Throwaway run folders and the tails of logs that the tools print on failure.
import { closeSync, existsSync, fstatSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new throwaway folder under os.tmpdir() (outside the repository, see installCommunityPackage). */
export function makeRunDir(prefix = 'n8n-ccc-') {
	return mkdtempSync(join(tmpdir(), prefix));
}

export function tailText(text, lines = 40) {
	const all = String(text).replace(/\s+$/, '').split('\n');
	return all.slice(-lines).join('\n');
}

/** The last `lines` lines of a file (reads at most its last 256 KB). */
export function tailFile(file, lines = 40) {
	if (!file || !existsSync(file)) return '';
	const fd = openSync(file, 'r');
	try {
		const size = fstatSync(fd).size;
		const length = Math.min(size, 256 * 1024);
		const buf = Buffer.alloc(length);
		readSync(fd, buf, 0, length, size - length);
		return tailText(buf.toString('utf8'), lines);
	} finally {
		closeSync(fd);
	}
}

