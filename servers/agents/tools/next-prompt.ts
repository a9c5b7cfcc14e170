import { nextPrompt } from '../../../schemas/agents.js';
import { inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import { takeNextMessage } from '../../../temporal/clients/inbox.js';
import { defineTool } from '../../kit/define-tool.js';

export const nextPromptTool = defineTool(nextPrompt, async (input, { temporal, signal }) => {
  const claim = await takeNextMessage(
    await temporal.client(),
    temporal.env.taskQueue,
    { agent: input.agent, waitMs: input.wait_sec * 1000, claimId: input.claim_id ?? crypto.randomUUID() },
    signal,
  );
  return { agent: input.agent, message: claim.message, remaining: claim.remaining, workflow_id: inboxWorkflowId(input.agent), run_id: claim.run_id };
});
