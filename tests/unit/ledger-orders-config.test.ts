/**
 * Ledger and paper-order settings from the environment: documented defaults, and a start-up error
 * naming the variable for every value that cannot be right.
 */
import { describe, expect, it } from 'vitest';
import { ledgerSettingsFromEnv } from '../../worker/config/ledger-config.js';
import { paperExecutionConfigFromEnv } from '../../worker/config/orders-config.js';

describe('ledger settings', () => {
  it('defaults to 100000 USDT and bounded state', () => {
    expect(ledgerSettingsFromEnv({})).toEqual({
      initialCash: '100000',
      quoteCurrency: 'USDT',
      journalLimit: 500,
      dedupeWindow: 2_000,
      equityCurveLimit: 2_000,
      equitySampleSec: 300,
      continueAsNewAfter: 1_000,
      historyLimit: 9_000,
    });
    expect(ledgerSettingsFromEnv({ INITIAL_CASH: ' 2500.50 ' }).initialCash).toBe('2500.5');
  });

  it('refuses values that cannot be right, naming the variable', () => {
    expect(() => ledgerSettingsFromEnv({ INITIAL_CASH: '-5' })).toThrow(/^INITIAL_CASH=-5 is not a non-negative decimal/);
    expect(() => ledgerSettingsFromEnv({ INITIAL_CASH: '1e6' })).toThrow(/INITIAL_CASH=1e6/);
    expect(() => ledgerSettingsFromEnv({ INITIAL_CASH: '100,000' })).toThrow(/INITIAL_CASH=100,000/);
    expect(() => ledgerSettingsFromEnv({ LEDGER_QUOTE_CURRENCY: 'usdt' })).toThrow(/LEDGER_QUOTE_CURRENCY=usdt is not a currency code/);
    expect(() => ledgerSettingsFromEnv({ LEDGER_JOURNAL_LIMIT: '100000' })).toThrow(/LEDGER_JOURNAL_LIMIT=100000 is not an integer between 10 and 2000/);
    expect(() => ledgerSettingsFromEnv({ LEDGER_JOURNAL_LIMIT: '800', LEDGER_DEDUPE_WINDOW: '400' })).toThrow(
      /LEDGER_DEDUPE_WINDOW=400 is smaller than LEDGER_JOURNAL_LIMIT=800/,
    );
  });
});

describe('paper order settings', () => {
  it('defaults to the venue fees in the quote currency and a 5 s resting check', () => {
    expect(paperExecutionConfigFromEnv({})).toMatchObject({
      bookDepth: 50,
      makerFee: null,
      takerFee: null,
      feeCurrencyMode: 'quote',
      qtyDecimals: 8,
      restingPollSec: 5,
      defaultExpiresAfterSec: 86_400,
    });
    expect(paperExecutionConfigFromEnv({ PAPER_TAKER_FEE: '0.00075', PAPER_FEE_CURRENCY: 'received' })).toMatchObject({ takerFee: '0.00075', feeCurrencyMode: 'received' });
  });

  it('refuses values that cannot be right, naming the variable', () => {
    expect(() => paperExecutionConfigFromEnv({ PAPER_TAKER_FEE: '0.1' })).toThrow(/PAPER_TAKER_FEE=0.1 is not a fee rate fraction below 0.1/);
    expect(() => paperExecutionConfigFromEnv({ PAPER_MAKER_FEE: '10bps' })).toThrow(/PAPER_MAKER_FEE=10bps/);
    expect(() => paperExecutionConfigFromEnv({ PAPER_FEE_CURRENCY: 'bnb' })).toThrow(/PAPER_FEE_CURRENCY=bnb must be "quote"/);
    expect(() => paperExecutionConfigFromEnv({ PAPER_ORDER_DEFAULT_EXPIRY_SEC: '7200', PAPER_ORDER_MAX_EXPIRY_SEC: '3600' })).toThrow(
      /PAPER_ORDER_DEFAULT_EXPIRY_SEC=7200 exceeds PAPER_ORDER_MAX_EXPIRY_SEC=3600/,
    );
    expect(() => paperExecutionConfigFromEnv({ PAPER_BOOK_DEPTH: '0' })).toThrow(/PAPER_BOOK_DEPTH=0 is not an integer between 1 and 500/);
  });
});
