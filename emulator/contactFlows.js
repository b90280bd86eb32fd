'use strict';

/**
 * The seeded IVR contact flows of the emulator's directory (7 in ccc-test, 1 in ccc-emulator-2): their nodes,
 * their Definition as CCC stores it, their ListContactFlows item. Flow nodes carry stable IDs (nodeId) shared
 * with the IVR trace (ivrTrace.js), so a trace row's NodeId is an activity id of the flow's Definition.
 * Shapes and sources: directory.js's header and emulator/NOTES.md. Nothing marks an authentication flow in
 * CCC: ours are MAIN_FLOWs recognizable by name and description only.
 */

const { nodeId, stableHex, stableUuid } = require('./stableIds');

/**
 * @typedef {{ key: string, type: string, name: string, properties?: Record<string, unknown>, events?: Record<string, string | null> }} FlowNode
 *   events: exit -> key of the next node (null = the flow ends); default { complete: <next node in the list> }
 * @typedef {{ ContactFlowId: string, InstanceId: string, Name: string, Type: string, Description: string,
 *   DraftId: string, Editor: string, Published: boolean, CreatedTime: string, UpdatedTime: string,
 *   NumberList: string[], nodes: FlowNode[] }} FlowSeed
 */

/** The PIN verification flow (the LaunchAuthentication page's ContactFlowId). */
const AUTH_FLOW_ID = 'af145gfc-1108-4d55-8fca-f719bd512ebb';
/** The main inbound IVR of ccc-test (routes calls to agents). */
const MAIN_FLOW_ID = '5e1b7c3a-2d4f-4b8e-9a61-0c7d3f2e8b14';

/**
 * The nodes that end our authentication flows: the outcome as the flow variable authResult and as the exit
 * code of the last node (our convention: CCC documents no authentication result).
 * @type {FlowNode[]}
 */
const AUTH_RESULT_NODES = [
	{ key: 'setPass', type: 'SET_VARIABLES', name: 'authResult = PASS', properties: { variables: { authResult: 'PASS' } }, events: { Success: null } },
	{ key: 'setFail', type: 'SET_VARIABLES', name: 'authResult = FAIL', properties: { variables: { authResult: 'FAIL' } }, events: { Failure: null } },
];

/**
 * A flow seed: `head` holds the identity and whatever differs from the usual values (instance ccc-test,
 * published, no draft, no numbers).
 * @param {Partial<FlowSeed> & Pick<FlowSeed, 'ContactFlowId' | 'Name' | 'Type' | 'Editor'>} head
 * @param {string} description the version description
 * @param {[string, string]} times CreatedTime, UpdatedTime
 * @param {FlowNode[]} nodes after the INCOMING_CALL start node (added here; a sub-flow starts with its SUB_START)
 * @returns {FlowSeed}
 */
function flowSeed(head, description, [created, updated], nodes) {
	if (nodes[0].type !== 'SUB_START') nodes = [START_NODE, ...nodes];
	return {
		InstanceId: 'ccc-test',
		DraftId: '',
		Published: true,
		NumberList: [],
		...head,
		Description: description,
		CreatedTime: created,
		UpdatedTime: updated,
		nodes,
	};
}

/** @type {FlowNode} */
const START_NODE = { key: 'start', type: 'INCOMING_CALL', name: 'Start' };
/** @type {FlowNode} */
const HANGUP_NODE = { key: 'hangup', type: 'HANGUP', name: 'Hang up', events: { complete: null } };
/** @param {string} say @returns {Record<string, unknown>} properties of a text-to-speech prompt */
const tts = (say) => ({ say, audioType: 'tts', audioInterrupt: false });

