/**
 * The red team's invariant checker on hand-made records: it must flag what it promises to flag
 * (a fill while HALTED, a buy while REDUCING, a loosening without a person, a change the log never
 * recorded, a position past its limit) and pass what is allowed (fills booked before a halt answered,
 * sells while REDUCING, a loosening with the operator's code, a breaker trip's in-flight fills). A
 * checker that flagged nothing would make every red-team test pass; this keeps it honest.
 */
import { describe, expect, it } from 'vitest';
import type { TradingStateChange } from '../../schemas/temporal/risk.js';
import { Journal, type StateAnswer } from './harness/journal.js';
import { exposureWithinLimits, type LimitsBaseline } from './invariants/limits.js';
import type { FillsView, Snapshot } from './invariants/snapshot.js';
import { IN_FLIGHT_GRACE_MS, fillsAgainstState, tradingTimeline } from './invariants/trading-state.js';

const ACCOUNT = 't-checker';

type Fill = FillsView['fills'][number];

let seq = 0;
function fill(patch: Partial<Fill> & Pick<Fill, 'ts' | 'side'>): Fill {
  seq += 1;
  return {
    seq,
    fill_id: `order:c-${seq}#1`,
    client_order_id: `c-${seq}`,
    intent_id: null,
    order_workflow_id: `order:c-${seq}`,
    symbol: 'BTC/USDT',
    qty: '0.01',
    price: '100000',
    fee: '1',
    fee_currency: 'USDT',
    fee_quote: '1',
    liquidity: 'taker',
    realized_pnl: '0',
    cash_after: '0',
    position_qty_after: '0.01',
    avg_price_after: '100000',
    ...patch,
  };
}

function snapshot(fills: Fill[]): Snapshot {
  const view = { account: ACCOUNT, fills, matched: fills.length, retained_since_ts: null, fill_count: fills.length, workflow_id: 'ledger:t', run_id: 'r', report_workflow_id: 'w' };
  return { taken_at: 10_000, fills: view, portfolio: null, limits: null, stateLog: [], view: null, orders: new Map(), readErrors: [] };
}

const change = (from: TradingStateChange['from'], to: TradingStateChange['to'], at: number, authority: TradingStateChange['authority']): TradingStateChange => ({ from, to, at, reason: 'test', authority });

function answered(journal: Journal, by: StateAnswer['by'], from: StateAnswer['requested'], to: StateAnswer['requested'], at: number): void {
  journal.stateAnswers.push({ account: ACCOUNT, requested: to, by, answered_at: at, ok: true, error_code: null, result: { previous_state: from, trading_state: to, changed: true } });
}

const codes = (v: Array<{ invariant: string }>) => v.map((x) => x.invariant);

