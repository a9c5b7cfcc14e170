/**
 * Owns the client side of an agent's durable conversation (one long-lived workflow per agent,
 * created by its first turn and continuing as new): saving a turn, and reading the conversation
 * back without creating anything.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  CONVERSATION_WORKFLOW,
  appendTurnUpdate,
  conversationViewQuery,
  conversationWorkflowId,
  type AppendTurnResult,
  type ConversationMessage,
  type ConversationView,
  type ConversationViewRequest,
} from '../../schemas/temporal/conversation.js';
import type { conversationWorkflow } from '../../worker/workflows/agents/conversation.js';
import { sha256Hex } from '../idempotent-start.js';
import { retryUnprocessedUpdate } from '../retry-unprocessed-update.js';

export interface ConversationTurn {
  agent: string;
  turn_id: string;
  messages: readonly ConversationMessage[];
}

/** The messages in one fixed field order, so the same turn always has the same digest. */
function canonical(messages: readonly ConversationMessage[]): ConversationMessage[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.content,
    ...(m.tool_calls ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })) } : {}),
    ...(m.tool_call_id !== undefined ? { tool_call_id: m.tool_call_id } : {}),
  }));
}

/** Appends a turn (the workflow de-duplicates by turn_id) and names the run that answered. */
export async function appendConversationTurn(
  client: Client,
  taskQueue: string,
  turn: ConversationTurn,
  signal: AbortSignal,
): Promise<{ result: AppendTurnResult; runId: string }> {
  // Imported on first use: servers start without loading the gRPC client.
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  const messages = canonical(turn.messages);
  // The conversation is created by its first turn. The update id is left to the SDK on purpose:
  // Temporal would answer a repeated update id with the first outcome without asking the workflow,
  // which would hide a turn_id reused for different messages; the workflow de-duplicates by turn_id.
  const request = { turn_id: turn.turn_id, digest: await sha256Hex(messages), messages };
  const appendOnce = async (): Promise<{ result: AppendTurnResult; runId: string }> => {
    const startConversation = new WithStartWorkflowOperation<typeof conversationWorkflow>(CONVERSATION_WORKFLOW, {
      workflowId: conversationWorkflowId(turn.agent),
      taskQueue,
      args: [{ agent: turn.agent }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    const result = await client.workflow.executeUpdateWithStart(appendTurnUpdate, { args: [request], startWorkflowOperation: startConversation });
    // Described by its id alone: the start operation's handle takes the run it was answered with
    // for the chain's first, so an update sent through it would be answered "not found".
    const { runId } = await client.workflow.getHandle<typeof conversationWorkflow>(conversationWorkflowId(turn.agent)).describe();
    return { result, runId };
  };
  return retryUnprocessedUpdate(appendOnce, signal);
}

/** The stored conversation and the run holding it, or null when the agent never saved a turn (nothing is created). */
export async function readConversation(client: Client, agent: string, request: ConversationViewRequest): Promise<{ view: ConversationView; runId: string } | null> {
  const handle = client.workflow.getHandle<typeof conversationWorkflow>(conversationWorkflowId(agent));
  try {
    const [description, view] = await Promise.all([handle.describe(), handle.query(conversationViewQuery, request)]);
    return { view, runId: description.runId };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