/** @type {FlowSeed[]} */
const FLOW_SEEDS = [
	flowSeed(
		{ ContactFlowId: MAIN_FLOW_ID, Name: 'Inbound main menu', Type: 'MAIN_FLOW', Editor: 'user-test', NumberList: ['0571xxxx8888'] },
		'2.4 hotline 0571xxxx8888: welcome, main menu, transfer to agents', ['2020-12-21 09:12:30.0', '2021-03-08 15:34:49.0'],
		[
			{ key: 'welcome', type: 'PLAY_SAY', name: 'Welcome', properties: tts('Welcome to the customer service hotline.') },
			{
				key: 'menu',
				type: 'GATHER_INPUT',
				name: 'Main menu',
				properties: { ...tts('For orders press 1, for your account press 2, for anything else press 0.'), maxDigits: 1, timeout: 8 },
				events: { Success: 'route', Timeout: 'route' },
			},
			{
				key: 'route',
				type: 'SPLIT',
				name: 'Route by key',
				properties: { branches: [{ exit: 'Branch-A', condition: 'digits == 1' }, { exit: 'Branch-B', condition: 'digits == 2' }] },
				events: { 'Branch-A': 'toAgent', 'Branch-B': 'toAgent', Default: 'toAgent' },
			},
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Transfer to agent', properties: { skillGroupId: 'skg-test1@ccc-test', queueTimeout: 120 }, events: { Success: null, Overflow: 'hangup', Timeout: 'hangup' } },
			HANGUP_NODE,
		],
	),
	flowSeed(
		{ ContactFlowId: AUTH_FLOW_ID, Name: 'PIN verification', Type: 'MAIN_FLOW', Editor: 'user-test' },
		'1.3 IVR authentication (LaunchAuthentication): 6-digit PIN checked against the CRM, 3 attempts; sets authResult=PASS|FAIL', ['2021-01-11 10:02:17.0', '2021-06-30 18:21:05.0'],
		[
			{
				key: 'gather',
				type: 'GATHER_INPUT',
				name: 'Enter PIN',
				properties: { ...tts('Please enter your 6-digit PIN, then press the hash key.'), maxDigits: 6, terminator: '#', timeout: 10 },
				events: { Success: 'verify', Timeout: 'setFail', Hangup: null },
			},
			{ key: 'verify', type: 'JSON_PARSER', name: 'Verify PIN with CRM', properties: { source: 'crm.pinCheck', path: '$.status' } },
			{
				key: 'check',
				type: 'SPLIT',
				name: 'PIN check result',
				properties: {
					branches: [
						{ exit: 'Branch-A', condition: "status == 'MATCH'" },
						{ exit: 'Branch-B', condition: "status == 'MISMATCH' && authAttempts < 3" },
						{ exit: 'Branch-C', condition: "status == 'PENDING'" },
					],
				},
				events: { 'Branch-A': 'setPass', 'Branch-B': 'gather', 'Branch-C': 'hold', Default: 'setFail' },
			},
			{ key: 'hold', type: 'PLAY_SAY', name: 'Please hold', properties: tts('Please hold while we verify your PIN.'), events: { Success: 'verify' } },
			...AUTH_RESULT_NODES,
		],
	),
	flowSeed(
		{ ContactFlowId: '9d3e51c2-7a0b-4c6f-8e2d-4b1a6f0c9e37', Name: 'Voiceprint / ID card check', Type: 'MAIN_FLOW', Editor: 'user-test', DraftId: stableUuid('draft/voiceprint') },
		'1.1 IVR authentication (LaunchAuthentication): last 6 digits of the ID card, then a spoken pass phrase; sets authResult', ['2021-02-02 14:40:00.0', '2021-05-19 11:08:26.0'],
		[
			{ key: 'gatherId', type: 'GATHER_INPUT', name: 'Enter ID card (last 6)', properties: { ...tts('Please enter the last six digits of your ID card.'), maxDigits: 6, timeout: 10 } },
			{ key: 'phrase', type: 'ASR', name: 'Say the pass phrase', properties: { ...tts('Please say: my voice is my password.'), timeout: 8 } },
			{ key: 'verify', type: 'JSON_PARSER', name: 'Verify with CRM', properties: { source: 'crm.voiceprint', path: '$.status' } },
			{ key: 'check', type: 'SPLIT', name: 'Verified?', properties: { branches: [{ exit: 'Branch-A', condition: "status == 'MATCH'" }] }, events: { 'Branch-A': 'setPass', Default: 'setFail' } },
			...AUTH_RESULT_NODES,
		],
	),
	flowSeed(
		{ ContactFlowId: '3c8f2a61-5e9d-4f07-b2c4-7e6a1d0b5f92', Name: 'Satisfaction survey', Type: 'SURVEY_FLOW', Editor: 'user-test' },
		'1.0 after-call survey, 1-5 keys', ['2020-12-21 09:30:00.0', '2021-01-04 16:45:12.0'],
		[
			{ key: 'rate', type: 'SATISFACTION_RATING', name: 'Rate the call', properties: { ...tts('Please rate this call from 1 (poor) to 5 (excellent).'), maxDigits: 1 } },
			{ key: 'thanks', type: 'PLAY_SAY', name: 'Thank you', properties: tts('Thank you for your feedback. Goodbye.') },
			HANGUP_NODE,
		],
	),
	flowSeed(
		{ ContactFlowId: '7a4d9e08-1b3c-4d5e-9f60-2a8b7c6d5e43', Name: 'Outbound callback greeting', Type: 'MAIN_FLOW', Editor: 'agent-2', NumberList: ['083xxxx0019'] },
		'1.2 outbound callbacks: greeting, then an agent', ['2021-02-15 08:55:41.0', '2021-04-01 10:00:00.0'],
		[
			{ key: 'greet', type: 'PLAY_SAY', name: 'Callback greeting', properties: tts('Hello, we are calling you back about your request.') },
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Connect agent', properties: { skillGroupId: 'skg-default@ccc-test' }, events: { Success: null } },
		],
	),
	flowSeed(
		{ ContactFlowId: '1f6b0d2e-8c7a-4e93-a5d1-6c2e9b0f7a58', Name: 'Business hours check', Type: 'SUB_FLOW', Editor: 'user-test' },
		'1.0 sub-flow: open 09:00-18:00 on working days', ['2020-12-20 17:03:09.0', '2020-12-20 17:03:09.0'],
		[
			{ key: 'start', type: 'SUB_START', name: 'Sub-flow start' },
			{ key: 'open', type: 'SPLIT', name: 'Open now?', properties: { branches: [{ exit: 'Branch-A', condition: 'now in 09:00-18:00' }] }, events: { 'Branch-A': 'end', Default: 'end' } },
			{ key: 'end', type: 'SUB_END', name: 'Sub-flow end', events: { complete: null } },
		],
	),
	flowSeed(
		{ ContactFlowId: '6b2c8e4f-0d9a-4b17-8c3e-5f1a0e7d2c69', Name: 'Holiday greeting (draft)', Type: 'MAIN_FLOW', Editor: 'agent-2', DraftId: stableUuid('draft/holiday'), Published: false },
		'0.1 draft, not published', ['2021-06-28 13:14:15.0', '2021-07-14 10:48:43.0'],
		[{ key: 'closed', type: 'PLAY_SAY', name: 'Holiday notice', properties: tts('We are closed for the holiday. Please call again tomorrow.') }, HANGUP_NODE],
	),
	flowSeed(
		{ ContactFlowId: '274601be-a6d5-4429-bcef-32b51d031c6e', Name: 'Default inbound flow', Type: 'MAIN_FLOW', Editor: 'agent-1', InstanceId: 'ccc-emulator-2' },
		'1.0', ['2023-01-01 08:00:00.0', '2023-01-01 08:00:00.0'],
		[
			{ key: 'welcome', type: 'PLAY_SAY', name: 'Welcome', properties: tts('Welcome.') },
			{ key: 'toAgent', type: 'TRANSFER_TO_AGENT', name: 'Transfer to agent', properties: { skillGroupId: 'skg-sales@ccc-emulator-2' }, events: { Success: null } },
		],
	),
];

