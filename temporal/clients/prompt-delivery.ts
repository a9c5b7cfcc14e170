/**
 * Owns the client side of prompt delivery: one short workflow per prompt, keyed by its target and
 * message_id, that lands the prompt in the target's inbox exactly once. prompt_agent and the intent
 * bus's agent subscriber both deliver through here, so both record the same fingerprint and a
 * delivery is the same one whichever way it came.
 */
import type { Client } from '@temporalio/client';
import {
  INBOX_FULL,
  PROMPT_DELIVERY_WORKFLOW,
  promptDeliveryWorkflowId,
  type PromptDeliveryRequest,
  type PromptDeliveryResult,
} from '../../schemas/temporal/agents.js';
import { failureType } from '../../schemas/temporal/failure-type.js';
import type { promptDeliveryWorkflow } from '../../worker/workflows/agents/prompt-delivery.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../idempotent-start.js';
import { resultWithin } from '../request-workflow.js';

/** How long prompt_agent waits to report 'delivered' before answering 'queued' (delivery goes on). */
const DELIVERY_WAIT_MS = 10_000;

export interface Prompt {
  target: string;
  message_id: string;
  from: string | null;
  text: string;
}

export type StartedDelivery = StartedWorkflow<typeof promptDeliveryWorkflow>;

export interface SentPrompt extends Omit<StartedDelivery, 'handle'> {
  /** Undefined while the delivery is still under way (it goes on durably). */
  result: PromptDeliveryResult | undefined;
  workflowId: string;
}

/** Starts (or finds) the delivery of a prompt; the same message_id with other text is an IDEMPOTENCY_CONFLICT. */
export async function startPromptDelivery(client: Client, taskQueue: string, prompt: Prompt): Promise<StartedDelivery> {
  const request: PromptDeliveryRequest = { ...prompt, text_digest: await sha256Hex(prompt.text) };
  const workflowId = promptDeliveryWorkflowId(prompt.target, prompt.message_id);
  return startIdempotent<typeof promptDeliveryWorkflow>(client, {
    workflowType: PROMPT_DELIVERY_WORKFLOW,
    workflowId,
    taskQueue,
    args: [request],
    fingerprint: await sha256Hex({ target: prompt.target, text_digest: request.text_digest, from: request.from }),
    keyName: 'message_id',
  });
}

/** prompt_agent: starts the delivery and waits a little for it to land. */
export async function sendPrompt(client: Client, taskQueue: string, prompt: Prompt, signal: AbortSignal): Promise<SentPrompt> {
  const started = await startPromptDelivery(client, taskQueue, prompt);
  const result = await resultWithin(started.handle, DELIVERY_WAIT_MS, signal);
  return { result, runId: started.runId, duplicate: started.duplicate, workflowId: started.handle.workflowId };
}

/** The delivery's recorded result, or null when the inbox was full and refused it (that message id is spent). */
export async function deliveredOrRefused(delivery: StartedDelivery): Promise<PromptDeliveryResult | null> {
  const { WorkflowFailedError } = await import('../client-sdk.js');
  try {
    return await delivery.handle.result();
  } catch (err) {
    if (err instanceof WorkflowFailedError && failureType(err) === INBOX_FULL) return null;
    throw err;
  }
}
