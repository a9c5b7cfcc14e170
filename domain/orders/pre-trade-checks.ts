/**
 * The checks of the interim pre-trade gate as pure functions: a well-formed order of positive
 * size, a known spot symbol quoted in the ledger's currency, a fresh book with liquidity, and
 * enough cash (buys) or holdings (sells) for what the order would execute against that book.
 * Every refusal carries a reason code and says what to change.
 */
import type { LedgerBalances } from '../../schemas/temporal/ledger.js';
import type { OrderRejection, PaperOrderRequest, PaperOrderSettings } from '../../schemas/temporal/orders.js';
import { spotAssets } from '../../schemas/primitives/spot-symbol.js';
import { Money, ZERO, isPlainDecimal, money, text } from '../money.js';
import { oppositeSide, totalNotional, totalQty, walkBook, type BookSnapshot } from './fill-model.js';
import { limitFieldsViolation, sizeViolation, violationText } from './order-shape.js';

/** What the venue said about the order's symbol: its book, or that it does not list it. */
export type BookFetch = { listed: true; book: BookSnapshot } | { listed: false; message: string };

function refuse(code: OrderRejection['code'], message: string): OrderRejection {
  return { code, message };
}

function positiveDecimal(value: string | null): boolean {
  return value !== null && isPlainDecimal(value) && money(value).greaterThan(0);
}

/** The base quantity an order asks for before it meets the book (a limit order's notional at its limit price). */
export function requestedQty(request: PaperOrderRequest, settings: PaperOrderSettings): Money | null {
  if (request.qty !== null) return money(request.qty);
  if (request.type === 'limit' && request.quote_notional !== null && request.limit_price !== null) {
    return money(request.quote_notional).dividedBy(request.limit_price).toDecimalPlaces(settings.qtyDecimals, Money.ROUND_DOWN);
  }
  return null;
}

/** Problems with the order itself, whatever the market and the account look like (its shape rules: order-shape.ts). */
export function checkOrderShape(request: PaperOrderRequest, settings: PaperOrderSettings): OrderRejection | null {
  if (request.side !== 'buy' && request.side !== 'sell') return refuse('INVALID_ORDER', 'side must be "buy" or "sell"');
  if (request.type !== 'market' && request.type !== 'limit') return refuse('INVALID_ORDER', 'type must be "market" or "limit"');
  const sizes = sizeViolation(request);
  if (sizes) return refuse('INVALID_SIZE', violationText(sizes));
  const assets = spotAssets(request.symbol);
  if (!assets) return refuse('UNSUPPORTED_SYMBOL', `${request.symbol} is not a spot symbol BASE/QUOTE; paper orders trade spot pairs such as BTC/USDT`);
  if (assets.quote !== settings.quoteCurrency) {
    return refuse(
      'UNSUPPORTED_SYMBOL',
      `ledgers keep cash in ${settings.quoteCurrency}, but ${request.symbol} is quoted in ${assets.quote}; trade ${assets.base}/${settings.quoteCurrency}`,
    );
  }
  const size = request.qty ?? request.quote_notional;
  if (!positiveDecimal(size)) {
    return refuse('INVALID_SIZE', `${request.qty !== null ? 'qty' : 'quote_notional'} must be a positive decimal such as "0.01" (got ${JSON.stringify(size)})`);
  }
  // order-shape.ts's limit-price rule, checked together with the positivity every limit price needs.
  if (request.type === 'limit' && !positiveDecimal(request.limit_price)) return refuse('INVALID_PRICE', 'a limit order needs a positive limit_price');
  const limitFields = limitFieldsViolation(request);
  if (limitFields) return refuse('INVALID_ORDER', violationText(limitFields));
  if (request.expires_after_sec !== null) {
    if (!Number.isInteger(request.expires_after_sec) || request.expires_after_sec < 1 || request.expires_after_sec > settings.maxExpiresAfterSec) {
      return refuse('INVALID_ORDER', `expires_after_sec must be a whole number from 1 to ${settings.maxExpiresAfterSec}`);
    }
  }
  const qty = requestedQty(request, settings);
  if (qty !== null && !qty.greaterThan(0)) {
    return refuse('INVALID_SIZE', `quote_notional ${request.quote_notional} buys less than ${text(money(1).dividedBy(10 ** settings.qtyDecimals))} at limit_price ${request.limit_price}; raise it`);
  }
  return null;
}

