/**
 * Paper execution settings from the worker's environment, read once at start-up with errors that
 * name the variable. They reach the order workflow through an activity whose result is recorded
 * in its history, never by the workflow reading the environment.
 */
import type { PaperOrderSettings } from '../../schemas/temporal/orders.js';
import { envInteger } from './env-number.js';

export class OrdersConfigError extends Error {}

/** A fee rate as a fraction: 0 <= rate < 0.1 (10 % would be a misplaced percent sign). */
function feeRateFromEnv(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return null;
  if (!/^0(\.\d{1,12})?$/.test(raw) || Number(raw) >= 0.1) {
    throw new OrdersConfigError(`${name}=${raw} is not a fee rate fraction below 0.1 (e.g. 0.001 for 0.1 %)`);
  }
  return raw;
}

/**
 * Everything of the order settings but the venue, which is the market's default exchange
 * (MARKET_EXCHANGE), and the quote currency, which is the ledger's (LEDGER_QUOTE_CURRENCY).
 */
export type PaperExecutionConfig = Omit<PaperOrderSettings, 'exchange' | 'quoteCurrency'>;

export function paperExecutionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PaperExecutionConfig {
  const mode = env.PAPER_FEE_CURRENCY?.trim() || 'quote';
  if (mode !== 'quote' && mode !== 'received') {
    throw new OrdersConfigError(`PAPER_FEE_CURRENCY=${mode} must be "quote" (fees in the quote currency) or "received" (in the asset received)`);
  }
  const defaultExpiresAfterSec = envInteger(env, 'PAPER_ORDER_DEFAULT_EXPIRY_SEC', 86_400, 1, 30 * 86_400);
  const maxExpiresAfterSec = envInteger(env, 'PAPER_ORDER_MAX_EXPIRY_SEC', 30 * 86_400, 1, 365 * 86_400);
  if (defaultExpiresAfterSec > maxExpiresAfterSec) {
    throw new OrdersConfigError(
      `PAPER_ORDER_DEFAULT_EXPIRY_SEC=${defaultExpiresAfterSec} exceeds PAPER_ORDER_MAX_EXPIRY_SEC=${maxExpiresAfterSec}`,
    );
  }
  return {
    bookDepth: envInteger(env, 'PAPER_BOOK_DEPTH', 50, 1, 500),
    maxBookAgeMs: envInteger(env, 'PAPER_MAX_BOOK_AGE_MS', 15_000, 100, 3_600_000),
    makerFee: feeRateFromEnv(env, 'PAPER_MAKER_FEE'),
    takerFee: feeRateFromEnv(env, 'PAPER_TAKER_FEE'),
    feeCurrencyMode: mode,
    qtyDecimals: envInteger(env, 'PAPER_QTY_DECIMALS', 8, 0, 18),
    restingPollSec: envInteger(env, 'PAPER_RESTING_POLL_SEC', 5, 1, 3_600),
    defaultExpiresAfterSec,
    maxExpiresAfterSec,
    historyLimit: envInteger(env, 'PAPER_ORDER_HISTORY_LIMIT', 9_000, 100, 40_000),
  };
}
