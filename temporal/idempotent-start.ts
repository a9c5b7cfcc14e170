/**
 * The exactly-once rule for mutating tools: the idempotency key becomes the workflow id, started
 * with conflict policy USE_EXISTING (a concurrent duplicate attaches to the running workflow) and
 * reuse policy REJECT_DUPLICATE (a later duplicate finds the closed one and reads its recorded
 * result). A fingerprint of the request is kept in the memo so that reusing a key for a different
 * request is refused instead of silently returning the other request's result.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, type Workflow } from '@temporalio/common';
import { CallError } from './call-error.js';
import { startOptionsFor } from './start-options.js';

export interface IdempotentStart<W extends Workflow> {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: Parameters<W>;
  /** A digest of what the caller asked for; the same key with another fingerprint is a conflict. */
  fingerprint: string;
  /** What the key is called in the tool's input, for the error text. */
  keyName: string;
}

export interface StartedWorkflow<W extends Workflow = Workflow> {
  handle: WorkflowHandle<W>;
  runId: string;
  /** The key had been used before: nothing new was started. */
  duplicate: boolean;
}

export async function startIdempotent<W extends Workflow>(client: Client, req: IdempotentStart<W>): Promise<StartedWorkflow<W>> {
  const nonce = crypto.randomUUID();
  try {
    await client.workflow.start<W>(
      req.workflowType,
      startOptionsFor<W>({
        workflowId: req.workflowId,
        taskQueue: req.taskQueue,
        args: req.args,
        memo: { request_nonce: nonce, fingerprint: req.fingerprint },
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  // Addressed by its id alone: the handle start() returns pins the chain's first run, and an update
  // sent through it after a continue-as-new is answered "not found".
  const handle = client.workflow.getHandle<W>(req.workflowId);
  const description = await handle.describe();
  const memo = (description.memo ?? {}) as { request_nonce?: string; fingerprint?: string };
  if (memo.fingerprint !== undefined && memo.fingerprint !== req.fingerprint) {
    throw new CallError(
      'IDEMPOTENCY_CONFLICT',
      `${req.keyName} was already used for a different request (workflow ${req.workflowId})`,
      `Use a new ${req.keyName} for a new request, or repeat the original request unchanged to read its result.`,
      false,
    );
  }
  return { handle, runId: description.runId, duplicate: memo.request_nonce !== nonce };
}

/** SHA-256 hex of a JSON-able value: the fingerprint of a request. */
export async function sha256Hex(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
