// Every workflow the real-n8n tools import into n8n (n8n's import:workflow format), built at run time from the
// workflow JSON of this folder (also run in n8n's engine by the tests and the demo) and from the pieces in
// build.mjs. Import from here:
//   e2e.mjs       the end-to-end test's calls, Wait for Result, Get Result and version 1 / 2 workflows
//   examples.mjs  examples/ made runnable (webhook, Slack and e-mail swapped for stand-ins)
//   network.mjs   the network checks' workflows (one branch per credential: proxy, HTTPS, NO_PROXY, loopback)
//   editor.mjs    the example workflow of `npm run dev` and the browser check (crm-event-wait-for-result.json)
//   bench.mjs     the real-n8n bench's webhook and batch workflows
// The JSON: crm-event-to-notification.json (engine tests), crm-event-wait-for-result.json (demo, editor),
// e2e-calls-launch-v1-and-signed-http.json (end-to-end, regular and queue mode).
export { CREDENTIAL_TYPE, NODE_TYPE, rl } from './build.mjs';
export * from './bench.mjs';
export * from './e2e.mjs';
export * from './editor.mjs';
export * from './examples.mjs';
export * from './network.mjs';
