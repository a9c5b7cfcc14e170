import { promptAgent } from '../../../schemas/agents.js';
import {
  PROMPT_DELIVERY_WORKFLOW,
  inboxWorkflowId,
  promptDeliveryWorkflowId,
  type PromptDeliveryRequest,
  type PromptDeliveryResult,
} from '../../../schemas/temporal/agents.js';
import { defineTool } from '../../kit/define-tool.js';
import { resultWithin, sha256Hex, startIdempotent } from '../../../temporal/idempotent-start.js';

/** How long the call waits to report 'delivered' before answering 'queued' (delivery goes on). */
const DELIVERY_WAIT_MS = 10_000;

export const promptAgentTool = defineTool(promptAgent, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const messageId = input.message_id ?? crypto.randomUUID();
  const textDigest = await sha256Hex(input.message);
  const request: PromptDeliveryRequest = {
    target: input.target,
    message_id: messageId,
    from: input.from ?? null,
    text: input.message,
    text_digest: textDigest,
  };
  const started = await startIdempotent(client, {
    workflowType: PROMPT_DELIVERY_WORKFLOW,
    workflowId: promptDeliveryWorkflowId(input.target, messageId),
    taskQueue: temporal.env.taskQueue,
    args: [request],
    fingerprint: await sha256Hex({ target: input.target, text_digest: textDigest, from: request.from }),
    keyName: 'message_id',
  });
  const result = await resultWithin<PromptDeliveryResult>(started.handle, DELIVERY_WAIT_MS, signal);
  return {
    message_id: messageId,
    target: input.target,
    status: result ? ('delivered' as const) : ('queued' as const),
    duplicate: started.duplicate || Boolean(result?.duplicate),
    seq: result ? result.seq : null,
    inbox_workflow_id: inboxWorkflowId(input.target),
    workflow_id: started.handle.workflowId,
    run_id: started.runId,
  };
});
