/**
 * The `IWorkflowExecuteAdditionalData` WorkflowExecute runs with, modelled on n8n's
 * packages/cli/src/workflow-execute-additional-data.ts `getBase`: no sub-workflows (`executeWorkflow`
 * throws), no task runners (Code node), no external secrets.
 */
import { ExternalSecretsProxy, type ExecutionLifecycleHooks } from 'n8n-core';
import type { ICredentialsHelper, IDataObject, IWorkflowExecuteAdditionalData, IWorkflowSettings } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

const INSTANCE_BASE_URL = 'http://localhost:5678/';

export function buildAdditionalData(args: {
	credentialsHelper: ICredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId: string;
	workflowId: string;
	settings: IWorkflowSettings;
	variables: IDataObject;
}): IWorkflowExecuteAdditionalData {
	const timeout = Number(args.settings.executionTimeout ?? 0);
	return {
		credentialsHelper: args.credentialsHelper,
		hooks: args.hooks,
		executionId: args.executionId,
		workflowId: args.workflowId,
		userId: 'test-user',
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: timeout > 0 ? Date.now() + timeout * 1000 : undefined,
		restApiUrl: `${INSTANCE_BASE_URL}rest`,
		instanceBaseUrl: INSTANCE_BASE_URL,
		formBaseUrl: `${INSTANCE_BASE_URL}form`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}form-waiting`,
		formTestBaseUrl: `${INSTANCE_BASE_URL}form-test`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}webhook-test`,
		mcpBaseUrl: `${INSTANCE_BASE_URL}mcp`,
		mcpTestBaseUrl: `${INSTANCE_BASE_URL}mcp-test`,
		variables: args.variables,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: async () => {
			throw new UnexpectedError('runWorkflow: sub-workflow execution is not supported by the test harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new UnexpectedError('runWorkflow: task runners (Code node) are not available in the test harness');
		},
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	};
}
