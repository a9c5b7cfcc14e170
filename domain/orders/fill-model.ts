/**
 * The paper fill model as pure code: how an order executes against an order book. Prices always
 * come from the book (or, for a resting order, from its own limit price once the market trades
 * through it), never from the caller.
 *
 * - Taking liquidity (market orders, and the marketable part of a limit order) walks the opposite
 *   side level by level, best first, up to the quantity, the quote notional or the limit price:
 *   one execution per level touched, taker fee.
 * - A resting limit order fills when the opposite side crosses its price: as much as the crossing
 *   levels hold, at the limit price, maker fee. Short depth gives a partial fill.
 */
import type { FillLiquidity, FillSide } from '../../schemas/temporal/ledger.js';
import { Money, ZERO, money } from '../money.js';

export interface BookLevelText {
  price: string;
  qty: string;
}

/** An order book as the order workflow records it: decimal strings, best level first. */
export interface BookSnapshot {
  exchange: string;
  symbol: string;
  /** Venue time of the book, ms epoch. */
  ts: number;
  /** Worker time the book arrived, ms epoch. */
  fetched_at: number;
  bids: BookLevelText[];
  asks: BookLevelText[];
  /** The venue's fee rates (or the configured override) as fractions. */
  fees: { maker: string; taker: string };
}

export interface Execution {
  price: Money;
  qty: Money;
}

export interface WalkLimits {
  /** Stop after this base quantity. */
  qty?: Money;
  /** Stop after spending (buy) or receiving (sell) this much quote; quantities round down to qtyDecimals. */
  notional?: Money;
  /** Do not trade beyond this price: above it for a buy, below it for a sell. */
  limitPrice?: Money;
  qtyDecimals: number;
}

/** The side an order takes liquidity from: asks for a buy, bids for a sell. */
export function oppositeSide(book: Pick<BookSnapshot, 'bids' | 'asks'>, side: FillSide): BookLevelText[] {
  return side === 'buy' ? book.asks : book.bids;
}

function beyondLimit(price: Money, side: FillSide, limit: Money | undefined): boolean {
  if (!limit) return false;
  return side === 'buy' ? price.greaterThan(limit) : price.lessThan(limit);
}

/** Executions of a taking order walking `levels` (best first). Needs a qty or a notional limit. */
export function walkBook(levels: readonly BookLevelText[], side: FillSide, limits: WalkLimits): Execution[] {
  if (!limits.qty && !limits.notional) throw new RangeError('walkBook needs a qty or a notional limit');
  const executions: Execution[] = [];
  let qtyLeft = limits.qty ?? null;
  let notionalLeft = limits.notional ?? null;
  for (const level of levels) {
    const price = money(level.price);
    if (beyondLimit(price, side, limits.limitPrice)) break;
    let take = money(level.qty);
    if (qtyLeft) take = Money.min(take, qtyLeft);
    if (notionalLeft) take = Money.min(take, notionalLeft.dividedBy(price).toDecimalPlaces(limits.qtyDecimals, Money.ROUND_DOWN));
    if (!take.greaterThan(0)) break;
    executions.push({ price, qty: take });
    if (qtyLeft) qtyLeft = qtyLeft.minus(take);
    if (notionalLeft) notionalLeft = notionalLeft.minus(take.times(price));
    if ((qtyLeft && qtyLeft.isZero()) || (notionalLeft && notionalLeft.isZero())) break;
  }
  return executions;
}

/**
 * What a resting limit order at `limitPrice` with `remaining` to go fills against the current
 * book: the quantity of the opposite side at or through its price (capped at `remaining`), at
 * the limit price. Null when the book does not cross.
 */
export function restingFill(levels: readonly BookLevelText[], side: FillSide, limitPrice: Money, remaining: Money): Execution | null {
  let crossing = ZERO;
  for (const level of levels) {
    const price = money(level.price);
    if (beyondLimit(price, side, limitPrice)) break;
    crossing = crossing.plus(level.qty);
    if (crossing.greaterThanOrEqualTo(remaining)) break;
  }
  const qty = Money.min(crossing, remaining);
  return qty.greaterThan(0) ? { price: limitPrice, qty } : null;
}

export function totalQty(executions: readonly Execution[]): Money {
  return executions.reduce((sum, e) => sum.plus(e.qty), ZERO);
}

export function totalNotional(executions: readonly Execution[]): Money {
  return executions.reduce((sum, e) => sum.plus(e.qty.times(e.price)), ZERO);
}

export interface FeeTerms {
  rates: { maker: string; taker: string };
  /** 'quote': every fee in the quote currency; 'received': in the asset the order receives. */
  mode: 'quote' | 'received';
  base: string;
  quote: string;
}

/** The fee of one execution in the currency charged. */
export function feeFor(execution: Execution, side: FillSide, liquidity: FillLiquidity, terms: FeeTerms): { fee: Money; currency: string } {
  const rate = money(liquidity === 'maker' ? terms.rates.maker : terms.rates.taker);
  if (terms.mode === 'received' && side === 'buy') return { fee: execution.qty.times(rate), currency: terms.base };
  return { fee: execution.qty.times(execution.price).times(rate), currency: terms.quote };
}
