/**
 * A pause that ends early when its signal aborts, and leaves no listener behind either way: a
 * long-lived signal (a server's shutdown, a shared wait's bound) would otherwise collect one per
 * pause. It resolves in both cases; the caller checks the signal if it must tell them apart.
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
