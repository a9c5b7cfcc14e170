import { ApplicationFailure } from '@temporalio/common';

/** The ApplicationFailure type anywhere in a failure's cause chain, if any. */
export function failureType(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (current instanceof ApplicationFailure && current.type) return current.type;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
