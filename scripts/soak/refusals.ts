/**
 * Which tool errors a soak tolerates: a documented refusal is a business answer (its code is the
 * stack's own, and its text says retrying the same call will not help, e.g. REQUEST_REFUSED or a
 * risk code). Everything else, a transport or Temporal error, a missing workflow, an internal
 * error or an input the soak got wrong, is a failure.
 */
const NEVER_A_REFUSAL = new Set(['INTERNAL', 'WORKFLOW_NOT_FOUND', 'TEMPORAL_UNAVAILABLE', 'TEMPORAL_CONFIG', 'INVALID_INPUT']);

export function isDocumentedRefusal(errorText: string): boolean {
  const code = /^(?:[a-z_]+: )?([A-Z][A-Z0-9_]+): /.exec(errorText)?.[1];
  return code !== undefined && !NEVER_A_REFUSAL.has(code) && errorText.trimEnd().endsWith('Retrying the same call will not help.');
}
