import { saveConversationTurn } from '../../../schemas/agents-conversation.js';
import {
  CONVERSATION_WORKFLOW,
  appendTurnUpdate,
  conversationWorkflowId,
  type AppendTurnResult,
  type ConversationMessage,
} from '../../../schemas/temporal/conversation.js';
import { defineTool } from '../../kit/define-tool.js';
import { retryUnprocessedUpdate } from '../../../temporal/retry-unprocessed-update.js';
import { sha256Hex } from '../../../temporal/idempotent-start.js';

/** The messages in one fixed field order, so the same turn always has the same digest. */
function canonical(messages: readonly ConversationMessage[]): ConversationMessage[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.content,
    ...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : {}),
    ...(m.tool_call_id !== undefined ? { tool_call_id: m.tool_call_id } : {}),
  }));
}

export const saveConversationTurnTool = defineTool(saveConversationTurn, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const { WithStartWorkflowOperation } = await import('@temporalio/client');
  const workflowId = conversationWorkflowId(input.agent);
  const messages = canonical(input.messages);
  // The conversation is created by its first turn. The update id is left to the SDK on purpose:
  // Temporal would answer a repeated update id with the first outcome without asking the workflow,
  // which would hide a turn_id reused for different messages; the workflow de-duplicates by turn_id.
  const turn = { turn_id: input.turn_id, digest: await sha256Hex(messages), messages };
  const appendOnce = async (): Promise<{ result: AppendTurnResult; runId: string }> => {
    const startConversation = new WithStartWorkflowOperation(CONVERSATION_WORKFLOW, {
      workflowId,
      taskQueue: temporal.env.taskQueue,
      args: [{ agent: input.agent }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const result: AppendTurnResult = await client.workflow.executeUpdateWithStart(appendTurnUpdate, {
      args: [turn],
      startWorkflowOperation: startConversation,
    });
    return { result, runId: (await (await startConversation.workflowHandle()).describe()).runId };
  };
  const { result, runId } = await retryUnprocessedUpdate(appendOnce, signal);
  return { agent: input.agent, ...result, workflow_id: workflowId, run_id: runId };
});
