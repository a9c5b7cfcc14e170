/**
 * The one way a caller (a tool, an activity, a script) runs a short request workflow and waits for
 * its answer. Reads that need the worker (a venue, several workflows' state put together) are one
 * short workflow per call, the durable record of what was asked and answered; reads of a single
 * running workflow's state are queries instead (see docs/ARCHITECTURE.md, "Reads").
 *
 * The workflow's execution timeout equals the caller's wait, so a request made while no worker
 * runs neither hangs the caller nor leaves a workflow behind; the caller is told which of the two
 * (no worker, or its own cancellation) ended the wait.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { CallError } from './call-error.js';
import { linkedSignalWithTimeout } from '../runtime/linked-signal.js';
import { startOptionsFor } from './start-options.js';

export interface RequestWorkflow<W extends Workflow> {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: Parameters<W>;
  /** What was asked, for the error text (a tool name such as "get_market_snapshot"). */
  what: string;
  /** How long the caller waits for the answer. */
  waitMs: number;
  signal?: AbortSignal;
}

export interface RequestAnswer<W extends Workflow> {
  result: WorkflowResultType<W>;
  workflowId: string;
  runId: string;
}

export function workerUnavailable(what: string, waitMs: number, taskQueue: string, workflowId: string): CallError {
  return new CallError(
    'WORKER_UNAVAILABLE',
    `no worker answered ${what} within ${waitMs / 1000} s on task queue ${taskQueue} (request ${workflowId})`,
    'Start the worker (`npm start` or `npm run worker`) with the same TEMPORAL_TASK_QUEUE as this caller.',
    true,
  );
}

function cancelled(what: string, workflowId: string): CallError {
  return new CallError('CANCELLED', `${what} was cancelled (request ${workflowId} may still complete)`, 'Call again if the answer is still needed.', true);
}

function isTimeout(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e.name === 'TimeoutFailure') return true;
  }
  return false;
}

export async function runRequestWorkflow<W extends Workflow>(client: Client, req: RequestWorkflow<W>): Promise<RequestAnswer<W>> {
  const handle = await client.workflow.start<W>(
    req.workflowType,
    startOptionsFor<W>({ workflowId: req.workflowId, taskQueue: req.taskQueue, args: req.args, workflowExecutionTimeout: `${req.waitMs} ms` }),
  );
  // Not AbortSignal.any: see linked-signal.ts for what a composite signal keeps per call on Node 20.
  const deadline = linkedSignalWithTimeout(req.signal ? [req.signal] : [], req.waitMs);
  try {
    const result = await client.withAbortSignal(deadline.signal, () => handle.result());
    return { result, workflowId: req.workflowId, runId: handle.firstExecutionRunId };
  } catch (err) {
    if (req.signal?.aborted) throw cancelled(req.what, req.workflowId);
    if (deadline.timedOut() || isTimeout(err)) throw workerUnavailable(req.what, req.waitMs, req.taskQueue, req.workflowId);
    throw err;
  } finally {
    deadline.release();
  }
}

/** The promise's value if it settles within waitMs (or before `signal` aborts), otherwise undefined; a rejection passes through. */
export async function within<T>(promise: Promise<T>, waitMs: number, signal?: AbortSignal): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
    onAbort = () => resolve(undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    // A listener left on a signal that outlives this wait would keep the wait (and its promise) alive with it.
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A durable mutation's result if it completes within waitMs, otherwise undefined: the workflow
 * goes on, and the caller reports it as pending with its id.
 */
export function resultWithin<W extends Workflow>(
  handle: WorkflowHandle<W>,
  waitMs: number,
  signal: AbortSignal,
): Promise<WorkflowResultType<W> | undefined> {
  return within(handle.result(), waitMs, signal);
}
