/**
 * Owns what a venue id is: a ccxt exchange id (binance, okx, bybit, ...) or "sim", the embedded
 * simulated venue: a lowercase letter, then 1-31 lowercase letters, digits or "_". The market tool
 * contracts and the worker's market and risk configuration check venue ids with this one pattern.
 * Plain TypeScript (no zod, no Node built-ins): it runs in workflow code as well.
 */

/** Written as a literal: zod copies it into the generated JSON Schema as the `pattern` of a venue. */
export const EXCHANGE_ID = /^[a-z][a-z0-9_]{1,31}$/;

export function isExchangeId(value: unknown): value is string {
  return typeof value === 'string' && EXCHANGE_ID.test(value);
}
