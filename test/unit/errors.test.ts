import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { CallCancelledError, CccCallError, type CccFailureDetails } from '../../nodes/LaunchAuthentication/transport/cccCallError';
import { errorItemJson, hintFor, toNodeError } from '../../nodes/LaunchAuthentication/helpers/nodeErrors';
import { makeRedactor } from '../../nodes/LaunchAuthentication/helpers/redact';
import { interpretAnswer } from '../../nodes/LaunchAuthentication/transport/answer';
import { isRetryable } from '../../nodes/LaunchAuthentication/helpers/retryPolicy';
import { minGapMs } from '../../nodes/LaunchAuthentication/helpers/scheduler';
import { NODE_TYPE } from '../../tools/fixtures';

/** A whole HTTP answer read by the transport, interpreted. */
const parseSuccess = (text: string, status: number) => interpretAnswer({ status, text });

const node: INode = {
	id: '1',
	name: 'Launch Authentication',
	type: NODE_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const SECRET = 'super-secret-value-123';
const TOKEN = 'sts-token-abcdef';
const redact = makeRedactor([SECRET, TOKEN]);

function apiError(code: string, httpStatus: number, extra: Partial<CccFailureDetails> = {}) {
	return new CccCallError({ kind: 'api', code, message: `message for ${code}`, requestId: 'REQ-1', httpStatus, launchMayHaveHappened: httpStatus >= 500, ...extra });
}

describe('Alibaba errors become NodeApiErrors', () => {
	it.each([
		['NotExists.InstanceId', 404, /Instance ID/],
		['NotExists.JobId', 404, /live/],
		['NotExists.ChannelId', 404, /agent who is on the call/],
		['InvalidAccessKeyId.NotFound', 404, /AccessKey ID does not exist/],
		['SignatureDoesNotMatch', 400, /AccessKey Secret is wrong/],
		['Forbidden.RAM', 403, /ccc:LaunchAuthentication/],
		['Throttling.User', 429, /Max Requests per Second/],
		['InvalidSecurityToken.Expired', 400, /STS Security Token/],
	])('%s carries code, message, RequestId, HTTP status, item and a hint', (code, status, hint) => {
		const error = toNodeError(node, apiError(code, status), 3, redact) as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`CCC error ${code}: message for ${code}`);
		expect(error.description).toMatch(hint);
		expect(error.description).toContain('RequestId: REQ-1');
		expect(error.description).toContain(`HTTP status: ${status}`);
		expect(error.description).toContain('Item 3');
		expect(error.httpCode).toBe(String(status));
		expect(error.context.itemIndex).toBe(3);
		expect(errorItemJson(error)).toEqual({ error: error.message, code, requestId: 'REQ-1' });
	});

	it('has no hint for codes it does not know, and still reports them', () => {
		expect(hintFor('Something.New')).toBeUndefined();
		const error = toNodeError(node, apiError('Something.New', 400), 0, redact);
		expect(error.message).toContain('Something.New');
	});

	it('says how many attempts were made', () => {
		const failure = Object.assign(apiError('Throttling.User', 429), { attempts: 4 });
		expect(toNodeError(node, failure, 1, redact).description).toContain('after 4 attempts');
	});

	it('marks items not sent after an earlier failure as cancelled', () => {
		const error = toNodeError(node, new CallCancelledError('stopped-after-failure'), 7, redact);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.context.cancelled).toBe(true);
	});
});

describe('redaction', () => {
	it('removes the secret, the STS token and signatures from every message', () => {
		const leaky = new CccCallError({
			kind: 'api',
			code: 'SignatureDoesNotMatch',
			message: `bad: secret=${SECRET} token ${TOKEN} Signature=abc123def&x=1 Authorization: ACS3-HMAC-SHA256 Credential=LTAI,SignedHeaders=host,Signature=ffff`,
			requestId: 'R',
			httpStatus: 400,
			launchMayHaveHappened: false,
		});
		const error = toNodeError(node, leaky, 0, redact) as NodeApiError;
		const everything = JSON.stringify({ m: error.message, d: error.description, c: error.context, item: errorItemJson(error), cause: error.cause });
		expect(everything).not.toContain(SECRET);
		expect(everything).not.toContain(TOKEN);
		expect(everything).not.toContain('abc123def');
		expect(everything).not.toContain('ffff');
		expect(everything).toContain('[redacted]');
	});

	it('redacts generic errors too', () => {
		const error = toNodeError(node, new Error(`boom ${SECRET}`), 0, redact);
		expect(error.message).toBe('boom [redacted]');
	});
});

