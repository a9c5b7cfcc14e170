/**
 * Every pre-trade check, accepting and rejecting, with its reason code: the pure functions the
 * risk workflow decides with, fed a fixed account, quote and clock.
 */
import { describe, expect, it } from 'vitest';
import type { RiskCheckRequest, RiskLeg, RiskLimits, RiskReasonCode } from '../../../../schemas/temporal/risk.js';
import { DEFAULT_RISK_LIMITS } from '../../../../worker/config/risk-config.js';
import { emptyBreaker } from '../../../../domain/risk/breaker.js';
import { evaluateBeforeVar, type CheckContext, type GateState } from '../../../../domain/risk/checks.js';
import { buildDecision, varReasons } from '../../../../domain/risk/decision.js';
import type { PortfolioVarResult, QuoteTick, RiskInputs } from '../../../../domain/risk/risk-inputs.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

const tick = (mid: number, halfSpread = 5, ageMs = 1_000): QuoteTick => ({ ts: NOW - ageMs, bid: mid - halfSpread, ask: mid + halfSpread, last: mid });

type QuoteSpec = { latest: QuoteTick | null; previous?: QuoteTick | null; unavailable_reason?: string };

function inputs(over: Partial<RiskInputs['portfolio']> = {}, quotes: Record<string, QuoteSpec> = {}): RiskInputs {
  const allQuotes: Record<string, QuoteSpec> = {
    'BTC/USDT': { latest: tick(65_000) },
    'ETH/USDT': { latest: tick(3_200, 0.5) },
    ...quotes,
  };
  return {
    gathered_at: NOW,
    // The account started with the cash it has unless a test says otherwise, so no drawdown is implied.
    portfolio: { quote_currency: 'USDT', initial_cash: over.cash ?? '100000', cash: '100000', positions: {}, last_prices: {}, ledger_workflow_id: 'ledger:paper', ...over },
    quotes: Object.fromEntries(
      Object.entries(allQuotes).map(([symbol, q]) => [
        symbol,
        { symbol, tick_store_workflow_id: `tick-store:sim:${symbol}`, latest: q.latest, previous: q.previous ?? q.latest, unavailable_reason: q.latest ? null : (q.unavailable_reason ?? 'no tick store') },
      ]),
    ),
    orders: {},
  };
}

const leg = (over: Partial<RiskLeg> = {}): RiskLeg => ({
  symbol: 'BTC/USDT',
  side: 'buy',
  qty: '0.1',
  quote_notional: null,
  limit_price: null,
  client_order_id: 'i-1.0',
  ...over,
});

const request = (legs: RiskLeg[], intentId = 'i-1'): RiskCheckRequest => ({ intent_id: intentId, account: 'paper', legs, source: 'pre_trade_risk_check' });

const gate = (over: Partial<GateState> = {}): GateState => ({ trading_state: 'ACTIVE', recent_approvals: [], reservations: [], breaker: emptyBreaker(), ...over });

function evaluate(opts: { legs?: RiskLeg[]; state?: Partial<GateState>; inputs?: RiskInputs; limits?: Partial<RiskLimits> } = {}) {
  const ctx: CheckContext = {
    request: request(opts.legs ?? [leg()]),
    state: gate(opts.state),
    limits: { ...DEFAULT_RISK_LIMITS, ...opts.limits },
    inputs: opts.inputs ?? inputs(),
    nowMs: NOW,
  };
  return evaluateBeforeVar(ctx);
}

const codes = (outcome: ReturnType<typeof evaluate>): RiskReasonCode[] => outcome.reasons.map((r) => r.code);

describe('a well-formed intent on a healthy account', () => {
  it('passes every check and is valued at the touch it would take', () => {
    const outcome = evaluate();
    expect(outcome.reasons).toEqual([]);
    expect(outcome.legs[0]).toMatchObject({ qty: '0.1', notional: '6500.5', reference_price: '65000', spread_bps: 1.5385, data_age_ms: 1_000, position_before: '0', position_after: '0.1' });
    expect(outcome.equity).toBe('100000');
    expect(outcome.grossAfter).toBe('6500');
  });
});

