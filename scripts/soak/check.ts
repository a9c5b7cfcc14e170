/** The soak's own assertions: plain errors that name the tool and what its answer got wrong. */

export class SoakCheckError extends Error {}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SoakCheckError(message);
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/** Repeats `attempt` until it stops throwing or `timeoutMs` passes, then rethrows its last error. */
export async function within<T>(timeoutMs: number, attempt: () => Promise<T>, pauseMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
