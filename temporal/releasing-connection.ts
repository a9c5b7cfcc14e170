/**
 * The Temporal connection of a server process. The SDK's Connection adds an 'abort' listener,
 * never removed, to the signal given to withAbortSignal for every gRPC call it makes under it
 * (the listener holds the call, its request and its answer). Callers compose their deadlines with
 * AbortSignal.any, and on Node 20 such a signal is kept alive for good once it has a listener
 * that is never removed: every order left about 60 KiB of heap behind. This connection hands the SDK
 * a plain signal linked to the caller's instead, and unlinks it when the work is done, so nothing
 * of a call outlives it whatever signal the caller passes.
 */
import { Connection } from '@temporalio/client';
import { linkedSignal } from '../runtime/linked-signal.js';

export class ReleasingConnection extends Connection {
  override async withAbortSignal<R>(abortSignal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    const linked = linkedSignal([abortSignal]);
    try {
      return await super.withAbortSignal(linked.signal, fn);
    } finally {
      linked.release();
    }
  }
}
