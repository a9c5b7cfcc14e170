/**
 * The pre-trade checks, in the order the gate runs them, as pure functions of the request, the
 * gathered inputs, the risk workflow's state and the workflow clock. Every check that can run adds
 * its reasons (so an agent learns everything wrong at once); a check that lacks what it needs fails
 * closed. The VaR check (10) needs returns from the tick stores and runs after the others, only when
 * they all passed (decision.ts).
 *
 *  1 trading state          TRADING_HALTED, REDUCE_ONLY
 *  2 symbol allowlist       SYMBOL_NOT_ALLOWED
 *  3 market data            NO_MARKET_DATA, STALE_MARKET_DATA, SPREAD_TOO_WIDE, PRICE_JUMP
 *  4 notional limits        MAX_ORDER_NOTIONAL, MAX_SYMBOL_NOTIONAL, MAX_GROSS_EXPOSURE
 *  5 price collar           PRICE_COLLAR
 *  6 cash and holdings      INSUFFICIENT_CASH, INSUFFICIENT_HOLDINGS
 *  7 duplicates             DUPLICATE_INTENT (same symbol and side, size within a tolerance),
 *                           ORDER_ID_IN_USE (an intent leg's order id already taken)
 *  8 order rate             ORDER_RATE_THROTTLED, MAX_WORKING_ORDERS
 *  9 loss breaker           DAILY_LOSS_BREAKER, DRAWDOWN_BREAKER (moves an ACTIVE account to REDUCING;
 *                           refuses only what does not reduce exposure)
 *
 * An admitted order (its intent was approved for exactly it) or a resting order about to fill runs
 * every check against the state now, but not 7 and 8: it passed them when it was approved.
 * REJECTIONS_THROTTLED and APPROVAL_MISMATCH are found before the checks (risk-state.ts).
 * 10 VaR                    VAR_UNAVAILABLE, VAR_LIMIT
 */
import {
  legSizeKey,
  type BreakerState,
  type RecentApproval,
  type Reservation,
  type RiskCheckRequest,
  type RiskLegMetrics,
  type RiskLimits,
  type RiskReason,
  type RiskReasonCode,
  type TradingState,
} from '../../schemas/temporal/risk.js';
import { money, text, Money, ZERO } from '../money.js';
import { breakerBreach, observeEquity, type BreakerBreach } from './breaker.js';
import { bps, readQuote, type QuoteReading } from './quote-reading.js';
import type { RiskInputs } from './risk-inputs.js';
import { equityAtMarks, grossExposure, markPrices, marksFor, positionsIncludingWorking, reduces, signed } from './valuation.js';

/** Decimal places of a base quantity derived from a quote amount (rounded down). */
const DERIVED_QTY_DECIMALS = 12;

/** Where each reason code sits in the check order: reasons are reported in this order. */
const CHECK_ORDER: Record<RiskReasonCode, number> = {
  TRADING_HALTED: 1,
  REDUCE_ONLY: 1,
  SYMBOL_NOT_ALLOWED: 2,
  NO_MARKET_DATA: 3,
  STALE_MARKET_DATA: 3,
  SPREAD_TOO_WIDE: 3,
  PRICE_JUMP: 3,
  MAX_ORDER_NOTIONAL: 4,
  MAX_SYMBOL_NOTIONAL: 4,
  MAX_GROSS_EXPOSURE: 4,
  PRICE_COLLAR: 5,
  INSUFFICIENT_CASH: 6,
  INSUFFICIENT_HOLDINGS: 6,
  DUPLICATE_INTENT: 7,
  ORDER_RATE_THROTTLED: 8,
  MAX_WORKING_ORDERS: 8,
  REJECTIONS_THROTTLED: 0,
  APPROVAL_MISMATCH: 0,
  ORDER_ID_IN_USE: 7,
  DAILY_LOSS_BREAKER: 9,
  DRAWDOWN_BREAKER: 9,
  VAR_UNAVAILABLE: 10,
  VAR_LIMIT: 10,
  RISK_INPUTS_UNAVAILABLE: 0,
};

