/**
 * The ledger's bookkeeping as pure code: validation and booking of fills (average cost, decimal
 * money, fees in the currency charged), the bounded journal and fill-id memory, the equity curve.
 * The workflow holds one LedgerBook and only orchestrates; everything here is unit tested.
 *
 * Accounting (cost basis per position, unrealized = qty x mark - cost):
 * - buy q at p: cash -= q*p, qty += q, cost += q*p.
 * - sell q at p: the position's cost is split pro rata; realized += q*p - removed cost; cash += q*p.
 * - a fee in the quote currency leaves cash; a fee in the base asset leaves the position, as a
 *   disposal at the fill price (its realized part is booked, its value at p is the fee).
 * Hence, with marks m: cash + sum(qty*m) - initial cash = realized + unrealized - fees, exactly.
 */
import {
  INSUFFICIENT_CASH,
  INSUFFICIENT_HOLDINGS,
  INVALID_FILL,
  type ApplyFillResult,
  type EquityPoint,
  type JournalEntry,
  type JournalPage,
  type JournalRequest,
  type LedgerBalances,
  type LedgerCarriedState,
  type LedgerFill,
  type LedgerPosition,
  type LedgerSettings,
  type PerformanceInputs,
} from '../../schemas/temporal/ledger.js';
import { spotAssets } from '../../schemas/primitives/spot-symbol.js';
import { COST_DECIMALS, PRICE_DECIMALS, ZERO, isPlainDecimal, money, text, type Money } from '../money.js';

/** Why a fill cannot be booked; `type` is one of the ledger's error types. */
export class LedgerRejection extends Error {
  constructor(
    readonly type: typeof INVALID_FILL | typeof INSUFFICIENT_HOLDINGS | typeof INSUFFICIENT_CASH,
    message: string,
  ) {
    super(message);
  }
}

const MAX_ID_CHARS = 300;

export function newLedgerState(settings: LedgerSettings, createdAt: number): LedgerCarriedState {
  const cash = text(money(settings.initialCash));
  return {
    settings,
    created_ts: createdAt,
    cash,
    positions: {},
    realized_pnl: '0',
    fees_paid: '0',
    fees_by_currency: {},
    last_prices: {},
    fill_count: 0,
    last_fill_ts: null,
    journal: [],
    recent_fill_ids: [],
    equity_curve: [{ ts: createdAt, equity: cash, source: 'open' }],
    runs: 1,
  };
}

function reject(type: LedgerRejection['type'], message: string): never {
  throw new LedgerRejection(type, message);
}

function checkId(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS) {
    reject(INVALID_FILL, `${name} must be a non-empty string of at most ${MAX_ID_CHARS} characters`);
  }
}

function checkAmount(name: string, value: unknown, positive: boolean): Money {
  if (!isPlainDecimal(value)) reject(INVALID_FILL, `${name} must be a plain decimal string such as "0.5" (got ${JSON.stringify(value)})`);
  const amount = money(value);
  if (positive && amount.isZero()) reject(INVALID_FILL, `${name} must be greater than zero`);
  return amount;
}

/** The parts of a valid fill as decimals, plus what booking it will do. */
interface FillPlan {
  base: string;
  qty: Money;
  price: Money;
  fee: Money;
  feeInBase: boolean;
  /** Base units leaving the position (a sale plus a base-asset fee). */
  disposed: Money;
  cashDelta: Money;
}

export class LedgerBook {
  /** fill_id -> seq for the remembered ids (mirrors state.recent_fill_ids for O(1) lookups). */
  private readonly seen = new Map<string, number>();

  constructor(
    readonly account: string,
    readonly state: LedgerCarriedState,
  ) {
    for (const [id, seq] of state.recent_fill_ids) this.seen.set(id, seq);
  }

  get settings(): LedgerSettings {
    return this.state.settings;
  }

  hasPositions(): boolean {
    return Object.keys(this.state.positions).length > 0;
  }

  positionSymbols(): string[] {
    return Object.keys(this.state.positions).sort();
  }

