'use strict';

/**
 * Loading and normalizing the emulator's fixtures (instances, their users and live calls).
 * The file format is described in fixtures.json's own `_comment`s and in README.md.
 */

const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_FIXTURES_PATH = path.join(__dirname, 'fixtures.json');

/**
 * @typedef {Record<string, string>} StringMap
 * @typedef {{ JobId: string, CallType: string, ChannelContexts: StringMap[], UserId?: string, missingChannelId?: string }} Job
 *   UserId: the agent on the call, used when a LaunchAuthentication does not name one
 * @typedef {{ info: Record<string, unknown>, users: Map<string, Record<string, unknown>>, jobs: Map<string, Job>, patterns: Array<{ re: RegExp, like: Job }> }} Instance
 * @typedef {{ instances: Map<string, Instance>, order: string[] }} Fixtures
 */

const CHANNEL_KEYS = [
	'Destination',
	'ChannelState',
	'ReleaseInitiator',
	'CallType',
	'Index',
	'SkillGroupId',
	'AssociatedData',
	'ChannelId',
	'Timestamp',
	'ReleaseReason',
	'Originator',
	'ChannelFlags',
	'UserId',
	'UserExtension',
	'JobId',
];

/**
 * The API types everything as strings in its JSON example; objects/arrays become JSON strings.
 * @param {unknown} v
 * @returns {string}
 */
function apiString(v) {
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'object') return JSON.stringify(v);
	return String(v);
}

/**
 * @param {Record<string, unknown>} ch
 * @returns {StringMap}
 */
function normalizeChannel(ch) {
	/** @type {StringMap} */
	const out = {};
	for (const k of CHANNEL_KEYS) out[k] = apiString(ch[k]);
	return out;
}

/**
 * @param {Record<string, any>} j a job as written in fixtures.json (natural JSON types)
 * @returns {Job}
 */
function normalizeJob(j) {
	return {
		JobId: j.JobId,
		CallType: apiString(j.CallType),
		ChannelContexts: (j.ChannelContexts || []).map(normalizeChannel),
		UserId: j.UserId,
		missingChannelId: j.missingChannelId,
	};
}

/**
 * Add jobs (fixtures.json's job format) to an instance of loaded fixtures: nothing when the instance is not
 * there, and a job the fixtures already define is kept as it is.
 * @param {Fixtures} fixtures
 * @param {string} instanceId
 * @param {ReadonlyArray<Record<string, any>>} jobs
 */
function addJobs(fixtures, instanceId, jobs) {
	const inst = fixtures.instances.get(instanceId);
	if (!inst) return;
	for (const j of jobs) if (!inst.jobs.has(j.JobId)) inst.jobs.set(j.JobId, normalizeJob(j));
}

/**
 * @param {string | Record<string, any> | undefined} source fixtures object, or path of a JSON file (default fixtures.json)
 * @returns {Fixtures}
 */
function loadFixtures(source) {
	/** @type {any} */
	let raw = source;
	if (raw === undefined) raw = DEFAULT_FIXTURES_PATH;
	if (typeof raw === 'string') raw = JSON.parse(fs.readFileSync(raw, 'utf8'));
	if (!raw || !Array.isArray(raw.instances)) throw new TypeError('fixtures must have an "instances" array');
	/** @type {Map<string, Instance>} */
	const instances = new Map();
	/** @type {string[]} */
	const order = [];
	for (const inst of raw.instances) {
		const { users = [], jobs = [], ...info } = inst;
		if (!info.Id) throw new TypeError('every fixture instance needs an Id');
		instances.set(info.Id, {
			info,
			users: new Map(users.map((/** @type {any} */ u) => [u.UserId, u])),
			jobs: new Map(jobs.map((/** @type {any} */ j) => [j.JobId, normalizeJob(j)])),
			patterns: [],
		});
		order.push(info.Id);
	}
	for (const p of raw.jobPatterns || []) {
		const inst = instances.get(p.instanceId);
		const like = inst && inst.jobs.get(p.like);
		if (!inst || !like) throw new TypeError(`jobPatterns: unknown instance ${p.instanceId} or job ${p.like}`);
		inst.patterns.push({ re: new RegExp(p.pattern), like });
	}
	return { instances, order };
}

/**
 * @param {Instance} inst
 * @param {string} jobId
 * @returns {Job | undefined}
 */
function findJob(inst, jobId) {
	const job = inst.jobs.get(jobId);
	if (job) return job;
	for (const p of inst.patterns) {
		if (p.re.test(jobId)) {
			const from = p.like.JobId;
			return {
				JobId: jobId,
				CallType: p.like.CallType,
				UserId: p.like.UserId,
				missingChannelId: p.like.missingChannelId,
				ChannelContexts: p.like.ChannelContexts.map((ch) => ({
					...ch,
					ChannelId: ch.ChannelId.split(from).join(jobId),
					JobId: ch.JobId === from ? jobId : ch.JobId,
				})),
			};
		}
	}
	return undefined;
}

/**
 * The agent on a call: the job's UserId in the fixtures, else the first channel whose UserId is a user of
 * the instance.
 * @param {Instance} inst
 * @param {Job} job
 * @returns {string | undefined}
 */
function jobAgent(inst, job) {
	if (job.UserId) return job.UserId;
	const ch = job.ChannelContexts.find((c) => c.UserId && inst.users.has(c.UserId));
	return ch && ch.UserId;
}

module.exports = { loadFixtures, addJobs, findJob, jobAgent, apiString, DEFAULT_FIXTURES_PATH };
