/**
 * Owns the client side of an intent submission: one workflow per intent_id, started exactly once,
 * that asks the risk gate and, when approved, publishes the intent on the bus. submit_intent waits
 * a bounded time for the outcome; the submission goes on durably after.
 */
import type { Client } from '@temporalio/client';
import {
  INTENT_SUBMISSION_WORKFLOW,
  intentSubmissionWorkflowId,
  type IntentSubmission,
  type IntentSubmissionResult,
} from '../../schemas/temporal/intents.js';
import type { intentSubmissionWorkflow } from '../../worker/workflows/execution/intents/intent-submission.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../idempotent-start.js';
import { resultWithin } from '../request-workflow.js';

/** How long submit_intent waits for the gate's decision and the broadcast. */
export const DECISION_WAIT_MS = 20_000;

export type StartedSubmission = StartedWorkflow<typeof intentSubmissionWorkflow>;

export interface SubmittedIntent extends Omit<StartedSubmission, 'handle'> {
  /** Undefined when not decided within DECISION_WAIT_MS. */
  result: IntentSubmissionResult | undefined;
  workflowId: string;
}

/** Starts (or finds) the submission of an intent; the same intent_id with other legs is an IDEMPOTENCY_CONFLICT. */
export async function startIntentSubmission(client: Client, taskQueue: string, submission: IntentSubmission): Promise<StartedSubmission> {
  const workflowId = intentSubmissionWorkflowId(submission.intent_id);
  return startIdempotent<typeof intentSubmissionWorkflow>(client, {
    workflowType: INTENT_SUBMISSION_WORKFLOW,
    workflowId,
    taskQueue,
    args: [submission],
    // Where the intent came from does not change what it asks: not part of the fingerprint.
    fingerprint: await sha256Hex({ account: submission.account, legs: submission.legs, max_slippage_bps: submission.max_slippage_bps }),
    keyName: 'intent_id',
  });
}

/** submit_intent: starts the submission and waits up to DECISION_WAIT_MS for its outcome. */
export async function submitIntentAndWait(client: Client, taskQueue: string, submission: IntentSubmission, signal: AbortSignal): Promise<SubmittedIntent> {
  const started = await startIntentSubmission(client, taskQueue, submission);
  const result = await resultWithin(started.handle, DECISION_WAIT_MS, signal);
  return { result, runId: started.runId, duplicate: started.duplicate, workflowId: started.handle.workflowId };
}