describe('1 trading state', () => {
  it('HALTED rejects everything, even a sale', () => {
    const outcome = evaluate({ state: { trading_state: 'HALTED' }, legs: [leg({ side: 'sell', qty: '0.1' })], inputs: inputs({ positions: { 'BTC/USDT': '1' } }) });
    expect(codes(outcome)[0]).toBe('TRADING_HALTED');
  });

  it('REDUCING refuses a buy that adds exposure, with REDUCE_ONLY', () => {
    expect(codes(evaluate({ state: { trading_state: 'REDUCING' } }))).toEqual(['REDUCE_ONLY']);
  });

  it('REDUCING lets a sale of part of a holding through', () => {
    const outcome = evaluate({ state: { trading_state: 'REDUCING' }, legs: [leg({ side: 'sell', qty: '0.3' })], inputs: inputs({ positions: { 'BTC/USDT': '1' } }) });
    expect(outcome.reasons).toEqual([]);
    expect(outcome.reducing).toBe(true);
  });
});

describe('2 symbol allowlist', () => {
  it('refuses a symbol outside the list and accepts one inside it', () => {
    const refused = evaluate({ legs: [leg({ symbol: 'DOGE/USDT', qty: '100' })], inputs: inputs({}, { 'DOGE/USDT': { latest: tick(0.12, 0.00001) } }) });
    expect(codes(refused)).toEqual(['SYMBOL_NOT_ALLOWED']);
    expect(refused.reasons[0]?.leg_index).toBe(0);
    expect(codes(evaluate({ legs: [leg({ symbol: 'ETH/USDT', qty: '1' })] }))).toEqual([]);
  });
});

describe('3 market data', () => {
  it('refuses a symbol without a quote (NO_MARKET_DATA) and says what to do', () => {
    const outcome = evaluate({ inputs: inputs({}, { 'BTC/USDT': { latest: null } }) });
    expect(codes(outcome)).toEqual(['NO_MARKET_DATA']);
    expect(outcome.reasons[0]?.message).toMatch(/market stream/);
  });

  it('says what to do for the cause and the caller: a stream only where none runs, a new id only where the id is spent', () => {
    const missing = (problem: string, source: RiskCheckRequest['source']) =>
      evaluateBeforeVar({
        request: { ...request([leg()]), source },
        state: gate(),
        limits: DEFAULT_RISK_LIMITS,
        inputs: inputs({}, { 'BTC/USDT': { latest: null, unavailable_reason: problem } }),
        nowMs: NOW,
        specificRemedies: true,
      }).reasons[0]?.message ?? '';
    const noStore = 'no tick store tick-store:sim:BTC/USDT (no market stream has delivered BTC/USDT from sim)';
    const silent = 'the tick store tick-store:sim:BTC/USDT did not answer (deadline exceeded)';
    expect(missing(noStore, 'submit_intent')).toMatch(/start_market_stream.*new intent_id/);
    expect(missing(noStore, 'order_gate')).toMatch(/new client_order_id/);
    expect(missing(noStore, 'pre_trade_risk_check')).not.toMatch(/new intent_id|new client_order_id/);
    // A stream that runs but whose store did not answer needs no new stream.
    expect(missing(silent, 'submit_intent')).not.toMatch(/start_market_stream|start a market stream/);
    expect(missing(silent, 'fill_check')).toMatch(/next time the book crosses/);
  });

  it('refuses a stale quote and accepts a fresh one', () => {
    expect(codes(evaluate({ inputs: inputs({}, { 'BTC/USDT': { latest: tick(65_000, 5, 16_000) } }) }))).toEqual(['STALE_MARKET_DATA']);
    expect(codes(evaluate({ inputs: inputs({}, { 'BTC/USDT': { latest: tick(65_000, 5, 14_000) } }) }))).toEqual([]);
  });

  it('refuses a spread wider than the limit', () => {
    // 400 wide on 65 000 is 61.5 bps; the limit is 50.
    expect(codes(evaluate({ inputs: inputs({}, { 'BTC/USDT': { latest: tick(65_000, 200) } }) }))).toEqual(['SPREAD_TOO_WIDE']);
  });

  it('refuses a mid that jumped between the last two ticks, and a crossed book', () => {
    const jumped = inputs({}, { 'BTC/USDT': { latest: tick(65_000), previous: tick(62_000) } });
    expect(codes(evaluate({ inputs: jumped }))).toEqual(['PRICE_JUMP']);
    const crossed = inputs({}, { 'BTC/USDT': { latest: { ts: NOW, bid: 65_010, ask: 64_990, last: 65_000 } } });
    expect(codes(evaluate({ inputs: crossed }))).toEqual(['NO_MARKET_DATA']);
  });
});

