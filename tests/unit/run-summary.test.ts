import { describe, expect, it } from 'vitest';
import { formatSummary, type RunSummary } from '../../scripts/stack/run-summary.js';

const full: RunSummary = { fills: 12, realized_pnl: '3.5', equity: '10003.5', nudges: 40, rejected_intents: 2, workflows: 310 };

describe('the run summary npm start prints', () => {
  it('prints every figure it read, with no note', () => {
    expect(formatSummary(full)).toBe('summary: 12 fills, realized PnL 3.5, equity 10003.5, 40 nudges, 2 intents rejected by risk, 310 workflows');
  });

  it('shows a figure it could not read as ?, never as a zero, and names what did not answer', () => {
    const line = formatSummary({ ...full, fills: null, realized_pnl: null, equity: null, nudges: null });
    expect(line).toContain('summary: ? fills, realized PnL ?, equity ?, ? nudges, 2 intents rejected by risk, 310 workflows');
    expect(line).toContain('the portfolio (the ledger server did not answer)');
    expect(line).toContain("the ensemble's status (the agents server did not answer)");
    expect(line).not.toContain('Temporal did not answer');
    expect(line).not.toMatch(/\b0 fills\b/);
  });

  it('blames Temporal, not the servers, for a workflow count it could not read', () => {
    const line = formatSummary({ ...full, workflows: null });
    expect(line).toContain('? workflows');
    expect(line).toContain('(? = not read: the workflow count (Temporal did not answer))');
    expect(line).not.toContain('server did not answer');
  });
});
