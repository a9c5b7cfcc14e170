/**
 * The interim pre-trade gate: each refusal with its reason code and actionable text, and approval
 * exactly when the account can pay for (or deliver) what the order executes against the book.
 */
import { describe, expect, it } from 'vitest';
import type { LedgerBalances } from '../../../../schemas/temporal/ledger.js';
import type { PaperOrderRequest } from '../../../../schemas/temporal/orders.js';
import type { BookSnapshot } from '../../../../domain/orders/fill-model.js';
import { checkOrderShape, checkPreTrade, requestedQty, type BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import { NOW, PAPER_SETTINGS, ledgerBalances, paperOrder } from './order-fixtures.js';

const settings = PAPER_SETTINGS;

const book: BookSnapshot = {
  exchange: 'sim',
  symbol: 'BTC/USDT',
  ts: NOW - 1_000,
  fetched_at: NOW - 900,
  bids: [
    { price: '99', qty: '1' },
    { price: '98', qty: '2' },
  ],
  asks: [
    { price: '101', qty: '1' },
    { price: '102', qty: '2' },
  ],
  fees: { maker: '0.001', taker: '0.002' },
};

const balances = (cash: string, btc?: string) => ledgerBalances(cash, btc ? { 'BTC/USDT': { qty: btc, avg_price: '90', cost: '0' } } : {});
const order = paperOrder;

const listed: BookFetch = { listed: true, book };
const check = (request: PaperOrderRequest, b: LedgerBalances, fetched: BookFetch = listed) =>
  checkPreTrade({ request, settings, fetched, balances: b, nowMs: NOW });

describe('order shape', () => {
  it('refuses sizes that are missing, doubled, zero or not decimals', () => {
    expect(checkOrderShape(order({ qty: null }), settings)?.code).toBe('INVALID_SIZE');
    expect(checkOrderShape(order({ quote_notional: '10' }), settings)?.code).toBe('INVALID_SIZE');
    expect(checkOrderShape(order({ qty: '0' }), settings)).toEqual({ code: 'INVALID_SIZE', message: 'qty must be a positive decimal such as "0.01" (got "0")' });
    expect(checkOrderShape(order({ qty: '-1' }), settings)?.code).toBe('INVALID_SIZE');
    expect(checkOrderShape(order({ qty: '1e3' }), settings)?.code).toBe('INVALID_SIZE');
  });

  it('refuses a symbol that is not spot or not quoted in the ledger currency, before any venue is asked', () => {
    expect(checkOrderShape(order({ symbol: 'ETH/BTC' }), settings)).toEqual({
      code: 'UNSUPPORTED_SYMBOL',
      message: 'ledgers keep cash in USDT, but ETH/BTC is quoted in BTC; trade ETH/USDT',
    });
    expect(checkOrderShape(order({ symbol: 'BTC/USDT:USDT' }), settings)?.code).toBe('UNSUPPORTED_SYMBOL');
  });

  it('refuses limit fields on market orders and a limit order without a price', () => {
    expect(checkOrderShape(order({ type: 'limit' }), settings)?.code).toBe('INVALID_PRICE');
    expect(checkOrderShape(order({ limit_price: '100' }), settings)?.code).toBe('INVALID_ORDER');
    expect(checkOrderShape(order({ expires_after_sec: 60 }), settings)?.code).toBe('INVALID_ORDER');
    expect(checkOrderShape(order({ type: 'limit', limit_price: '100', expires_after_sec: 86_401 }), settings)?.message).toContain('from 1 to 86400');
  });

  it('resolves a limit order notional to a quantity, refusing one that rounds to nothing', () => {
    const limit = order({ type: 'limit', qty: null, quote_notional: '250', limit_price: '100' });
    expect(requestedQty(limit, settings)?.toString()).toBe('2.5');
    expect(checkOrderShape({ ...limit, quote_notional: '0.0000001' }, settings)?.code).toBe('INVALID_SIZE');
    expect(checkOrderShape(limit, settings)).toBeNull();
  });
});

describe('pre-trade checks', () => {
  it('approves a buy the cash covers, fees included', () => {
    // 1 @ 101 + taker fee 0.202
    expect(check(order({}), balances('101.202'))).toBeNull();
    expect(check(order({}), balances('101.201'))).toEqual({
      code: 'INSUFFICIENT_CASH',
      message: 'this buy needs 101.202 USDT including fees but the paper account has 101.201 USDT; reduce qty or quote_notional',
    });
  });

  it('prices a buy by walking the book and a resting remainder at its limit with the maker fee', () => {
    // 1 @ 101 taken (fee 0.202) + 2 resting @ 101.5 (fee 0.203) = 304.405
    const limit = order({ type: 'limit', qty: '3', limit_price: '101.5' });
    expect(check(limit, balances('304.405'))).toBeNull();
    expect(check(limit, balances('304.404'))?.code).toBe('INSUFFICIENT_CASH');
  });

  it('refuses a sale of more than the account holds', () => {
    expect(check(order({ side: 'sell', qty: '2' }), balances('0', '1.5'))).toEqual({
      code: 'INSUFFICIENT_HOLDINGS',
      message: 'selling 2 BTC but the paper account holds 1.5; spot accounts cannot go short, so sell at most 1.5',
    });
    expect(check(order({ side: 'sell', qty: '1.5' }), balances('0', '1.5'))).toBeNull();
    // A notional sale needs the quantity the bids take for it: 99 + 98 = 197 needs 2 BTC.
    expect(check(order({ side: 'sell', qty: null, quote_notional: '197' }), balances('0', '1.5'))?.code).toBe('INSUFFICIENT_HOLDINGS');
  });

  it('refuses an unknown symbol with the venue\'s words, and a symbol not quoted in the ledger currency', () => {
    expect(check(order({}), balances('1000'), { listed: false, message: 'sim does not list FOO/USDT' })).toEqual({
      code: 'UNKNOWN_SYMBOL',
      message: 'sim does not list FOO/USDT',
    });
    expect(check(order({ symbol: 'BTC/EUR' }), balances('1000'))?.message).toContain('keeps cash in USDT, but BTC/EUR is quoted in EUR; trade BTC/USDT');
    expect(check(order({ symbol: 'BTC/USDT:USDT' }), balances('1000'))?.code).toBe('UNSUPPORTED_SYMBOL');
  });

  it('refuses on a stale book and on an empty side', () => {
    const stale = { listed: true as const, book: { ...book, ts: NOW - 11_000 } };
    expect(check(order({}), balances('1000'), stale)?.code).toBe('STALE_PRICE');
    const empty = { listed: true as const, book: { ...book, asks: [] } };
    expect(check(order({}), balances('1000'), empty)?.code).toBe('NO_LIQUIDITY');
    // A limit order may rest on an empty side.
    expect(check(order({ type: 'limit', limit_price: '100' }), balances('1000'), empty)).toBeNull();
  });
});