describe('4 notional limits', () => {
  it('refuses an order worth more than max_order_notional', () => {
    expect(codes(evaluate({ legs: [leg({ qty: '0.5' })] }))).toEqual(['MAX_ORDER_NOTIONAL']);
    expect(codes(evaluate({ legs: [leg({ quote_notional: '25000', qty: null })] }))).toEqual([]);
  });

  it('refuses growing a symbol past max_symbol_notional, working orders included', () => {
    const held = inputs({ positions: { 'BTC/USDT': '0.7' }, cash: '60000' });
    const outcome = evaluate({ inputs: held, legs: [leg({ qty: '0.1' })] });
    // 0.8 BTC at the 65 000 mark is 52 000 > 50 000.
    expect(codes(outcome)).toEqual(['MAX_SYMBOL_NOTIONAL']);
    // The same position reached through a working order counts too.
    const working = evaluate({
      inputs: inputs({ positions: { 'BTC/USDT': '0.3' } }),
      state: { reservations: [{ client_order_id: 'w-1', intent_id: 'w', symbol: 'BTC/USDT', side: 'buy', qty: '0.4', price: '65000', created_at: NOW, expires_at: NOW + 60_000, order_seen: true, admitted: true, approved_leg: leg({ client_order_id: 'w-1', qty: '0.4' }) }] },
    });
    expect(codes(working)).toEqual(['MAX_SYMBOL_NOTIONAL']);
  });

  it('lets a sale through even when the position is above the limit', () => {
    const outcome = evaluate({ inputs: inputs({ positions: { 'BTC/USDT': '1' } }), legs: [leg({ side: 'sell', qty: '0.1' })] });
    expect(outcome.reasons).toEqual([]);
  });

  it('refuses growing gross exposure past max_gross_exposure', () => {
    const spread = inputs({ positions: { 'BTC/USDT': '0.7', 'ETH/USDT': '14' }, cash: '200000' });
    // Held: 45 500 + 44 800 = 90 300; buying 0.2 BTC adds 13 000 → 103 300 > 100 000 (and 0.9 BTC passes max_symbol 58 500? no).
    const outcome = evaluate({ inputs: spread, legs: [leg({ symbol: 'ETH/USDT', qty: '3.5' })], limits: { max_symbol_notional: '100000' } });
    expect(codes(outcome)).toEqual(['MAX_GROSS_EXPOSURE']);
    expect(codes(evaluate({ inputs: spread, legs: [leg({ symbol: 'ETH/USDT', qty: '2' })], limits: { max_symbol_notional: '100000' } }))).toEqual([]);
  });
});

describe('5 price collar', () => {
  it('refuses a limit price beyond the collar and values a limit order at its limit', () => {
    const far = evaluate({ legs: [leg({ limit_price: '67000' })] });
    expect(codes(far)).toEqual(['PRICE_COLLAR']);
    expect(far.legs[0]?.price_deviation_bps).toBe(307.6923);
    const near = evaluate({ legs: [leg({ limit_price: '64000' })] });
    expect(near.reasons).toEqual([]);
    expect(near.legs[0]).toMatchObject({ notional: '6400', price_deviation_bps: 153.8462 });
  });
});

