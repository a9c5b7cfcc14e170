/**
 * Owns what a spot symbol is: a ccxt unified spot symbol in capitals, BASE/QUOTE, each asset 1-20
 * capital letters or digits (BTC/USDT). Derivatives carry a settle currency after ":" and do not
 * match. The tool contracts, the risk limits file, the risk gate, the fill model and the ledger all
 * check symbols with this one pattern, so a symbol one of them accepts the others accept too.
 * Plain TypeScript (no zod, no Node built-ins): it runs in workflow code as well.
 */

/**
 * Written without capture groups: zod copies it into the generated JSON Schema as the `pattern`
 * of a symbol, and clients read that pattern.
 */
export const SPOT_SYMBOL = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/;

export function isSpotSymbol(value: unknown): value is string {
  return typeof value === 'string' && SPOT_SYMBOL.test(value);
}

/** BASE and QUOTE of a spot symbol, or null for anything else (derivatives carry ':'). */
export function spotAssets(symbol: string): { base: string; quote: string } | null {
  if (!isSpotSymbol(symbol)) return null;
  // The pattern allows exactly one "/", with an asset on each side.
  const [base, quote] = symbol.split('/') as [string, string];
  return { base, quote };
}