  /** The seq of an already applied fill id, if it is still remembered. */
  appliedSeq(fillId: string): number | undefined {
    return this.seen.get(fillId);
  }

  /**
   * Throws LedgerRejection when the fill cannot be booked now. A fill id already applied passes
   * (booking it again is a no-op), whatever the balances are by now.
   */
  validate(fill: LedgerFill): void {
    if (fill === null || typeof fill !== 'object') reject(INVALID_FILL, 'a fill object is required');
    checkId('fill_id', fill.fill_id);
    if (this.seen.has(fill.fill_id)) return;
    this.plan(fill);
  }

  /** Books the fill (or reports a duplicate). Throws LedgerRejection exactly when validate would. */
  apply(fill: LedgerFill, appliedAt: number): ApplyFillResult {
    checkId('fill_id', fill.fill_id);
    const earlier = this.seen.get(fill.fill_id);
    if (earlier !== undefined) {
      return { applied: false, seq: earlier, cash: this.state.cash, position: this.position(fill.symbol) };
    }
    const plan = this.plan(fill);
    const s = this.state;
    const held = s.positions[fill.symbol];
    let qty = held ? money(held.qty) : ZERO;
    let cost = held ? money(held.cost) : ZERO;
    let realized = ZERO;

    if (fill.side === 'buy') {
      qty = qty.plus(plan.qty);
      cost = cost.plus(plan.qty.times(plan.price));
    }
    if (plan.disposed.greaterThan(0)) {
      // Average cost: the disposed units take their pro-rata share of the cost basis; closing the
      // whole position takes all of it, so no rounding dust is left behind.
      const removed = plan.disposed.equals(qty) ? cost : cost.times(plan.disposed).dividedBy(qty).toDecimalPlaces(COST_DECIMALS);
      realized = plan.disposed.times(plan.price).minus(removed);
      qty = qty.minus(plan.disposed);
      cost = cost.minus(removed);
    }
    const feeQuote = plan.feeInBase ? plan.fee.times(plan.price) : plan.fee;

    s.cash = text(money(s.cash).plus(plan.cashDelta));
    if (qty.isZero()) delete s.positions[fill.symbol];
    else s.positions[fill.symbol] = { qty: text(qty), cost: text(cost) };
    s.realized_pnl = text(money(s.realized_pnl).plus(realized));
    s.fees_paid = text(money(s.fees_paid).plus(feeQuote));
    const feeCurrency = fill.fee_currency;
    s.fees_by_currency[feeCurrency] = text(money(s.fees_by_currency[feeCurrency] ?? '0').plus(plan.fee));
    s.last_prices[fill.symbol] = { price: text(plan.price), ts: fill.ts };
    s.fill_count += 1;
    s.last_fill_ts = s.last_fill_ts === null ? fill.ts : Math.max(s.last_fill_ts, fill.ts);

    const seq = s.fill_count;
    const position = this.position(fill.symbol);
    const entry: JournalEntry = {
      fill_id: fill.fill_id,
      client_order_id: fill.client_order_id,
      intent_id: fill.intent_id,
      order_workflow_id: fill.order_workflow_id,
      symbol: fill.symbol,
      side: fill.side,
      qty: text(plan.qty),
      price: text(plan.price),
      fee: text(plan.fee),
      fee_currency: fill.fee_currency,
      liquidity: fill.liquidity,
      ts: fill.ts,
      seq,
      realized_pnl: text(realized),
      fee_quote: text(feeQuote),
      cash_after: s.cash,
      position_qty_after: position?.qty ?? '0',
      avg_price_after: position?.avg_price ?? '0',
    };
    pushBounded(s.journal, entry, s.settings.journalLimit);
    this.remember(fill.fill_id, seq);
    this.recordEquity(appliedAt, 'fill', {});
    return { applied: true, seq, cash: s.cash, position };
  }