describe('6 cash and holdings', () => {
  it('refuses a buy the free cash cannot pay for, fee headroom included', () => {
    expect(codes(evaluate({ inputs: inputs({ cash: '6500' }) }))).toEqual(['INSUFFICIENT_CASH']);
    expect(codes(evaluate({ inputs: inputs({ cash: '6520' }) }))).toEqual([]);
  });

  it('counts cash committed to working buys', () => {
    const reservation = { client_order_id: 'w-1', intent_id: 'w', symbol: 'ETH/USDT', side: 'buy' as const, qty: '30', price: '3200', created_at: NOW, expires_at: NOW + 60_000, order_seen: false, admitted: true, approved_leg: leg({ symbol: 'ETH/USDT', client_order_id: 'w-1', qty: '30' }) };
    expect(codes(evaluate({ state: { reservations: [reservation] }, limits: { max_gross_exposure: '200000' } }))).toEqual(['INSUFFICIENT_CASH']);
  });

  it('refuses selling more than is held and not already being sold', () => {
    expect(codes(evaluate({ legs: [leg({ side: 'sell', qty: '0.1' })] }))).toEqual(['INSUFFICIENT_HOLDINGS']);
    const held = inputs({ positions: { 'BTC/USDT': '0.15' } });
    expect(codes(evaluate({ inputs: held, legs: [leg({ side: 'sell', qty: '0.1' })] }))).toEqual([]);
    const twoSales = evaluate({ inputs: held, legs: [leg({ side: 'sell', qty: '0.1' }), leg({ side: 'sell', qty: '0.1', client_order_id: 'i-1.1' })] });
    expect(twoSales.reasons.map((r) => [r.code, r.leg_index])).toEqual([['INSUFFICIENT_HOLDINGS', 1]]);
  });
});

describe('7 duplicates', () => {
  const approval = (secondsAgo: number) => ({ at: NOW - secondsAgo * 1000, intent_id: 'earlier', symbol: 'BTC/USDT', side: 'buy' as const, size_key: 'qty:0.1' });

  it('refuses the same symbol, side and size approved within the window', () => {
    expect(codes(evaluate({ state: { recent_approvals: [approval(10)] } }))).toEqual(['DUPLICATE_INTENT']);
    // "0.10" is the same size as "0.1".
    expect(codes(evaluate({ state: { recent_approvals: [approval(10)] }, legs: [leg({ qty: '0.10' })] }))).toEqual(['DUPLICATE_INTENT']);
  });

  it('accepts it once the window has passed, or with another size', () => {
    expect(codes(evaluate({ state: { recent_approvals: [approval(31)] } }))).toEqual([]);
    expect(codes(evaluate({ state: { recent_approvals: [approval(10)] }, legs: [leg({ qty: '0.11' })] }))).toEqual([]);
  });
});

describe('8 order-rate throttle', () => {
  it('refuses once the orders approved in the window reach the limit', () => {
    const approvals = Array.from({ length: 20 }, (_, i) => ({ at: NOW - 1_000, intent_id: `a-${i}`, symbol: 'ETH/USDT', side: 'buy' as const, size_key: `qty:${i + 1}` }));
    expect(codes(evaluate({ state: { recent_approvals: approvals } }))).toEqual(['ORDER_RATE_THROTTLED']);
    expect(codes(evaluate({ state: { recent_approvals: approvals.slice(1) } }))).toEqual([]);
  });
});

describe('9 loss breaker', () => {
  it('trips on a daily loss beyond the limit', () => {
    const breaker = { ...emptyBreaker(), day: '2026-01-15', day_open_equity: '100000', peak_equity: '100000' };
    const outcome = evaluate({ state: { breaker }, inputs: inputs({ cash: '94000' }) });
    expect(codes(outcome)).toEqual(['DAILY_LOSS_BREAKER']);
    expect(outcome.breach?.code).toBe('DAILY_LOSS_BREAKER');
    expect(codes(evaluate({ state: { breaker }, inputs: inputs({ cash: '96000' }) }))).toEqual([]);
  });

  it('trips on a drawdown from the high-water mark beyond the limit', () => {
    const breaker = { ...emptyBreaker(), day: '2026-01-15', day_open_equity: '90000', peak_equity: '110000' };
    const outcome = evaluate({ state: { breaker }, inputs: inputs({ cash: '90000' }) });
    // 20 000 below 110 000 is 18.2 % > 15 %; the day itself lost nothing.
    expect(codes(outcome)).toEqual(['DRAWDOWN_BREAKER']);
  });

  it('opens a new day at the first equity seen in it', () => {
    const yesterday = { ...emptyBreaker(), day: '2026-01-14', day_open_equity: '120000', peak_equity: '100000' };
    const outcome = evaluate({ state: { breaker: yesterday }, inputs: inputs({ cash: '95000' }) });
    expect(outcome.breaker).toMatchObject({ day: '2026-01-15', day_open_equity: '95000', peak_equity: '100000' });
    expect(outcome.reasons).toEqual([]);
  });
});

