/**
 * What a tick store's latest quote says for a check: whether it is usable at all (two-sided, not
 * crossed), its mid, spread and age, and how far the mid moved since the tick before. Pure.
 */
import { fromVenueNumber, type Money } from '../money.js';
import type { QuoteTick, SymbolQuote } from './risk-inputs.js';

export interface QuoteReading {
  usable: boolean;
  mid: Money | null;
  bid: Money | null;
  ask: Money | null;
  ageMs: number | null;
  spreadBps: number | null;
  jumpBps: number | null;
  /** Why the quote is not usable. */
  problem: string | null;
}

/** Basis points, kept to four decimals for reporting. */
export const bps = (fraction: Money): number => Number(fraction.times(10_000).toFixed(4));

function midOf(tick: QuoteTick | null): Money | null {
  if (!tick || !(tick.bid > 0 && tick.ask > 0 && tick.bid <= tick.ask)) return null;
  return fromVenueNumber(tick.bid).plus(fromVenueNumber(tick.ask)).dividedBy(2);
}

export function readQuote(quote: SymbolQuote | undefined, nowMs: number): QuoteReading {
  const none = (problem: string): QuoteReading => ({ usable: false, mid: null, bid: null, ask: null, ageMs: null, spreadBps: null, jumpBps: null, problem });
  const latest = quote?.latest;
  if (!quote || !latest) return none(quote?.unavailable_reason ?? 'no quote was gathered');
  if (!(latest.bid > 0 && latest.ask > 0 && Number.isFinite(latest.bid) && Number.isFinite(latest.ask))) {
    return none(`the latest quote has no two-sided book (bid ${latest.bid}, ask ${latest.ask})`);
  }
  if (latest.bid > latest.ask) return none(`the latest quote is crossed (bid ${latest.bid} above ask ${latest.ask})`);
  const bid = fromVenueNumber(latest.bid);
  const ask = fromVenueNumber(latest.ask);
  const mid = bid.plus(ask).dividedBy(2);
  const previous = midOf(quote.previous);
  return {
    usable: true,
    mid,
    bid,
    ask,
    ageMs: Math.max(0, nowMs - latest.ts),
    spreadBps: bps(ask.minus(bid).dividedBy(mid)),
    jumpBps: previous ? bps(mid.minus(previous).abs().dividedBy(previous)) : null,
    problem: null,
  };
}