describe('retry policy', () => {
	const connect = new CccCallError({ kind: 'connect', message: 'refused', launchMayHaveHappened: false });
	const readTimeout = new CccCallError({ kind: 'no-response', message: 'timeout', launchMayHaveHappened: true });
	const html502 = new CccCallError({ kind: 'bad-response', message: 'html', launchMayHaveHappened: true });
	const malformed200 = new CccCallError({ kind: 'bad-response', message: 'json', httpStatus: 200, launchMayHaveHappened: true });

	it('always retries throttling and failures to connect', () => {
		expect(isRetryable(apiError('Throttling.User', 429), false)).toBe(true);
		expect(isRetryable(apiError('Throttling', 400), false)).toBe(true);
		expect(isRetryable(connect, false)).toBe(true);
	});

	it('never retries other 4xx answers, nor unusable 2xx answers', () => {
		for (const code of ['NotExists.JobId', 'SignatureDoesNotMatch', 'Forbidden.RAM', 'MissingParameter']) {
			expect(isRetryable(apiError(code, 400), true)).toBe(false);
		}
		expect(isRetryable(malformed200, true)).toBe(false);
		expect(isRetryable(new Error('other'), true)).toBe(false);
	});

	it('retries ambiguous failures only with Retry on Server Errors', () => {
		for (const e of [apiError('InternalError', 500), apiError('ServiceUnavailable', 503), readTimeout, html502]) {
			expect(isRetryable(e, false)).toBe(false);
			expect(isRetryable(e, true)).toBe(true);
		}
	});

	it('spaces request starts so that R per second is never exceeded', () => {
		expect(minGapMs(0)).toBe(0);
		expect(minGapMs(10)).toBeGreaterThanOrEqual(100);
		expect(minGapMs(1)).toBeGreaterThan(1000);
		expect(minGapMs(50)).toBe(22); // 1 s plus the jitter allowance (100 ms), over 50 gaps
	});
});

describe('success answers', () => {
	it('accepts a CCC success and returns its RequestId', () => {
		const r = parseSuccess('{"Code":"OK","RequestId":"R1","Data":{}}', 200);
		expect(r.requestId).toBe('R1');
	});

	it.each([
		['<html><body>502 Bad Gateway</body></html>', /HTML page/],
		['{"Code":"OK","Data":{', /not valid JSON/],
		['', /empty/],
		['[1,2]', /not an object/],
	])('refuses %j', (body, pattern) => {
		expect(() => parseSuccess(body, 200)).toThrow(pattern);
	});

	it('treats HTTP 200 with a Code other than OK as an API error', () => {
		expect.assertions(3);
		try {
			parseSuccess('{"Code":"Busy","Message":"try later","RequestId":"R2"}', 200);
		} catch (e) {
			const d = (e as CccCallError).details;
			expect(d.kind).toBe('api');
			expect(d.code).toBe('Busy');
			expect(d.requestId).toBe('R2');
		}
	});

});

describe('error answers', () => {
	it('reads a whole XML error document, and refuses a cut-off one with its HTTP status', () => {
		const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><RequestId>R3</RequestId><Code>InternalError</Code><Message>boom</Message></Error>';
		expect(() => parseSuccess(xml, 500)).toThrow(expect.objectContaining({ details: expect.objectContaining({ kind: 'api', code: 'InternalError', requestId: 'R3', httpStatus: 500 }) }));
		expect(() => parseSuccess(xml.slice(0, -20), 500)).toThrow(/^The endpoint answered HTTP 500 with an error whose body is not JSON/);
	});
});


it('a 2xx whose body carries a 5xx HttpStatusCode may have been carried out; a 4xx one was refused', () => {
	const answer = (httpStatusCode: number) => ({ status: 200, text: JSON.stringify({ Code: 'InternalError', Message: 'm', RequestId: 'R', HttpStatusCode: httpStatusCode }) });
	const failure = (httpStatusCode: number) => {
		try {
			interpretAnswer(answer(httpStatusCode));
		} catch (error) {
			return (error as CccCallError).details;
		}
		throw new Error('not refused');
	};
	expect(failure(500)).toMatchObject({ kind: 'api', httpStatus: 500, launchMayHaveHappened: true });
	expect(failure(400)).toMatchObject({ kind: 'api', httpStatus: 400, launchMayHaveHappened: false });
});
