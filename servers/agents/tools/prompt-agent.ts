import { promptAgent } from '../../../schemas/agents.js';
import { inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import { sendPrompt } from '../../../temporal/clients/prompt-delivery.js';
import { defineTool } from '../../kit/define-tool.js';

export const promptAgentTool = defineTool(promptAgent, async (input, { temporal, signal }) => {
  const messageId = input.message_id ?? crypto.randomUUID();
  const sent = await sendPrompt(
    await temporal.client(),
    temporal.env.taskQueue,
    { target: input.target, message_id: messageId, from: input.from ?? null, text: input.message },
    signal,
  );
  return {
    message_id: messageId,
    target: input.target,
    status: sent.result ? ('delivered' as const) : ('queued' as const),
    duplicate: sent.duplicate || Boolean(sent.result?.duplicate),
    seq: sent.result ? sent.result.seq : null,
    inbox_workflow_id: inboxWorkflowId(input.target),
    workflow_id: sent.workflowId,
    run_id: sent.runId,
  };
});
