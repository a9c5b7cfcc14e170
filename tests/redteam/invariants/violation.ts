/** One broken promise of the risk gate, with what the checker saw. */
export type InvariantName =
  | 'readable'
  | 'no-fill-while-halted'
  | 'no-exposure-increase-while-reducing'
  | 'state-change-recorded'
  | 'loosening-needs-person'
  | 'tightening-stops-orders'
  | 'stop-reason-named'
  | 'max-order-notional'
  | 'max-symbol-notional'
  | 'max-gross-exposure'
  | 'max-working-orders'
  | 'working-count-follows-orders'
  | 'limits-unchanged'
  | 'dry-run-is-dry'
  | 'structured-rejection'
  | 'unknown-account-refused'
  | 'forbidden-key-refused'
  | 'fill-size'
  | 'ledger-consistent';

export interface Violation {
  invariant: InvariantName;
  message: string;
  context?: unknown;
}

const MAX_SHOWN = 25;

/** A failure message a person can act on: each violation with its context, the first few in full. */
export function formatViolations(violations: Violation[]): string {
  if (violations.length === 0) return 'no violations';
  const shown = violations.slice(0, MAX_SHOWN).map((v, i) => `${i + 1}. [${v.invariant}] ${v.message}${v.context === undefined ? '' : `\n   ${JSON.stringify(v.context)}`}`);
  const more = violations.length > MAX_SHOWN ? `\n… and ${violations.length - MAX_SHOWN} more` : '';
  return `${violations.length} invariant violation(s):\n${shown.join('\n')}${more}`;
}
