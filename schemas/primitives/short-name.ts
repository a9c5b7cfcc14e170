/**
 * Owns what an agent or account name is: 1-64 lowercase letters, digits, "-" or "_", starting with
 * a letter or digit. Names become part of workflow ids (inbox:<agent>, ledger:<account>) and of
 * resource URIs (agent://<name>/inbox), so they stay short and safe in both. The tool contracts,
 * the LLM host's configuration and the operator CLI check names with this one pattern. Plain
 * TypeScript (no zod, no Node built-ins): it runs in workflow code as well.
 */

/** Written as a literal: zod copies it into the generated JSON Schema as the `pattern` of a name. */
export const SHORT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export function isShortName(value: unknown): value is string {
  return typeof value === 'string' && SHORT_NAME.test(value);
}
