/**
 * Cancelling an order: an update on its latest run that answers once the order has stopped. An
 * order that has already finished (or finishes meanwhile) reports cancelled: false with its final
 * state; a cancellation no worker confirms in time is an error the caller can safely repeat.
 */
import type { Client } from '@temporalio/client';
import { cancelOrderUpdate, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { CallError } from '../../call-error.js';
import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';
import { orderHandle, readOrder } from './read-order.js';

export interface CancelOutcome {
  /** True when this request stopped a working order (false: it had already finished). */
  cancelled: boolean;
  order: PaperOrderState;
  runId: string;
}

export async function cancelOrder(client: Client, clientOrderId: string, signal: AbortSignal, waitMs: number): Promise<CancelOutcome> {
  const current = await readOrder(client, clientOrderId);
  if (!current.running) return { cancelled: false, order: current.order, runId: current.runId };
  // Not AbortSignal.any with AbortSignal.timeout: see placement.ts (the deadline would never fire).
  const { signal: deadline, release } = linkedSignalWithTimeout([signal], waitMs);
  try {
    const outcome = await client.withAbortSignal(deadline, () => orderHandle(client, clientOrderId).executeUpdate(cancelOrderUpdate));
    return { ...outcome, runId: current.runId };
  } catch (err) {
    if (deadline.aborted && !signal.aborted) {
      throw new CallError(
        'CANCEL_NOT_CONFIRMED',
        `no worker confirmed the cancellation of ${clientOrderId} within ${waitMs / 1000} s`,
        'Check that the worker runs (npm start), then call cancel_order again; it is safe to repeat.',
        true,
      );
    }
    const after = await readOrder(client, clientOrderId);
    if (!after.running) return { cancelled: false, order: after.order, runId: after.runId };
    throw err;
  } finally {
    release();
  }
}
