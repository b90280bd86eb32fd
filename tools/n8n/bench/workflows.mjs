// The real-n8n bench's workflows live with every other workflow in tools/workflows/ (bench.mjs); this module
// keeps the names bench/run.mjs imports.
export {
	BENCH_CREDENTIAL_ID as CREDENTIAL_ID,
	BENCH_MAPPINGS as MAPPINGS,
	BENCH_VARIANTS as VARIANTS,
	BENCH_WAIT_POLL_INTERVAL_S as WAIT_POLL_INTERVAL_S,
	BENCH_WEBHOOKS as WEBHOOKS,
	benchBatchWorkflow as batchWorkflow,
	benchBatchWorkflowId as batchWorkflowId,
	benchEventBody as eventBody,
	benchWebhookPath as webhookPath,
	benchWebhookWorkflow as webhookWorkflow,
	benchWebhookWorkflowId as webhookWorkflowId,
} from '../../workflows/index.mjs';