export function orderReasons(reasons: RiskReason[]): RiskReason[] {
  return reasons
    .map((reason, position) => ({ reason, position }))
    .sort((a, b) => CHECK_ORDER[a.reason.code] - CHECK_ORDER[b.reason.code] || a.position - b.position)
    .map(({ reason }) => reason);
}

/** What of the risk workflow's state the checks read. */
export interface GateState {
  trading_state: TradingState;
  recent_approvals: RecentApproval[];
  reservations: Reservation[];
  breaker: BreakerState;
}

export interface CheckContext {
  request: RiskCheckRequest;
  state: GateState;
  limits: RiskLimits;
  inputs: RiskInputs;
  nowMs: number;
  /** An admitted order or a fill: the submission windows (7, 8) are not counted again. */
  admitted?: boolean;
  /**
   * Remedies in reasons say what to do for this caller and this cause. Absent in decisions taken
   * before they did, so those replay with the words they were recorded with.
   */
  specificRemedies?: boolean;
}

/** A leg valued against its quote. */
export interface ValuedLeg {
  index: number;
  symbol: string;
  side: 'buy' | 'sell';
  qty: Money;
  /** The price the order is valued at: its limit, else the touch it would take. */
  price: Money;
  notional: Money;
}

export interface PreVarOutcome {
  reasons: RiskReason[];
  legs: RiskLegMetrics[];
  valued: ValuedLeg[];
  /** Every leg could be valued (else the VaR inputs are incomplete, and a reason says why). */
  allValued: boolean;
  /** Positions before and after, working orders included, by symbol. */
  positionsBefore: Record<string, string>;
  positionsAfter: Record<string, string>;
  marks: Record<string, string>;
  equity: string | null;
  grossBefore: string | null;
  grossAfter: string | null;
  /** Every leg reduces the exposure of its symbol. */
  reducing: boolean;
  /** The breaker's reference points after this observation of equity. */
  breaker: BreakerState;
  breach: BreakerBreach | null;
}

const reason = (code: RiskReasonCode, message: string, legIndex: number | null = null): RiskReason => ({
  code,
  message,
  leg_index: legIndex,
});

/** What to do about a missing quote, by why it is missing: only a symbol nobody streams needs a stream. */
function noQuoteRemedy(problem: string | null): string {
  if (problem?.startsWith('no tick store')) return 'start a market stream for it (start_market_stream or subscribe_cex_stream on the market server)';
  if (problem?.includes('holds no ticks yet')) return 'its stream has only just started: wait a few seconds';
  if (problem?.includes('did not answer')) return 'its tick store is busy or its worker is restarting: wait a few seconds';
  return 'wait for the venue to quote both sides again';
}

/** How the caller asks again: each source has its own id rule (a decided id keeps its decision). */
export function askAgain(source: RiskCheckRequest['source']): string {
  switch (source) {
    case 'submit_intent':
      return 'submit it again under a new intent_id (this one keeps its decision)';
    case 'order_gate':
      return 'place the order again under a new client_order_id (this one stays rejected)';
    case 'fill_check':
      return 'the resting order asks again the next time the book crosses it';
    default:
      return 'check again';
  }
}

