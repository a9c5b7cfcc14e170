/** The chaos run's recovery figure: from each worker kill that found orders waiting to the next decision. */
import { describe, expect, it } from 'vitest';
import type { PaperOrderState } from '../../schemas/temporal/orders.js';
import { decidedAt, recoveryAfterKills } from '../../scripts/chaos/recovery.js';

function order(created: number, outcome: { fillTs?: number; rejected?: { code: string; at: number } }): PaperOrderState {
  return {
    created_ts: created,
    updated_ts: outcome.rejected?.at ?? outcome.fillTs ?? created,
    status: outcome.fillTs !== undefined ? 'filled' : outcome.rejected ? 'rejected' : 'pending',
    fills: outcome.fillTs !== undefined ? [{ ts: outcome.fillTs }] : [],
    rejection: outcome.rejected ? { code: outcome.rejected.code, message: '', risk_check_id: null, reasons: [] } : null,
  } as unknown as PaperOrderState;
}

describe('recovery after worker kills', () => {
  it('counts a fill or a gate rejection as a decision, never a refusal for an unreachable gate or venue', () => {
    expect(decidedAt(order(0, { fillTs: 50 }))).toBe(50);
    expect(decidedAt(order(0, { rejected: { code: 'RISK_REJECTED', at: 70 } }))).toBe(70);
    expect(decidedAt(order(0, { rejected: { code: 'RISK_GATE_BUSY', at: 70 } }))).toBeNull();
    expect(decidedAt(order(0, { rejected: { code: 'VENUE_UNAVAILABLE', at: 70 } }))).toBeNull();
    expect(decidedAt(order(0, {}))).toBeNull();
  });

  it('measures each kill that found orders waiting to the first decision after it, and skips idle kills', () => {
    const orders = [order(0, { fillTs: 900 }), order(1_000, { fillTs: 4_000 }), order(1_500, { rejected: { code: 'RISK_REJECTED', at: 3_000 } })];
    // At 500 the first order waits (decided at 900); at 2_000 two wait (first decided at 3_000); at 10_000 nothing waits.
    expect(recoveryAfterKills([500, 2_000, 10_000], orders)).toEqual({ delaysMs: [400, 1_000], neverDecided: 0 });
  });

  it('counts a kill after which a waiting order was never decided', () => {
    const orders = [order(0, { fillTs: 100 }), order(200, { rejected: { code: 'RISK_GATE_BUSY', at: 9_000 } })];
    expect(recoveryAfterKills([50, 300], orders)).toEqual({ delaysMs: [50], neverDecided: 1 });
  });
});
