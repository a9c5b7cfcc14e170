/**
 * Positions and their value for the checks: what the ledger holds plus what approved orders still
 * work, marks (the quote's mid, else the last fill, else the price a working order was valued at),
 * gross exposure and equity. Pure.
 */
import type { Reservation } from '../../schemas/temporal/risk.js';
import { money, ZERO, type Money } from '../money.js';
import { readQuote } from './quote-reading.js';
import type { RiskInputs } from './risk-inputs.js';

/** Signed base quantity a trade adds to its symbol's position. */
export const signed = (side: 'buy' | 'sell', qty: Money): Money => (side === 'buy' ? qty : qty.negated());

/** |after| < |before| without crossing through zero: the trade only takes risk off. */
export function reduces(before: Money, after: Money): boolean {
  if (before.isZero()) return false;
  if (after.isZero()) return true;
  return before.isPositive() === after.isPositive() && after.abs().lessThan(before.abs());
}

/** Held positions plus the net of working orders, by symbol. */
export function positionsIncludingWorking(inputs: RiskInputs, reservations: readonly Reservation[]): Map<string, Money> {
  const positions = new Map<string, Money>();
  for (const [symbol, qty] of Object.entries(inputs.portfolio.positions)) positions.set(symbol, money(qty));
  for (const r of reservations) positions.set(r.symbol, (positions.get(r.symbol) ?? ZERO).plus(signed(r.side, money(r.qty))));
  return positions;
}

export interface Mark {
  price: Money;
  source: 'tick_store' | 'last_fill' | 'order';
}

export function marksFor(symbols: Iterable<string>, inputs: RiskInputs, reservations: readonly Reservation[], nowMs: number): Map<string, Mark | null> {
  const marks = new Map<string, Mark | null>();
  for (const symbol of symbols) {
    const mid = readQuote(inputs.quotes[symbol], nowMs).mid;
    const lastFill = inputs.portfolio.last_prices[symbol];
    const reserved = reservations.find((r) => r.symbol === symbol);
    let mark: Mark | null = null;
    if (mid) mark = { price: mid, source: 'tick_store' };
    else if (lastFill) mark = { price: money(lastFill), source: 'last_fill' };
    else if (reserved) mark = { price: money(reserved.price), source: 'order' };
    marks.set(symbol, mark);
  }
  return marks;
}

export const markPrices = (marks: Map<string, Mark | null>): Map<string, Money | null> => new Map([...marks].map(([s, m]) => [s, m ? m.price : null]));

/** Σ |qty| · mark; null (with the symbols) when a non-zero position has no price at all. */
export function grossExposure(positions: Map<string, Money>, marks: Map<string, Money | null>): { value: Money | null; unvalued: string[] } {
  let gross = ZERO;
  const unvalued: string[] = [];
  for (const [symbol, qty] of positions) {
    if (qty.isZero()) continue;
    const mark = marks.get(symbol);
    if (!mark) unvalued.push(symbol);
    else gross = gross.plus(qty.abs().times(mark));
  }
  return { value: unvalued.length ? null : gross, unvalued };
}

/** Cash plus the held positions at marks (spot holds no shorts); null when a held symbol has no price. */
export function equityAtMarks(inputs: RiskInputs, marks: Map<string, Money | null>): Money | null {
  const held = new Map(Object.entries(inputs.portfolio.positions).map(([s, q]) => [s, money(q)] as const));
  const value = grossExposure(held, marks).value;
  return value ? money(inputs.portfolio.cash).plus(value) : null;
}
