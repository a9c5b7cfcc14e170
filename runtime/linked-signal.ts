/**
 * A signal that aborts when any of its sources does, without AbortSignal.any. On Node 20 a signal
 * made by AbortSignal.any is kept alive for good once it has an 'abort' listener that is never
 * removed, even after it aborts, and the Temporal client adds exactly such a listener for every
 * gRPC call made under withAbortSignal (it holds the call, its request and its answer). A plain
 * AbortController's signal has no such hold: whatever listens on it goes when the call is done.
 * `release()` takes this signal's own listeners off the sources, so a long-lived source (a
 * server's shutdown signal) keeps nothing per call; call it when the work under the signal ends.
 * A composite also holds its sources only weakly: an AbortSignal.timeout source is collected at
 * the next garbage collection and the composite never fires, so a deadline must be a timer held
 * here (linkedSignalWithTimeout), never AbortSignal.any with AbortSignal.timeout.
 */
export interface LinkedSignal {
  signal: AbortSignal;
  release(): void;
}

export function linkedSignal(sources: readonly AbortSignal[]): LinkedSignal {
  const controller = new AbortController();
  const aborted = sources.find((s) => s.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, release: () => undefined };
  }
  const onAbort = (event: Event) => {
    release();
    controller.abort((event.target as AbortSignal).reason);
  };
  const release = () => {
    for (const source of sources) source.removeEventListener('abort', onAbort);
  };
  for (const source of sources) source.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, release };
}

/** A linked signal that also aborts after `ms`; its timer goes with release(). */
export function linkedSignalWithTimeout(sources: readonly AbortSignal[], ms: number): LinkedSignal & { timedOut(): boolean } {
  const timer = new AbortController();
  // Unreferenced, as AbortSignal.timeout's timer is: a pending wait must not keep a process alive.
  const timeout = setTimeout(() => timer.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms).unref();
  const linked = linkedSignal([...sources, timer.signal]);
  return {
    signal: linked.signal,
    timedOut: () => timer.signal.aborted,
    release: () => {
      clearTimeout(timeout);
      linked.release();
    },
  };
}
