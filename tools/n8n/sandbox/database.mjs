// The SQLite database of an n8n user folder (n8n 2.41.1 schema), read-only; safe while n8n runs (WAL).
import { join } from 'node:path';

import { n8nRequire } from './n8n.mjs';

/** The rows of one SELECT on a user folder's database (opened read-only, closed afterwards). */
async function query(userFolder, sql) {
	const sqlite3 = n8nRequire('sqlite3');
	const db = await new Promise((resolvePromise, reject) => {
		const handle = new sqlite3.Database(join(userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (error) =>
			error ? reject(error) : resolvePromise(handle),
		);
	});
	try {
		return await new Promise((resolvePromise, reject) => db.all(sql, (error, result) => (error ? reject(error) : resolvePromise(result))));
	} finally {
		await new Promise((resolvePromise) => db.close(() => resolvePromise(undefined)));
	}
}

/**
 * Executions stored in a user folder's database, with their run data (execution_data.data is 'flatted' JSON).
 * @returns {Promise<Array<{ id: string, workflowId: string, mode: string, status: string, finished: boolean, data: any }>>}
 */
export async function readExecutions(userFolder) {
	const flatted = n8nRequire('flatted');
	const rows = await query(
		userFolder,
		'SELECT e.id, e.workflowId, e.mode, e.status, e.finished, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id ORDER BY e.id',
	);
	return rows.map((r) => ({
		id: String(r.id),
		workflowId: r.workflowId,
		mode: r.mode,
		status: r.status,
		finished: Boolean(r.finished),
		data: r.data ? flatted.parse(r.data) : null,
	}));
}

/** Names of the workflows stored in a user folder's database. */
export async function workflowNames(userFolder) {
	const rows = await query(userFolder, 'SELECT name FROM workflow_entity');
	return rows.map((r) => r.name);
}