export function evaluateBeforeVar(ctx: CheckContext): PreVarOutcome {
  const { request, limits, state, inputs, nowMs } = ctx;
  const admitted = ctx.admitted === true;
  const reasons: RiskReason[] = [];
  const legsOut: RiskLegMetrics[] = [];
  const valued: ValuedLeg[] = [];

  // 1 (halted): nothing passes; the other checks still run so the answer shows the whole picture.
  if (state.trading_state === 'HALTED') {
    const why = state.breaker.tripped ? ` (${state.breaker.tripped.code}: ${state.breaker.tripped.message})` : '';
    reasons.push(reason('TRADING_HALTED', `trading is HALTED for account ${request.account}${why}; only a person can loosen it`));
  }

  const readings = new Map<string, QuoteReading>();
  const symbolsInPlay = new Set<string>([
    ...request.legs.map((l) => l.symbol),
    ...Object.keys(inputs.portfolio.positions),
    ...state.reservations.map((r) => r.symbol),
  ]);
  for (const symbol of symbolsInPlay) readings.set(symbol, readQuote(inputs.quotes[symbol], nowMs));

  const positionsBefore = positionsIncludingWorking(inputs, state.reservations);
  const running = new Map(positionsBefore);
  const ledgerHeld = (symbol: string) => money(inputs.portfolio.positions[symbol] ?? '0');
  const reservedSells = new Map<string, Money>();
  let reservedCash = ZERO;
  const feeFactor = money(1).plus(money(limits.fee_buffer_bps).dividedBy(10_000));
  for (const r of state.reservations) {
    if (r.side === 'sell') reservedSells.set(r.symbol, (reservedSells.get(r.symbol) ?? ZERO).plus(r.qty));
    else reservedCash = reservedCash.plus(money(r.qty).times(r.price).times(feeFactor));
  }
  let cashLeft = money(inputs.portfolio.cash).minus(reservedCash);
  let everyLegReduces = request.legs.length > 0;

  for (const [index, leg] of request.legs.entries()) {
    const reading = readings.get(leg.symbol) as QuoteReading;
    const before = running.get(leg.symbol) ?? ZERO;
    const metrics: RiskLegMetrics = {
      index,
      symbol: leg.symbol,
      side: leg.side,
      client_order_id: leg.client_order_id,
      qty: null,
      notional: null,
      reference_price: reading.mid ? text(reading.mid) : null,
      limit_price: leg.limit_price,
      price_deviation_bps: null,
      spread_bps: reading.spreadBps,
      data_age_ms: reading.ageMs,
      position_before: text(before),
      position_after: null,
    };
    legsOut.push(metrics);

    // 2: allowlist.
    if (!limits.allowed_symbols.includes(leg.symbol)) {
      reasons.push(reason('SYMBOL_NOT_ALLOWED', `${leg.symbol} is not in the allowed symbols (${limits.allowed_symbols.join(', ')})`, index));
    }

    // 3: freshness and sanity of the quote.
    if (!reading.usable) {
      const remedy = ctx.specificRemedies ? `${noQuoteRemedy(reading.problem)}, then ${askAgain(request.source)}` : 'start a market stream for it (market server) and retry with a new intent_id';
      reasons.push(reason('NO_MARKET_DATA', `no usable quote for ${leg.symbol}: ${reading.problem}; ${remedy}`, index));
    } else {
      if ((reading.ageMs as number) > limits.max_data_age_ms) {
        reasons.push(reason('STALE_MARKET_DATA', `the latest ${leg.symbol} quote is ${reading.ageMs} ms old (limit ${limits.max_data_age_ms} ms); is its market stream running?`, index));
      }
      if ((reading.spreadBps as number) > limits.max_spread_bps) {
        reasons.push(reason('SPREAD_TOO_WIDE', `${leg.symbol} spread is ${reading.spreadBps} bps (limit ${limits.max_spread_bps} bps)`, index));
      }
      if (reading.jumpBps !== null && reading.jumpBps > limits.max_price_jump_bps) {
        reasons.push(reason('PRICE_JUMP', `${leg.symbol} mid moved ${reading.jumpBps} bps between its last two ticks (limit ${limits.max_price_jump_bps} bps); wait for the quote to settle`, index));
      }
    }

    // Valuation: a limit order at its limit, a market order at the touch it would take.
    const limit = leg.limit_price === null ? null : money(leg.limit_price);
    const touch = leg.side === 'buy' ? reading.ask : reading.bid;
    const price = limit ?? touch;
    if (!price) {
      everyLegReduces = false;
      continue;
    }
    const qty = leg.qty !== null ? money(leg.qty) : money(leg.quote_notional as string).dividedBy(price).toDecimalPlaces(DERIVED_QTY_DECIMALS, Money.ROUND_DOWN);
    const notional = leg.quote_notional !== null && leg.qty === null ? money(leg.quote_notional) : qty.times(price);
    const after = before.plus(signed(leg.side, qty));
    running.set(leg.symbol, after);
    valued.push({ index, symbol: leg.symbol, side: leg.side, qty, price, notional });
    metrics.qty = text(qty);
    metrics.notional = text(notional);
    metrics.position_after = text(after);
    const legReduces = reduces(before, after);
    everyLegReduces &&= legReduces;

    // 1 (reducing): only legs that take exposure off pass.
    if (state.trading_state === 'REDUCING' && !legReduces) {
      reasons.push(reason('REDUCE_ONLY', `trading is REDUCING: only intents that reduce exposure pass, and this ${leg.side} takes ${leg.symbol} from ${text(before)} to ${text(after)}`, index));
    }

    // 4 (per order).
    if (notional.greaterThan(limits.max_order_notional)) {
      reasons.push(reason('MAX_ORDER_NOTIONAL', `order value ${text(notional.toDecimalPlaces(2))} exceeds the per-order limit ${limits.max_order_notional}; split it or size it down`, index));
    }

    // 5: price collar around the reference mid.
    if (limit && reading.mid) {
      const deviation = bps(limit.minus(reading.mid).abs().dividedBy(reading.mid));
      metrics.price_deviation_bps = deviation;
      if (deviation > limits.price_collar_bps) {
        reasons.push(reason('PRICE_COLLAR', `limit ${leg.limit_price} is ${deviation} bps from the ${leg.symbol} mid ${text(reading.mid)} (collar ${limits.price_collar_bps} bps)`, index));
      }
    }

    // 6: spot holds no shorts and spends only cash it has, working orders included.
    if (leg.side === 'sell') {
      const available = ledgerHeld(leg.symbol).minus(reservedSells.get(leg.symbol) ?? ZERO);
      if (qty.greaterThan(available)) {
        reasons.push(reason('INSUFFICIENT_HOLDINGS', `selling ${text(qty)} ${leg.symbol} but only ${text(available.isNegative() ? ZERO : available)} is held and not already being sold`, index));
      }
      reservedSells.set(leg.symbol, (reservedSells.get(leg.symbol) ?? ZERO).plus(qty));
    } else {
      const cost = notional.times(feeFactor);
      if (cost.greaterThan(cashLeft)) {
        reasons.push(reason('INSUFFICIENT_CASH', `buying costs up to ${text(cost.toDecimalPlaces(2))} ${inputs.portfolio.quote_currency} with the fee headroom, but ${text(Money.max(cashLeft, ZERO).toDecimalPlaces(2))} is free after working orders`, index));
      }
      cashLeft = cashLeft.minus(cost);
    }

    // 7 (ids): an intent's leg is placed as the order <intent_id>.<leg>; an order already under that id
    // (placed directly, or by another intent) would answer in its place and the approval would hold
    // capacity for an order that never comes.
    const taken = request.source === 'submit_intent' ? inputs.orders[leg.client_order_id] : undefined;
    if (taken && taken.status !== 'missing') {
      reasons.push(reason('ORDER_ID_IN_USE', `an order ${leg.client_order_id} already exists, so leg ${index} cannot be placed under it; submit the intent under another intent_id`, index));
    }

    // 7: the same symbol and side at nearly the same size, approved a moment ago, is most likely a repeat.
    const since = nowMs - limits.duplicate_window_sec * 1000;
    const sizeKey = legSizeKey(leg);
    const twin = admitted
      ? undefined
      : state.recent_approvals.find(
          (a) => a.at >= since && a.intent_id !== request.intent_id && a.symbol === leg.symbol && a.side === leg.side && sizesNear(a.size_key, sizeKey, limits.duplicate_size_tolerance_pct),
        );
    if (twin) {
      const waitSec = Math.max(1, Math.ceil((twin.at + limits.duplicate_window_sec * 1000 - nowMs) / 1000));
      reasons.push(reason('DUPLICATE_INTENT', `intent ${twin.intent_id} ${leg.side} ${twin.size_key.replace(':', ' ')} of ${leg.symbol} ${Math.round((nowMs - twin.at) / 1000)} s ago, within ${limits.duplicate_size_tolerance_pct}% of this ${sizeKey.replace(':', ' ')} (window ${limits.duplicate_window_sec} s); if the repeat is meant, send it again in ${waitSec} s, or change its size by more than ${limits.duplicate_size_tolerance_pct}%`, index));
    }
  }

  // 4 (per symbol and gross): only an increase past a limit is refused, so reducing stays possible.
  const marks = markPrices(marksFor(new Set([...symbolsInPlay, ...running.keys()]), inputs, state.reservations, nowMs));
  for (const symbol of new Set(valued.map((v) => v.symbol))) {
    const before = positionsBefore.get(symbol) ?? ZERO;
    const after = running.get(symbol) ?? ZERO;
    const mark = marks.get(symbol);
    if (!mark || !after.abs().greaterThan(before.abs())) continue;
    const value = after.abs().times(mark);
    if (value.greaterThan(limits.max_symbol_notional)) {
      const firstLeg = valued.find((v) => v.symbol === symbol) as ValuedLeg;
      reasons.push(reason('MAX_SYMBOL_NOTIONAL', `${symbol} position would be worth ${text(value.toDecimalPlaces(2))} (limit ${limits.max_symbol_notional}), working orders included`, firstLeg.index));
    }
  }
  const grossBefore = grossExposure(positionsBefore, marks);
  const grossAfter = grossExposure(running, marks);
  const allValued = valued.length === request.legs.length;
  if (grossAfter.unvalued.length) {
    reasons.push(reason('RISK_INPUTS_UNAVAILABLE', `no price at all for ${grossAfter.unvalued.join(', ')} (no quote, no fill, no working order), so exposure cannot be valued`));
  } else if (allValued && grossAfter.value && grossBefore.value && grossAfter.value.greaterThan(limits.max_gross_exposure) && grossAfter.value.greaterThan(grossBefore.value)) {
    reasons.push(reason('MAX_GROSS_EXPOSURE', `gross exposure would be ${text(grossAfter.value.toDecimalPlaces(2))} (limit ${limits.max_gross_exposure}), working orders included`));
  }

  // 8: order rate, counted in orders (legs) approved within the window, and working orders.
  if (!admitted) {
    const throttleSince = nowMs - limits.throttle_window_sec * 1000;
    const recent = state.recent_approvals.filter((a) => a.at >= throttleSince);
    if (recent.length + request.legs.length > limits.max_orders_per_window) {
      const oldest = recent[0]?.at ?? nowMs;
      const waitSec = Math.max(1, Math.ceil((oldest + limits.throttle_window_sec * 1000 - nowMs) / 1000));
      reasons.push(reason('ORDER_RATE_THROTTLED', `${recent.length} orders approved in the last ${limits.throttle_window_sec} s; ${request.legs.length} more would exceed ${limits.max_orders_per_window}; there is room again in ${waitSec} s`));
    }
    if (state.reservations.length + request.legs.length > limits.max_working_orders) {
      reasons.push(reason('MAX_WORKING_ORDERS', `${state.reservations.length} approved orders are still working (limit ${limits.max_working_orders}); ${request.legs.length} more would exceed it: cancel some or wait until they finish`));
    }
  }

  // 9: equity against the day's open and the high-water mark (positions as held, at marks).
  const equity = equityAtMarks(inputs, marks);
  const observed = observeBreaker(state, equity, limits, money(inputs.portfolio.initial_cash), nowMs);
  // A breach refuses what adds exposure; an exit passes, so the breaker never traps risk in.
  if (observed.breach && !(everyLegReduces && allValued)) reasons.push(reason(observed.breach.code, observed.breach.message));
  const { breaker, breach } = observed;

  const toRecord = (m: Map<string, Money>, only?: Set<string>) =>
    Object.fromEntries([...m].filter(([s]) => !only || only.has(s)).map(([s, q]) => [s, text(q)]));
  const legSymbols = new Set(request.legs.map((l) => l.symbol));
  return {
    reasons,
    legs: legsOut,
    valued,
    allValued,
    positionsBefore: toRecord(positionsBefore),
    positionsAfter: toRecord(running, legSymbols),
    marks: Object.fromEntries([...marks].filter((e): e is [string, Money] => e[1] !== null).map(([s, p]) => [s, text(p)])),
    equity: equity ? text(equity) : null,
    grossBefore: grossBefore.value ? text(grossBefore.value) : null,
    grossAfter: grossAfter.value ? text(grossAfter.value) : null,
    reducing: everyLegReduces && allValued,
    breaker,
    breach,
  };
}