export interface PreTradeCheckInput {
  request: PaperOrderRequest;
  settings: PaperOrderSettings;
  fetched: BookFetch;
  balances: LedgerBalances;
  nowMs: number;
}

/** The interim gate's market and account checks; null when the order may go ahead. */
export function checkPreTrade({ request, settings, fetched, balances, nowMs }: PreTradeCheckInput): OrderRejection | null {
  const assets = spotAssets(request.symbol);
  if (!assets) return refuse('UNSUPPORTED_SYMBOL', `${request.symbol} is not a spot symbol BASE/QUOTE; paper orders trade spot pairs such as BTC/USDT`);
  if (assets.quote !== balances.quote_currency) {
    return refuse(
      'UNSUPPORTED_SYMBOL',
      `the ${balances.account} account keeps cash in ${balances.quote_currency}, but ${request.symbol} is quoted in ${assets.quote}; trade ${assets.base}/${balances.quote_currency}`,
    );
  }
  if (!fetched.listed) return refuse('UNKNOWN_SYMBOL', fetched.message);
  const book = fetched.book;
  const ageMs = nowMs - book.ts;
  if (ageMs > settings.maxBookAgeMs) {
    return refuse(
      'STALE_PRICE',
      `the ${book.exchange} order book for ${request.symbol} is ${Math.round(ageMs / 1000)} s old (limit ${settings.maxBookAgeMs / 1000} s); try again when the venue answers with a fresh book`,
    );
  }
  const levels = oppositeSide(book, request.side);
  if (request.type === 'market' && levels.length === 0) {
    return refuse('NO_LIQUIDITY', `the ${book.exchange} book for ${request.symbol} has no ${request.side === 'buy' ? 'asks' : 'bids'} to fill a market ${request.side}; use a limit order`);
  }

  const qty = requestedQty(request, settings);
  const limitPrice = request.limit_price !== null ? money(request.limit_price) : undefined;
  const walk = walkBook(levels, request.side, {
    ...(qty ? { qty } : { notional: money(request.quote_notional as string) }),
    ...(limitPrice ? { limitPrice } : {}),
    qtyDecimals: settings.qtyDecimals,
  });
  if (request.type === 'market' && walk.length === 0) {
    return refuse('INVALID_SIZE', `quote_notional ${request.quote_notional} buys less than one ${text(money(1).dividedBy(10 ** settings.qtyDecimals))} ${assets.base} step at the best price; raise it`);
  }

  if (request.side === 'sell') {
    const selling = qty ?? totalQty(walk);
    const held = money(balances.positions[request.symbol]?.qty ?? '0');
    if (selling.greaterThan(held)) {
      return refuse(
        'INSUFFICIENT_HOLDINGS',
        `selling ${text(selling)} ${assets.base} but the ${balances.account} account holds ${text(held)}; spot accounts cannot go short, so sell at most ${text(held)}`,
      );
    }
    return null;
  }

  // A buy: what the marketable part costs at the book, plus what rests at the limit price.
  const taken = totalQty(walk);
  const resting = qty && limitPrice ? Money.max(ZERO, qty.minus(taken)).times(limitPrice) : ZERO;
  const takenCost = totalNotional(walk);
  const feesInQuote = settings.feeCurrencyMode === 'quote';
  const fees = feesInQuote ? takenCost.times(book.fees.taker).plus(resting.times(book.fees.maker)) : ZERO;
  const needed = takenCost.plus(resting).plus(fees);
  const cash = money(balances.cash);
  if (needed.greaterThan(cash)) {
    return refuse(
      'INSUFFICIENT_CASH',
      `this buy needs ${text(needed.toDecimalPlaces(8, Money.ROUND_UP))} ${assets.quote} including fees but the ${balances.account} account has ${balances.cash} ${assets.quote}; reduce qty or quote_notional`,
    );
  }
  return null;
}