describe('10 VaR', () => {
  const outcome = evaluate();
  const comparison = (before: number, after: number): PortfolioVarResult => ({
    available: true,
    comparison: {
      before: { parametric: before, historical: before * 0.9, expected_shortfall: before * 1.2 },
      after: { parametric: after, historical: after * 0.9, expected_shortfall: after * 1.2 },
      confidence: 0.99,
      horizon_days: 1,
      observations: 300,
      return_interval_sec: 10,
      symbols: ['BTC/USDT'],
      annualised_volatility: { 'BTC/USDT': 0.5 },
    },
  });

  it('refuses when post-trade VaR exceeds its limit and rises', () => {
    expect(varReasons(comparison(8_000, 12_000), outcome, DEFAULT_RISK_LIMITS).map((r) => r.code)).toEqual(['VAR_LIMIT']);
    expect(varReasons(comparison(8_000, 9_500), outcome, DEFAULT_RISK_LIMITS)).toEqual([]);
  });

  it('never refuses an intent that lowers VaR, even above the limit', () => {
    expect(varReasons(comparison(14_000, 12_000), outcome, DEFAULT_RISK_LIMITS)).toEqual([]);
  });

  it('refuses adding exposure when VaR is unavailable, but not reducing it', () => {
    const unavailable: PortfolioVarResult = { available: false, reason: 'only 3 aligned returns', observations: 3, missing_symbols: [] };
    expect(varReasons(unavailable, outcome, DEFAULT_RISK_LIMITS).map((r) => r.code)).toEqual(['VAR_UNAVAILABLE']);
    const reducing = evaluate({ inputs: inputs({ positions: { 'BTC/USDT': '0.5' } }), legs: [leg({ side: 'sell', qty: '0.2' })] });
    expect(varReasons(unavailable, reducing, DEFAULT_RISK_LIMITS)).toEqual([]);
  });
});

describe('a decision', () => {
  it('reports every failing check in the issue order, with metrics', () => {
    const outcome = evaluate({
      state: { trading_state: 'REDUCING', recent_approvals: [{ at: NOW - 5_000, intent_id: 'x', symbol: 'BTC/USDT', side: 'buy', size_key: 'qty:0.5' }] },
      legs: [leg({ qty: '0.5', limit_price: '70000' })],
      inputs: inputs({ cash: '1000' }),
    });
    const decision = buildDecision({
      request: request([leg({ qty: '0.5', limit_price: '70000' })]),
      fingerprint: 'f',
      riskCheckId: 'rc:paper:1',
      key: 'intent:i-1',
      workflowId: 'risk:paper',
      runId: 'run-1',
      nowMs: NOW,
      limits: DEFAULT_RISK_LIMITS,
      tradingStateBefore: 'REDUCING',
      outcome,
      extraReasons: [],
      varResult: null,
    });
    expect(decision.decision).toBe('rejected');
    expect(decision.reasons.map((r) => r.code)).toEqual(['REDUCE_ONLY', 'MAX_ORDER_NOTIONAL', 'PRICE_COLLAR', 'INSUFFICIENT_CASH', 'DUPLICATE_INTENT']);
    expect(decision.metrics).toMatchObject({ notional: '35000', position_after: { 'BTC/USDT': '0.5' }, price_deviation_bps: 769.2308, data_age_ms: 1_000, var_before: null });
  });
});