/** The breaker after observing equity, and the breach if one is new (only an ACTIVE account trips). */
function observeBreaker(
  state: Pick<GateState, 'breaker' | 'trading_state'>,
  equity: Money | null,
  limits: RiskLimits,
  initialCash: Money,
  nowMs: number,
): { breaker: BreakerState; breach: BreakerBreach | null } {
  if (!equity) return { breaker: state.breaker, breach: null };
  const breaker = observeEquity(state.breaker, equity, nowMs, initialCash);
  return { breaker, breach: state.trading_state !== 'ACTIVE' ? null : breakerBreach(breaker, equity, limits) };
}

export interface PortfolioObservation {
  equity: string | null;
  breaker: BreakerState;
  breach: BreakerBreach | null;
  marks: Record<string, string>;
}

/** The breaker's observation without an intent: at UTC midnight and for the risk report. */
export function observePortfolio(state: GateState, inputs: RiskInputs, limits: RiskLimits, nowMs: number): PortfolioObservation {
  const symbols = new Set([...Object.keys(inputs.portfolio.positions), ...state.reservations.map((r) => r.symbol)]);
  const marks = markPrices(marksFor(symbols, inputs, state.reservations, nowMs));
  const equity = equityAtMarks(inputs, marks);
  const { breaker, breach } = observeBreaker(state, equity, limits, money(inputs.portfolio.initial_cash), nowMs);
  return {
    equity: equity ? text(equity) : null,
    breaker,
    breach,
    marks: Object.fromEntries([...marks].filter((e): e is [string, Money] => e[1] !== null).map(([s, p]) => [s, text(p)])),
  };
}