describe('the red-team invariant checker', () => {
  it('flags a fill after HALTED answered, not one booked before', () => {
    const journal = new Journal();
    answered(journal, 'agent', 'ACTIVE', 'HALTED', 1_000);
    const timeline = tradingTimeline(ACCOUNT, [change('ACTIVE', 'HALTED', 990, { kind: 'agent' })], journal);
    expect(timeline.violations).toEqual([]);
    expect(codes(fillsAgainstState(snapshot([fill({ ts: 995, side: 'buy' }), fill({ ts: 1_500, side: 'sell' })]), timeline))).toEqual(['no-fill-while-halted']);
  });

  it('ignores a loosening without a person, so what follows is still judged HALTED', () => {
    const journal = new Journal();
    answered(journal, 'agent', 'ACTIVE', 'HALTED', 1_000);
    answered(journal, 'elicitation', 'HALTED', 'ACTIVE', 2_010);
    const log = [change('ACTIVE', 'HALTED', 990, { kind: 'agent' }), change('HALTED', 'ACTIVE', 2_000, { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'host' })];
    const timeline = tradingTimeline(ACCOUNT, log, journal);
    expect(codes(timeline.violations)).toEqual(['loosening-needs-person']);
    expect(codes(fillsAgainstState(snapshot([fill({ ts: 2_500, side: 'buy' })]), timeline))).toEqual(['no-fill-while-halted']);
  });

  it("accepts a loosening with the operator's code, once, and the operator's own", () => {
    const journal = new Journal();
    journal.issuedCodes.push({ account: ACCOUNT, state: 'REDUCING', code_id: 'lc-1' });
    answered(journal, 'agent', 'ACTIVE', 'HALTED', 1_000);
    answered(journal, 'elicitation', 'HALTED', 'REDUCING', 2_010);
    answered(journal, 'operator', 'REDUCING', 'ACTIVE', 3_010);
    const log = [
      change('ACTIVE', 'HALTED', 990, { kind: 'agent' }),
      change('HALTED', 'REDUCING', 2_000, { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', code_id: 'lc-1' }),
      change('REDUCING', 'ACTIVE', 3_000, { kind: 'person', via: 'operator_cli', confirmed_by: 'ops' }),
    ];
    const timeline = tradingTimeline(ACCOUNT, log, journal);
    expect(timeline.violations).toEqual([]);
    const fills = [fill({ ts: 2_500, side: 'sell' }), fill({ ts: 2_600, side: 'buy' }), fill({ ts: 3_500, side: 'buy' })];
    expect(codes(fillsAgainstState(snapshot(fills), timeline))).toEqual(['no-exposure-increase-while-reducing']);
  });

  it('flags an operator_cli loosening the operator never made, and a reused code', () => {
    const journal = new Journal();
    journal.issuedCodes.push({ account: ACCOUNT, state: 'ACTIVE', code_id: 'lc-2' });
    const log = [
      change('ACTIVE', 'HALTED', 990, { kind: 'agent' }),
      change('HALTED', 'ACTIVE', 2_000, { kind: 'person', via: 'operator_cli', confirmed_by: 'forged' }),
      change('ACTIVE', 'HALTED', 3_000, { kind: 'agent' }),
      change('HALTED', 'ACTIVE', 4_000, { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', code_id: 'lc-2' }),
      change('ACTIVE', 'HALTED', 5_000, { kind: 'agent' }),
      change('HALTED', 'ACTIVE', 6_000, { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', code_id: 'lc-2' }),
    ];
    expect(codes(tradingTimeline(ACCOUNT, log, journal).violations)).toEqual(['loosening-needs-person', 'loosening-needs-person']);
  });

  it("gives a breaker trip's in-flight fills their grace, and no more", () => {
    const journal = new Journal();
    const timeline = tradingTimeline(ACCOUNT, [change('ACTIVE', 'REDUCING', 1_000, { kind: 'breaker', code: 'DAILY_LOSS_BREAKER' })], journal);
    const fills = [fill({ ts: 1_000 + IN_FLIGHT_GRACE_MS - 1, side: 'buy' }), fill({ ts: 1_000 + IN_FLIGHT_GRACE_MS + 1, side: 'buy' })];
    expect(codes(fillsAgainstState(snapshot(fills), timeline))).toEqual(['no-exposure-increase-while-reducing']);
  });

  it('flags a change answered to the client that the state log never recorded', () => {
    const journal = new Journal();
    answered(journal, 'agent', 'ACTIVE', 'HALTED', 1_000);
    expect(codes(tradingTimeline(ACCOUNT, [], journal).violations)).toEqual(['state-change-recorded']);
  });

  it('flags a position past max_symbol_notional beyond the tolerance, not within it', () => {
    const baseline = { limits: { max_symbol_notional: '3000', max_gross_exposure: '100000', max_order_notional: '100000', max_working_orders: 10 }, limits_loaded_at: 0 } as unknown as LimitsBaseline;
    const within = snapshot([fill({ ts: 1, side: 'buy', qty: '0.0302', position_qty_after: '0.0302' })]);
    expect(exposureWithinLimits(within, baseline)).toEqual([]);
    const past = snapshot([fill({ ts: 1, side: 'buy', qty: '0.02', position_qty_after: '0.02' }), fill({ ts: 2, side: 'buy', qty: '0.011', position_qty_after: '0.031' })]);
    expect(codes(exposureWithinLimits(past, baseline))).toEqual(['max-symbol-notional']);
  });
});
