/**
 * The risk workflow's pure state: the trading state only tightens without a person, recorded
 * decisions answer repeats (and an order of an approved intent), reservations follow their orders,
 * and the limits come from the file and the environment with errors that name what is wrong.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { riskLegsFingerprint, type Reservation, type RiskDecision, type RiskLeg, type SetTradingStateRequest } from '../../../../schemas/temporal/risk.js';
import { DEFAULT_RISK_LIMITS, riskConfigFromEnv, riskLimitsFromEnv } from '../../../../worker/config/risk-config.js';
import { observeEquity, emptyBreaker, msToNextUtcMidnight } from '../../../../domain/risk/breaker.js';
import { recordedAnswer, refreshReservations } from '../../../../domain/risk/risk-state.js';
import { InvalidRiskRequestError, validateRiskCheckRequest } from '../../../../domain/risk/request-validation.js';
import { LooseningNeedsPersonError, decideStateChange, validateStateRequest } from '../../../../domain/risk/trading-state.js';
import { money } from '../../../../domain/money.js';

const agent = (state: SetTradingStateRequest['state']): SetTradingStateRequest => ({ state, reason: 'testing', authority: { kind: 'agent' } });
const person = (state: SetTradingStateRequest['state']): SetTradingStateRequest => ({
  state,
  reason: 'testing',
  authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'ops' },
});

describe('trading state transitions', () => {
  it('lets an agent tighten at once, one step or two', () => {
    expect(decideStateChange('paper', 'ACTIVE', agent('REDUCING'), 1).result).toMatchObject({ previous_state: 'ACTIVE', trading_state: 'REDUCING', changed: true });
    expect(decideStateChange('paper', 'ACTIVE', agent('HALTED'), 1).change).toMatchObject({ from: 'ACTIVE', to: 'HALTED', authority: { kind: 'agent' } });
    expect(decideStateChange('paper', 'HALTED', agent('HALTED'), 1).result.changed).toBe(false);
  });

  it('refuses an agent that loosens, naming the operator command for the target state', () => {
    for (const [from, to] of [['HALTED', 'ACTIVE'], ['HALTED', 'REDUCING'], ['REDUCING', 'ACTIVE']] as const) {
      expect(() => decideStateChange('paper', from, agent(to), 1)).toThrow(LooseningNeedsPersonError);
      expect(() => decideStateChange('paper', from, agent(to), 1)).toThrow(`npm run risk:operator -- set-state ${to} --account paper`);
    }
  });

  it('lets a person loosen', () => {
    expect(decideStateChange('paper', 'HALTED', person('ACTIVE'), 1).change).toMatchObject({ to: 'ACTIVE', authority: { confirmed_by: 'ops' } });
  });

  it('refuses malformed requests: an unknown state, no reason, an anonymous person, a forged breaker', () => {
    expect(() => validateStateRequest({ ...agent('ACTIVE'), state: 'OPEN' as never })).toThrow(/state must be one of/);
    expect(() => validateStateRequest({ ...agent('HALTED'), reason: ' ' })).toThrow(/reason/);
    expect(() => validateStateRequest({ ...person('ACTIVE'), authority: { kind: 'person', via: 'operator_cli', confirmed_by: '' } })).toThrow(/who confirmed/);
    expect(() => validateStateRequest({ ...agent('HALTED'), authority: { kind: 'breaker', code: 'DRAWDOWN_BREAKER' } })).toThrow(/only the risk workflow/);
  });
});

const leg = (over: Partial<RiskLeg> = {}): RiskLeg => ({ symbol: 'BTC/USDT', side: 'buy', qty: '0.1', quote_notional: null, limit_price: null, client_order_id: 'intent-1.0', ...over });

function recorded(legs: RiskLeg[]): RiskDecision {
  return {
    risk_check_id: 'rc:paper:7',
    key: 'intent:intent-1',
    dry_run: false,
    intent_id: 'intent-1',
    account: 'paper',
    source: 'submit_intent',
    decision: 'approved',
    reasons: [],
    metrics: { notional: '6500', var_before: 0, var_after: 1, position_after: {}, price_deviation_bps: null, data_age_ms: 10, gross_exposure_after: '6500', equity: '100000' },
    legs: [],
    var: null,
    trading_state: 'ACTIVE',
    decided_at: 1,
    fingerprint: riskLegsFingerprint(legs),
    requested_legs: legs,
    duplicate: false,
    workflow_id: 'risk:paper',
    run_id: 'run-1',
  };
}

describe('recorded decisions', () => {
  const legs = [leg(), leg({ symbol: 'ETH/USDT', qty: '2', client_order_id: 'intent-1.1' })];
  const decision = recorded(legs);

  it('answers the same key asked again, however its decimals are spelt', () => {
    const again = legs.map((l) => ({ ...l, qty: l.qty === '0.1' ? '0.10' : l.qty }));
    expect(recordedAnswer(decision, riskLegsFingerprint(again))).toMatchObject({ risk_check_id: 'rc:paper:7', duplicate: true });
  });

  it('does not answer other legs under the same key', () => {
    const other = [leg({ qty: '0.2' })];
    expect(recordedAnswer(decision, riskLegsFingerprint(other))).toBeUndefined();
  });
});

describe('reservations of working orders', () => {
  const reservation = (id: string, over: Partial<Reservation> = {}): Reservation => ({
    client_order_id: id,
    intent_id: 'i',
    symbol: 'BTC/USDT',
    side: 'buy',
    qty: '1',
    price: '65000',
    created_at: 0,
    expires_at: 1_000,
    order_seen: false,
    admitted: true,
    approved_leg: leg({ client_order_id: id }),
    ...over,
  });

  it('releases finished orders, follows working ones, lapses unplaced ones at expiry, keeps unobserved ones', () => {
    const kept = refreshReservations(
      [reservation('done'), reservation('working'), reservation('unplaced'), reservation('expired'), reservation('new'), reservation('vanished', { order_seen: true })],
      {
        done: { client_order_id: 'done', status: 'terminal', remaining_qty: null },
        working: { client_order_id: 'working', status: 'working', remaining_qty: '0.4' },
        unplaced: { client_order_id: 'unplaced', status: 'missing', remaining_qty: null },
        expired: { client_order_id: 'expired', status: 'missing', remaining_qty: null },
        vanished: { client_order_id: 'vanished', status: 'missing', remaining_qty: null },
      },
      500,
    ).map((r) => [r.client_order_id, r.qty, r.order_seen]);
    expect(kept).toEqual([
      ['working', '0.4', true],
      ['unplaced', '1', false],
      ['expired', '1', false],
      ['new', '1', false],
    ]);
    expect(refreshReservations([reservation('expired')], { expired: { client_order_id: 'expired', status: 'missing', remaining_qty: null } }, 1_001)).toEqual([]);
  });
});

describe('breaker reference points', () => {
  it('starts the high-water mark at the initial cash, raises it, and keeps both on an acknowledgement', () => {
    const day = Date.UTC(2026, 2, 1, 10);
    let breaker = observeEquity(emptyBreaker(), money('95000'), day, money('100000'));
    expect(breaker).toMatchObject({ day: '2026-03-01', day_open_equity: '95000', peak_equity: '100000' });
    breaker = observeEquity(breaker, money('120000'), day + 1, money('100000'));
    expect(breaker).toMatchObject({ day_open_equity: '95000', peak_equity: '120000' });
    breaker = observeEquity({ ...breaker, acknowledge_pending: true }, money('90000'), day + 2, money('100000'));
    expect(breaker).toMatchObject({ day_open_equity: '95000', peak_equity: '120000', acknowledge_pending: false, acknowledged: { equity: '90000', day: '2026-03-01', drawdown_pct: 25 } });
    expect(msToNextUtcMidnight(day)).toBe(14 * 3_600_000);
  });
});

describe('check request validation', () => {
  const valid = { intent_id: 'i-1', account: 'paper', legs: [leg()], source: 'submit_intent' as const };
  it('accepts a well-formed request and names the problem of a malformed one', () => {
    expect(() => validateRiskCheckRequest(valid, 'paper')).not.toThrow();
    const bad: Array<[unknown, RegExp]> = [
      [{ ...valid, account: 'other' }, /serves account paper/],
      [{ ...valid, legs: [] }, /1-20 legs/],
      [{ ...valid, legs: [leg({ quote_notional: '10' })] }, /exactly one of qty and quote_notional/],
      [{ ...valid, legs: [leg({ qty: '-1' })] }, /qty must be a positive decimal/],
      [{ ...valid, legs: [leg({ qty: '0' })] }, /qty must be a positive decimal/],
      [{ ...valid, legs: [leg({ symbol: 'btcusdt' })] }, /ccxt unified spot symbol/],
      [{ ...valid, legs: [leg(), leg()] }, /repeats another leg/],
      [{ ...valid, source: 'agent' }, /source must be/],
    ];
    for (const [request, message] of bad) {
      expect(() => validateRiskCheckRequest(request as never, 'paper')).toThrow(InvalidRiskRequestError);
      expect(() => validateRiskCheckRequest(request as never, 'paper')).toThrow(message);
    }
  });
});

describe('risk limits configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'risk-limits-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reads the repository file by default, and it agrees with the built-in defaults', () => {
    const { limits, source } = riskLimitsFromEnv({});
    expect(limits).toEqual(DEFAULT_RISK_LIMITS);
    expect(source.file).toMatch(/risk-limits\.json$/);
    expect(source.env_overrides).toEqual([]);
  });

  it('lays a partial file over the defaults, then the environment over the file', () => {
    const path = file('partial.json', { max_order_notional: '1000', allowed_symbols: ['BTC/USDT'] });
    const { limits, source } = riskLimitsFromEnv({ RISK_LIMITS_FILE: path, RISK_MAX_ORDER_NOTIONAL: '500', RISK_ALLOWED_SYMBOLS: 'ETH/USDT, SOL/USDT' });
    expect(limits.max_order_notional).toBe('500');
    expect(limits.allowed_symbols).toEqual(['ETH/USDT', 'SOL/USDT']);
    expect(limits.max_gross_exposure).toBe(DEFAULT_RISK_LIMITS.max_gross_exposure);
    expect(source).toEqual({ file: path, env_overrides: ['RISK_ALLOWED_SYMBOLS', 'RISK_MAX_ORDER_NOTIONAL'] });
  });

  it('fails at start-up with the name of what is wrong', () => {
    expect(() => riskLimitsFromEnv({ RISK_LIMITS_FILE: join(dir, 'absent.json') })).toThrow(/RISK_LIMITS_FILE=.*does not exist/);
    expect(() => riskLimitsFromEnv({ RISK_LIMITS_FILE: file('typo.json', { max_order_notionall: '1' }) })).toThrow(/unknown limit\(s\) max_order_notionall/);
    expect(() => riskLimitsFromEnv({ RISK_LIMITS_FILE: file('broken.json', '{ nope') })).toThrow(/cannot be read as JSON/);
    expect(() => riskLimitsFromEnv({ RISK_MAX_DRAWDOWN_PCT: 'lots' })).toThrow(/RISK_MAX_DRAWDOWN_PCT=lots is not a number/);
    expect(() => riskLimitsFromEnv({ RISK_MAX_ORDER_NOTIONAL: '-5' })).toThrow(/max_order_notional: must be a plain decimal/);
    expect(() => riskLimitsFromEnv({ RISK_VAR_MIN_OBSERVATIONS: '1000' })).toThrow(/var_min_observations must not exceed var_window_returns/);
    expect(() => riskConfigFromEnv({ TRADING_MODE: 'yolo' })).toThrow(/TRADING_MODE=yolo must be "paper" or "live"/);
  });

  it('defaults to paper mode and the market venue', () => {
    expect(riskConfigFromEnv({})).toMatchObject({ mode: 'paper', exchange: null });
    expect(riskConfigFromEnv({ TRADING_MODE: 'live', RISK_MARKET_EXCHANGE: 'binance' })).toMatchObject({ mode: 'live', exchange: 'binance' });
  });
});