  /** Checks everything about a fill that is not yet applied and works out its cash and position effect. */
  private plan(fill: LedgerFill): FillPlan {
    checkId('client_order_id', fill.client_order_id);
    checkId('order_workflow_id', fill.order_workflow_id);
    if (fill.intent_id !== null && (typeof fill.intent_id !== 'string' || fill.intent_id.length > MAX_ID_CHARS)) {
      reject(INVALID_FILL, 'intent_id must be null or a string');
    }
    const assets = typeof fill.symbol === 'string' ? spotAssets(fill.symbol) : null;
    if (!assets) reject(INVALID_FILL, `symbol must be a spot symbol BASE/QUOTE such as BTC/USDT (got ${JSON.stringify(fill.symbol)})`);
    const { base, quote } = assets;
    const quoteCurrency = this.settings.quoteCurrency;
    if (quote !== quoteCurrency) {
      reject(INVALID_FILL, `the ledger keeps cash in ${quoteCurrency}; ${fill.symbol} is quoted in ${quote}. Trade a ${base}/${quoteCurrency} pair`);
    }
    if (base === quote) reject(INVALID_FILL, `symbol ${fill.symbol} names the same asset twice`);
    if (fill.side !== 'buy' && fill.side !== 'sell') reject(INVALID_FILL, `side must be "buy" or "sell" (got ${JSON.stringify(fill.side)})`);
    if (fill.liquidity !== 'maker' && fill.liquidity !== 'taker') {
      reject(INVALID_FILL, `liquidity must be "maker" or "taker" (got ${JSON.stringify(fill.liquidity)})`);
    }
    if (!Number.isSafeInteger(fill.ts) || fill.ts < 0) reject(INVALID_FILL, 'ts must be a non-negative integer of ms since the epoch');
    const qty = checkAmount('qty', fill.qty, true);
    const price = checkAmount('price', fill.price, true);
    const fee = checkAmount('fee', fill.fee, false);
    if (fill.fee_currency !== base && fill.fee_currency !== quote) {
      reject(INVALID_FILL, `fee_currency must be ${quote} or ${base} for ${fill.symbol} (got ${JSON.stringify(fill.fee_currency)})`);
    }
    const feeInBase = fill.fee_currency === base;
    const notional = qty.times(price);
    const cash = money(this.state.cash);
    const held = this.state.positions[fill.symbol];
    const heldQty = held ? money(held.qty) : ZERO;

    if (fill.side === 'buy') {
      const cashDelta = notional.plus(feeInBase ? ZERO : fee).negated();
      if (cash.plus(cashDelta).isNegative()) {
        reject(
          INSUFFICIENT_CASH,
          `buying ${text(qty)} ${base} at ${text(price)} costs ${text(cashDelta.negated())} ${quote} but the account holds ${text(cash)} ${quote}`,
        );
      }
      const disposed = feeInBase ? fee : ZERO;
      if (disposed.greaterThan(heldQty.plus(qty))) {
        reject(INVALID_FILL, `a fee of ${text(fee)} ${base} exceeds the ${text(heldQty.plus(qty))} ${base} the position would hold`);
      }
      return { base, qty, price, fee, feeInBase, disposed, cashDelta };
    }
    const disposed = qty.plus(feeInBase ? fee : ZERO);
    if (disposed.greaterThan(heldQty)) {
      reject(
        INSUFFICIENT_HOLDINGS,
        `selling ${text(disposed)} ${base}${feeInBase ? ' (including the fee)' : ''} but the account holds ${text(heldQty)} ${base}; spot accounts cannot go short`,
      );
    }
    const cashDelta = notional.minus(feeInBase ? ZERO : fee);
    if (cash.plus(cashDelta).isNegative()) {
      reject(INSUFFICIENT_CASH, `the fee of ${text(fee)} ${quote} exceeds the ${text(cash.plus(notional))} ${quote} available after the sale`);
    }
    return { base, qty, price, fee, feeInBase, disposed, cashDelta };
  }

  position(symbol: string): LedgerPosition | null {
    const held = this.state.positions[symbol];
    if (!held) return null;
    const avg = money(held.cost).dividedBy(held.qty).toDecimalPlaces(PRICE_DECIMALS);
    return { qty: held.qty, avg_price: text(avg), cost: held.cost };
  }

