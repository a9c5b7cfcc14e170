/**
 * Owns the client side of an agent's inbox (one long-lived workflow per agent, created by
 * whoever reaches it first and continuing as new): the start every writer and reader shares, the
 * enqueue the delivery activity sends, next_prompt's claim, and the status and peek reads. The
 * inbox is always addressed by its workflow id alone, so a hand-over never strands a caller.
 */
import type { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { failureType } from '../../schemas/temporal/failure-type.js';
import {
  AGENT_INBOX_WORKFLOW,
  INBOX_FULL,
  claimNextMessageUpdate,
  enqueueMessageUpdate,
  inboxPeekQuery,
  inboxStatusQuery,
  inboxWorkflowId,
  promptDeliveryWorkflowId,
  type ClaimResult,
  type EnqueueResult,
  type InboxMessage,
  type InboxStatus,
  type PromptDeliveryRequest,
} from '../../schemas/temporal/agents.js';
import type { agentInboxWorkflow } from '../../worker/workflows/agents/agent-inbox.js';
import { queryIfRunning } from '../query-if-running.js';
import { retryUnprocessedUpdate } from '../retry-unprocessed-update.js';

/** A claim that meets the inbox mid-hand-over is asked again; this bounds how often. */
const MAX_HANDOVER_RETRIES = 5;

export type InboxStart = WithStartWorkflowOperation<typeof agentInboxWorkflow>;

/**
 * The inbox's start, sent along with every update: the inbox is created on first use, so an agent
 * can wait before anyone has written to it. Single-use: build one per update.
 */
export async function inboxStart(taskQueue: string, agent: string): Promise<InboxStart> {
  // Imported on first use: servers start without loading the gRPC client.
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  return new WithStartWorkflowOperation<typeof agentInboxWorkflow>(AGENT_INBOX_WORKFLOW, {
    workflowId: inboxWorkflowId(agent),
    taskQueue,
    args: [{ agent }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/**
 * Puts a prompt into its target's inbox (deduplicated there by message_id). A full inbox is a
 * non-retryable InboxFull failure: the message id is spent, and the sender sends again later
 * under a new one.
 */
export async function enqueueMessage(client: Client, taskQueue: string, prompt: Omit<PromptDeliveryRequest, 'text_digest'>): Promise<EnqueueResult> {
  const { WorkflowUpdateFailedError } = await import('../client-sdk.js');
  try {
    return await client.workflow.executeUpdateWithStart(enqueueMessageUpdate, {
      args: [
        {
          message_id: prompt.message_id,
          from: prompt.from,
          text: prompt.text,
          prompt_workflow_id: promptDeliveryWorkflowId(prompt.target, prompt.message_id),
        },
      ],
      startWorkflowOperation: await inboxStart(taskQueue, prompt.target),
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && failureType(err.cause) === INBOX_FULL) {
      throw ApplicationFailure.create({
        type: INBOX_FULL,
        nonRetryable: true,
        message: `${prompt.target}'s ${err.cause?.message ?? 'inbox is full'}; the agent drains it with next_prompt, then send again with a new message_id (this one is recorded as refused)`,
      });
    }
    throw err;
  }
}

/** One claim, answered once the inbox has handled it; the same update id gets the same answer. */
export async function claimNextMessage(client: Client, taskQueue: string, agent: string, waitMs: number, updateId?: string): Promise<ClaimResult> {
  return client.workflow.executeUpdateWithStart(claimNextMessageUpdate, {
    args: [{ wait_ms: waitMs }],
    ...(updateId ? { updateId } : {}),
    startWorkflowOperation: await inboxStart(taskQueue, agent),
  });
}

export interface NextMessageRequest {
  agent: string;
  waitMs: number;
  /** Names the claim: the same claim id always gets the same answer, so a retried call never takes a second message. */
  claimId: string;
}

/**
 * next_prompt's take: the oldest undelivered message, waiting up to waitMs for one. A claim that
 * meets a hand-over is asked again of the next run for the rest of the wait; a worker that went
 * away mid-claim is asked again too.
 */
export async function takeNextMessage(client: Client, taskQueue: string, req: NextMessageRequest, signal: AbortSignal): Promise<ClaimResult> {
  const deadline = Date.now() + req.waitMs;
  for (let attempt = 0; ; attempt += 1) {
    const updateId = attempt === 0 ? `claim:${req.claimId}` : `claim:${req.claimId}:${attempt}`;
    const claim = await retryUnprocessedUpdate(() => claimNextMessage(client, taskQueue, req.agent, Math.max(0, deadline - Date.now()), updateId), signal);
    const retry = claim.rolled_over && attempt < MAX_HANDOVER_RETRIES && !signal.aborted;
    if (!retry || Date.now() >= deadline) return claim;
  }
}

/** The inbox's counters, or null when nobody has written to or read from it yet. */
export function readInboxStatus(client: Client, agent: string): Promise<InboxStatus | null> {
  return queryIfRunning(client, inboxWorkflowId(agent), inboxStatusQuery);
}

/** The oldest undelivered messages without taking them, or null when the inbox does not exist. */
export function peekInbox(client: Client, agent: string, limit: number): Promise<InboxMessage[] | null> {
  return queryIfRunning(client, inboxWorkflowId(agent), inboxPeekQuery, limit);
}
