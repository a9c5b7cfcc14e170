/**
 * Makes every activity end when it is cancelled (by its timeout, by its workflow, or by the worker
 * shutting down), even while it waits on another workflow: a delivery's result, an update, a query.
 * Its Temporal calls are bound to the cancellation, and the activity answers the cancellation at
 * once rather than when the call it waits in gives up; some SDK calls (an update's wait for its
 * outcome) go on polling after their request is cancelled. Without this, a worker shutting down
 * waits for ever on an activity that waits for a workflow only that worker would run. Every
 * activity is idempotent, so an attempt ended this way is simply tried again.
 */
import { Context } from '@temporalio/activity';

// Activities take and return whatever their workflows pass; the wrapper keeps each one's own type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActivityFunction = (...args: any[]) => Promise<unknown>;

function untilCancelled(signal: AbortSignal): { cancelled: Promise<never>; release(): void } {
  let onAbort = (): void => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    // The SDK's reason is the CancelledFailure it expects a cancelled activity to throw.
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { cancelled, release: () => signal.removeEventListener('abort', onAbort) };
}

export function boundToCancellation<T extends Record<string, ActivityFunction>>(activities: T): T {
  const bound = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: unknown[]) => {
      const { client, cancellationSignal } = Context.current();
      const { cancelled, release } = untilCancelled(cancellationSignal);
      try {
        return await Promise.race([client.withAbortSignal(cancellationSignal, () => activity(...args)), cancelled]);
      } finally {
        release();
      }
    },
  ]);
  return Object.fromEntries(bound) as T;
}
