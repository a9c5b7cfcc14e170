/**
 * Sends a workflow update, asking again when the server reports that the worker which received it
 * never processed it (the worker went away mid-task): the next worker will. Every tool that sends
 * an update goes through here, so a worker crash never surfaces as a tool error. `send` must build
 * a fresh request each time (a WithStartWorkflowOperation is single-use).
 */
import { failureType } from '../schemas/temporal/failure-type.js';

const ATTEMPTS = 4;
const FIRST_BACKOFF_MS = 500;

export async function retryUnprocessedUpdate<T>(send: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= ATTEMPTS || signal.aborted || failureType(err) !== 'UnprocessedUpdate') throw err;
      await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}