/**
 * The flow's Definition as CCC stores it: a JSON string of { activities, description }, each activity
 * { type, id, name, properties (with a canvas position), events [{ event, next, edgeId }], nodeIndex }
 * (shape of the GetContactFlow / ListContactFlows examples).
 * @param {FlowSeed} flow
 * @returns {string}
 */
function definitionOf(flow) {
	const id = (/** @type {string | null} */ key) => (key === null ? null : nodeId(flow.ContactFlowId, key));
	const activities = flow.nodes.map((node, i) => {
		const next = flow.nodes[i + 1];
		const events = node.events || { complete: next ? next.key : null };
		return {
			type: node.type,
			id: id(node.key),
			name: node.name,
			properties: { ...(node.properties || {}), position: { x: 260 + 220 * i, y: 160 } },
			events: Object.entries(events).map(([event, nextKey]) => ({
				event,
				next: id(nextKey),
				edgeId: stableHex(`${flow.ContactFlowId}/${node.key}/${event}`, 8),
			})),
			nodeIndex: node.type === 'HANGUP' ? 999 : i,
		};
	});
	return JSON.stringify({ activities, description: '' });
}

/** @type {Map<string, FlowSeed>} */
const FLOWS = new Map(FLOW_SEEDS.map((f) => [f.ContactFlowId, f]));

/**
 * @param {FlowSeed} f
 * @returns {Record<string, unknown>} the ListContactFlows item, in the documented key order
 */
function flowItem(f) {
	return {
		Type: f.Type,
		Definition: definitionOf(f),
		DraftId: f.DraftId,
		Description: f.Description,
		UpdatedTime: f.UpdatedTime,
		Editor: f.Editor,
		Published: f.Published,
		InstanceId: f.InstanceId,
		Name: f.Name,
		ContactFlowId: f.ContactFlowId,
		CreatedTime: f.CreatedTime,
		NumberList: [...f.NumberList],
	};
}

/**
 * @param {string} contactFlowId
 * @returns {{ ContactFlowId: string, InstanceId: string, Name: string, Type: string, nodes: Array<FlowNode & { id: string }> } | undefined}
 */
function getContactFlow(contactFlowId) {
	const f = FLOWS.get(contactFlowId);
	if (!f) return undefined;
	return {
		ContactFlowId: f.ContactFlowId,
		InstanceId: f.InstanceId,
		Name: f.Name,
		Type: f.Type,
		nodes: f.nodes.map((n) => ({ ...structuredClone(n), id: nodeId(f.ContactFlowId, n.key) })),
	};
}

module.exports = { AUTH_FLOW_ID, MAIN_FLOW_ID, FLOW_SEEDS, flowItem, getContactFlow };