  balances(): LedgerBalances {
    const s = this.state;
    const positions: Record<string, LedgerPosition> = {};
    for (const symbol of this.positionSymbols()) positions[symbol] = this.position(symbol) as LedgerPosition;
    return {
      account: this.account,
      quote_currency: s.settings.quoteCurrency,
      initial_cash: s.settings.initialCash,
      cash: s.cash,
      positions,
      realized_pnl: s.realized_pnl,
      fees_paid: s.fees_paid,
      fees_by_currency: { ...s.fees_by_currency },
      last_prices: { ...s.last_prices },
      fill_count: s.fill_count,
      last_fill_ts: s.last_fill_ts,
    };
  }

  /** Cash plus every position at its mark; symbols without a mark are valued at their last fill price. */
  equity(marks: Record<string, string>): Money {
    let equity = money(this.state.cash);
    for (const [symbol, held] of Object.entries(this.state.positions)) {
      const mark = marks[symbol] ?? this.state.last_prices[symbol]?.price;
      // A position always has a last fill price: it was opened by a fill.
      equity = equity.plus(money(held.qty).times(mark as string));
    }
    return equity;
  }

  /**
   * Adds an equity point. Points are coalesced per sampling bucket (the newest point of a bucket
   * wins) so the bounded curve covers equityCurveLimit buckets of time, not that many fills.
   */
  recordEquity(ts: number, source: EquityPoint['source'], marks: Record<string, string>): void {
    const curve = this.state.equity_curve;
    const point: EquityPoint = { ts, equity: text(this.equity(marks)), source };
    const bucketMs = this.settings.equitySampleSec * 1000;
    const last = curve[curve.length - 1];
    // The opening point stays: it is what returns over the account's whole life start from.
    const sameBucket = last && last.source !== 'open' && Math.floor(last.ts / bucketMs) === Math.floor(ts / bucketMs) && ts >= last.ts;
    if (sameBucket) curve[curve.length - 1] = point;
    else pushBounded(curve, point, this.settings.equityCurveLimit);
  }

  journalPage(req: JournalRequest): JournalPage {
    const journal = this.state.journal;
    const since = req.since_ts ?? null;
    const symbol = req.symbol ?? null;
    const matching = journal.filter((e) => (since === null || e.ts >= since) && (symbol === null || e.symbol === symbol));
    const limit = Math.max(0, Math.floor(req.limit));
    return {
      fills: limit === 0 ? [] : matching.slice(-limit),
      matched: matching.length,
      retained_since_ts: journal[0]?.ts ?? null,
      fill_count: this.state.fill_count,
    };
  }

  performanceInputs(): PerformanceInputs {
    return {
      initial_cash: this.settings.initialCash,
      created_ts: this.state.created_ts,
      equity_curve: [...this.state.equity_curve],
      trades: this.state.journal
        .filter((e) => e.side === 'sell')
        .map((e) => ({ ts: e.ts, pnl: text(money(e.realized_pnl).minus(e.fee_quote)) })),
      equity_sample_sec: this.settings.equitySampleSec,
    };
  }

  /** The state to carry into the next run, with the (possibly refreshed) bounds applied. */
  carry(settings: LedgerSettings): LedgerCarriedState {
    // Initial cash and quote currency belong to the account for its whole life.
    const next = { ...settings, initialCash: this.settings.initialCash, quoteCurrency: this.settings.quoteCurrency };
    const s = this.state;
    return {
      ...s,
      settings: next,
      journal: s.journal.slice(-next.journalLimit),
      recent_fill_ids: s.recent_fill_ids.slice(-Math.max(next.dedupeWindow, next.journalLimit)),
      equity_curve: s.equity_curve.slice(-next.equityCurveLimit),
      runs: s.runs + 1,
    };
  }

  private remember(fillId: string, seq: number): void {
    const ids = this.state.recent_fill_ids;
    ids.push([fillId, seq]);
    this.seen.set(fillId, seq);
    const excess = ids.length - this.settings.dedupeWindow;
    if (excess > 0) for (const [old] of ids.splice(0, excess)) this.seen.delete(old);
  }
}

function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  const excess = list.length - limit;
  if (excess > 0) list.splice(0, excess);
}
