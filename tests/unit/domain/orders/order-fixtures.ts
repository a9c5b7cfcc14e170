/** What the paper-order check tests share: a fixed clock, the engine's settings, an order and a ledger's balances. */
import type { LedgerBalances } from '../../../../schemas/temporal/ledger.js';
import type { PaperOrderRequest, PaperOrderSettings } from '../../../../schemas/temporal/orders.js';

export const NOW = Date.UTC(2025, 0, 1, 12);

/** The settings of an order recorded before canonical input checks existed (no canonicalInput). */
export const PAPER_SETTINGS: PaperOrderSettings = {
  exchange: 'sim',
  quoteCurrency: 'USDT',
  bookDepth: 5,
  maxBookAgeMs: 10_000,
  makerFee: null,
  takerFee: null,
  feeCurrencyMode: 'quote',
  qtyDecimals: 8,
  restingPollSec: 5,
  defaultExpiresAfterSec: 3_600,
  maxExpiresAfterSec: 86_400,
  historyLimit: 9_000,
};

/** A market buy of 1 BTC/USDT on the paper account, with the fields a test changes. */
export function paperOrder(patch: Partial<PaperOrderRequest>): PaperOrderRequest {
  return {
    client_order_id: 'c1',
    account: 'paper',
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    qty: '1',
    quote_notional: null,
    limit_price: null,
    intent_id: null,
    expires_after_sec: null,
    ...patch,
  };
}

/** A ledger holding `cash` (its initial cash too) and the given positions. */
export function ledgerBalances(cash: string, positions: LedgerBalances['positions'] = {}): LedgerBalances {
  return {
    account: 'paper',
    quote_currency: 'USDT',
    initial_cash: cash,
    cash,
    positions,
    realized_pnl: '0',
    fees_paid: '0',
    fees_by_currency: {},
    last_prices: {},
    fill_count: 0,
    last_fill_ts: null,
  };
}
