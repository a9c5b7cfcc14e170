/** The soak's own assertions: plain errors that name the tool and what its answer got wrong. */
import { eventually } from '../stack/eventually.js';

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
export function within<T>(timeoutMs: number, attempt: () => Promise<T>, pauseMs = 250): Promise<T> {
  return eventually(attempt, timeoutMs, pauseMs);
}