/** Signed position values at marks, before and after, for the VaR estimate. */
export function varWeights(outcome: PreVarOutcome): { before: Record<string, number>; after: Record<string, number> } {
  const value = (positions: Record<string, string>, symbol: string) => {
    const mark = outcome.marks[symbol];
    return mark ? money(positions[symbol] ?? '0').times(mark).toNumber() : 0;
  };
  const afterPositions = { ...outcome.positionsBefore, ...outcome.positionsAfter };
  const symbols = new Set([...Object.keys(outcome.positionsBefore), ...Object.keys(afterPositions)]);
  const before: Record<string, number> = {};
  const after: Record<string, number> = {};
  for (const symbol of [...symbols].sort()) {
    const b = value(outcome.positionsBefore, symbol);
    const a = value(afterPositions, symbol);
    if (b !== 0 || a !== 0) {
      before[symbol] = b;
      after[symbol] = a;
    }
  }
  return { before, after };
}

/** Two sizes of the same kind (qty or quote) within `tolerancePct` of the larger. */
export function sizesNear(a: string, b: string, tolerancePct: number): boolean {
  const [kindA, valueA] = a.split(':');
  const [kindB, valueB] = b.split(':');
  if (kindA !== kindB || valueA === undefined || valueB === undefined) return false;
  const x = money(valueA);
  const y = money(valueB);
  const larger = Money.max(x, y);
  if (larger.isZero()) return true;
  return x.minus(y).abs().dividedBy(larger).times(100).lessThanOrEqualTo(tolerancePct);
}
