/**
 * Owns what a caller's id is (client_order_id, an intent's or a message's id): 1-128 letters,
 * digits, ".", "_", ":" or "-", starting with a letter or digit. These ids are idempotency keys and
 * become part of workflow ids (order:<client_order_id>), so they stay short and readable in the
 * Temporal UI. The tool contracts and the paper-order workflow check ids with this one pattern.
 * Plain TypeScript (no zod, no Node built-ins): it runs in workflow code as well.
 */

/** Written as a literal: zod copies it into the generated JSON Schema as the `pattern` of an id. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export const IDEMPOTENCY_KEY_RULE = 'use 1-128 characters: letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

export function isIdempotencyKey(value: unknown): value is string {
  return typeof value === 'string' && IDEMPOTENCY_KEY.test(value);
}
