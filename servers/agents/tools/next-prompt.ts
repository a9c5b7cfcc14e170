import { nextPrompt } from '../../../schemas/agents.js';
import {
  AGENT_INBOX_WORKFLOW,
  claimNextMessageUpdate,
  inboxWorkflowId,
  type ClaimResult,
} from '../../../schemas/temporal/agents.js';
import { defineTool } from '../../kit/define-tool.js';
import { retryUnprocessedUpdate } from '../../../temporal/retry-unprocessed-update.js';

/** A claim that meets the inbox mid-hand-over is asked again; this bounds how often. */
const MAX_HANDOVER_RETRIES = 5;

export const nextPromptTool = defineTool(nextPrompt, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const { WithStartWorkflowOperation } = await import('@temporalio/client');
  const workflowId = inboxWorkflowId(input.agent);
  const deadline = Date.now() + input.wait_sec * 1000;
  const claimBase = input.claim_id ?? crypto.randomUUID();

  for (let attempt = 0; ; attempt += 1) {
    // The inbox is created on first use, so an agent can wait before anyone has written to it.
    const claimOnce = async (): Promise<ClaimResult> => {
      const startInbox = new WithStartWorkflowOperation(AGENT_INBOX_WORKFLOW, {
        workflowId,
        taskQueue: temporal.env.taskQueue,
        args: [{ agent: input.agent }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return client.workflow.executeUpdateWithStart(claimNextMessageUpdate, {
        args: [{ wait_ms: Math.max(0, deadline - Date.now()) }],
        // Same claim id, same answer: a retried call never takes a second message.
        updateId: attempt === 0 ? `claim:${claimBase}` : `claim:${claimBase}:${attempt}`,
        startWorkflowOperation: startInbox,
      });
    };
    const claim = await retryUnprocessedUpdate(claimOnce, signal);
    const retry = claim.rolled_over && attempt < MAX_HANDOVER_RETRIES && !signal.aborted;
    if (!retry || Date.now() >= deadline) {
      return { agent: input.agent, message: claim.message, remaining: claim.remaining, workflow_id: workflowId, run_id: claim.run_id };
    }
  }
});
