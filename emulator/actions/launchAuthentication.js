'use strict';

/**
 * LaunchAuthentication (CCC 2020-07-01): moves a live call into an IVR contact flow, usually to
 * authenticate the caller. Answers with the agent's (UserContext) and the call's (CallContext) state.
 *
 * Required: InstanceId, JobId, ContactFlowId (checked by the pipeline, see index.js). Alibaba's current
 * reference (help.aliyun.com/en/ccs/developer-reference/api-ccc-2020-07-01-launchauthentication) marks
 * UserId and DeviceId optional, DeviceId "meaningless and can be filled in with any value"; an older
 * version of the page (help.aliyun.com/document_detail/439612.htm) marked all five required. Without
 * UserId the launch uses the call's agent (the job's UserId in the fixtures); without DeviceId the
 * answer carries the agent's DeviceId from the fixtures ('' when none).
 */

const { errorAnswer } = require('../errors');
const { findJob, jobAgent, apiString } = require('../fixtures');

/**
 * @typedef {import('../types').State} State
 * @typedef {import('../types').Ctx} Ctx
 * @typedef {import('../types').ActionResult} ActionResult
 */

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isJsonObjectString(value) {
	try {
		const parsed = JSON.parse(String(value));
		return Boolean(parsed) && typeof parsed === 'object' && !Array.isArray(parsed);
	} catch {
		return false;
	}
}

/**
 * @param {Ctx} ctx
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {ActionResult}
 */
function fail(ctx, status, code, message) {
	return { ok: false, answer: errorAnswer(ctx, status, code, message) };
}

/**
 * @param {State} state
 * @param {Ctx} ctx
 * @returns {ActionResult}
 */
function launchAuthentication(state, ctx) {
	const p = ctx.params;
	if (p.ContactFlowVariables !== undefined && p.ContactFlowVariables !== '' && !isJsonObjectString(p.ContactFlowVariables)) {
		return fail(ctx, 400, 'Parameter.Invalid', 'The parameter ContactFlowVariables is invalid: it must be a JSON object string.');
	}
	const inst = state.fixtures.instances.get(p.InstanceId);
	if (!inst) return fail(ctx, 404, 'NotExists.InstanceId', `The specified instance ${p.InstanceId} does not exist.`);
	const job = findJob(inst, p.JobId);
	if (!job) return fail(ctx, 404, 'NotExists.JobId', `The call ${p.JobId} does not exist.`);
	const userId = p.UserId || jobAgent(inst, job);
	if (!userId) return fail(ctx, 404, 'NotExists.UserId', `The call ${p.JobId} has no agent: specify UserId.`);
	const user = inst.users.get(userId);
	if (!user) return fail(ctx, 404, 'NotExists.UserId', `The specified user ${userId} does not exist.`);
	if (job.missingChannelId) {
		return fail(ctx, 404, 'NotExists.ChannelId', `The specified channel ${job.missingChannelId} does not exist in call ${p.JobId}.`);
	}
	// Key order and string typing exactly as the API page's JSON example.
	return {
		ok: true,
		obj: {
			RequestId: ctx.requestId,
			Message: '无',
			HttpStatusCode: '200',
			Params: '无',
			Data: {
				UserContext: {
					UserState: apiString(user.UserState),
					InstanceId: p.InstanceId,
					DeviceId: p.DeviceId || apiString(user.DeviceId),
					BreakCode: apiString(user.BreakCode),
					OutboundScenario: apiString(user.OutboundScenario),
					Mobile: apiString(user.Mobile),
					SignedSkillGroupIdList: apiString(user.SignedSkillGroupIdList),
					Extension: apiString(user.Extension),
					UserId: userId,
					Heartbeat: apiString(user.Heartbeat),
					WorkMode: apiString(user.WorkMode),
					JobId: p.JobId,
					Reserved: apiString(user.Reserved),
				},
				CallContext: {
					InstanceId: p.InstanceId,
					CallType: job.CallType,
					JobId: p.JobId,
					ChannelContexts: job.ChannelContexts.map((ch) => ({ ...ch })),
				},
			},
			Code: 'OK',
		},
	};
}

module.exports = launchAuthentication;
