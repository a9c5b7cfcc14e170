/**
 * Symbol validation shared by every venue: an unknown symbol is refused up front with the symbols
 * that were probably meant (same base or quote asset) and a count of everything listed, so the
 * caller can correct the call without a round of guessing.
 */
import { ApplicationFailure } from '@temporalio/common';
import { UNKNOWN_SYMBOL } from '../../../../schemas/temporal/market.js';

const MAX_SUGGESTIONS = 25;

function assets(symbol: string): { base: string; quote: string } {
  const [pair = ''] = symbol.split(':');
  const [base = '', quote = ''] = pair.split('/');
  return { base: base.toUpperCase(), quote: quote.toUpperCase() };
}

/** Listed symbols most likely meant instead of `wanted`: same base first, then same quote. */
export function suggestSymbols(wanted: readonly string[], listed: readonly string[]): string[] {
  const wantedAssets = wanted.map(assets);
  const score = (symbol: string): number => {
    const a = assets(symbol);
    let best = 0;
    for (const w of wantedAssets) {
      if (a.base === w.base && a.quote === w.quote) best = Math.max(best, 3);
      else if (a.base === w.base) best = Math.max(best, 2);
      else if (a.quote === w.quote) best = Math.max(best, 1);
    }
    return best;
  };
  return [...listed]
    .map((symbol) => ({ symbol, score: score(symbol) }))
    .sort((x, y) => y.score - x.score || x.symbol.localeCompare(y.symbol))
    .slice(0, MAX_SUGGESTIONS)
    .map((s) => s.symbol);
}

export function unknownSymbolFailure(venueId: string, unknown: readonly string[], listed: readonly string[]): ApplicationFailure {
  const suggestions = suggestSymbols(unknown, listed);
  const more = listed.length > suggestions.length ? ` (and ${listed.length - suggestions.length} more)` : '';
  return ApplicationFailure.create({
    type: UNKNOWN_SYMBOL,
    nonRetryable: true,
    message:
      `${venueId} does not list ${unknown.join(', ')}; use ccxt unified symbols (BASE/QUOTE, e.g. BTC/USDT). ` +
      `Valid symbols include: ${suggestions.join(', ')}${more}`,
  });
}

/** Throws UnknownSymbol for any requested symbol the venue does not list. */
export function requireListed(venueId: string, requested: readonly string[], listed: readonly string[]): void {
  const known = new Set(listed);
  const unknown = requested.filter((s) => !known.has(s));
  if (unknown.length > 0) throw unknownSymbolFailure(venueId, unknown, listed);
}
