/**
 * The checks of the interim pre-trade gate as pure functions: a well-formed order of positive
 * size, a known spot symbol quoted in the ledger's currency, a fresh book with liquidity, a size
 * the venue accepts (its minimums and step, size-rules.ts), and enough cash (buys) or holdings
 * (sells) for what the order would execute against that book. Every refusal carries a reason code
 * and says what to change.
 */
import type { LedgerBalances } from '../../schemas/temporal/ledger.js';
import type { OrderRejection, PaperOrderRequest, PaperOrderSettings } from '../../schemas/temporal/orders.js';
import { positiveDecimalProblem } from '../../schemas/primitives/decimal.js';
import { IDEMPOTENCY_KEY_RULE, isIdempotencyKey } from '../../schemas/primitives/request-id.js';
import { spotAssets } from '../../schemas/primitives/spot-symbol.js';
import { Money, ZERO, isPlainDecimal, money, text } from '../money.js';
import { oppositeSide, totalNotional, totalQty, walkBook, type BookLevelText, type BookSnapshot, type Execution } from './fill-model.js';
import { limitFieldsViolation, sizeViolation, violationText } from './order-shape.js';
import { breachAdvice, notionalBelowMinimum, qtyRuleBreach, sizeRulesText, type SizeRules } from './size-rules.js';

/**
 * What the venue said about the order's symbol: its book (and its size rules, absent in orders
 * recorded before the venue reported them), or that it does not list it.
 */
export type BookFetch = { listed: true; book: BookSnapshot; size_rules?: SizeRules } | { listed: false; message: string };

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

/** Ids and amounts in the one spelling the tools accept (schemas/primitives), for runs that check them so. */
function canonicalInputRefusal(request: PaperOrderRequest): OrderRejection | null {
  if (!isIdempotencyKey(request.client_order_id)) return refuse('INVALID_ORDER', `client_order_id: ${IDEMPOTENCY_KEY_RULE}`);
  if (request.intent_id !== null && !isIdempotencyKey(request.intent_id)) return refuse('INVALID_ORDER', `intent_id: ${IDEMPOTENCY_KEY_RULE}`);
  const sizeField = request.qty !== null ? 'qty' : 'quote_notional';
  const sizeProblem = positiveDecimalProblem(request.qty ?? request.quote_notional);
  if (sizeProblem) return refuse('INVALID_SIZE', `${sizeField} must be a positive decimal string: ${sizeProblem}`);
  const priceProblem = request.limit_price !== null ? positiveDecimalProblem(request.limit_price) : null;
  if (priceProblem) return refuse('INVALID_PRICE', `limit_price must be a positive decimal string: ${priceProblem}`);
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
  // Runs recorded before canonical input keep the plain-decimal check they were decided with.
  const canonical = settings.canonicalInput === true ? canonicalInputRefusal(request) : null;
  if (canonical) return canonical;
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
  /** The account's balances, or null when the gate's own cash and holdings check stands for them (the ledger refuses the rest). */
  balances: LedgerBalances | null;
  nowMs: number;
}

/** The interim gate's market and account checks; null when the order may go ahead. */
export function checkPreTrade({ request, settings, fetched, balances, nowMs }: PreTradeCheckInput): OrderRejection | null {
  const assets = spotAssets(request.symbol);
  if (!assets) return refuse('UNSUPPORTED_SYMBOL', `${request.symbol} is not a spot symbol BASE/QUOTE; paper orders trade spot pairs such as BTC/USDT`);
  const quoteCurrency = balances?.quote_currency ?? settings.quoteCurrency;
  if (assets.quote !== quoteCurrency) {
    return refuse(
      'UNSUPPORTED_SYMBOL',
      `the ${request.account} account keeps cash in ${quoteCurrency}, but ${request.symbol} is quoted in ${assets.quote}; trade ${assets.base}/${quoteCurrency}`,
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

  if (fetched.size_rules) {
    const refusal = sizeRuleRefusal({ request, settings, rules: fetched.size_rules, book, qty, walk, quote: assets.quote });
    if (refusal) return refusal;
  }

  if (!balances) return null;
  if (request.side === 'sell') {
    const selling = qty ?? totalQty(walk);
    const held = money(balances.positions[request.symbol]?.qty ?? '0');
    if (selling.greaterThan(held)) {
      return refuse(
        'INSUFFICIENT_HOLDINGS',
        `selling ${text(selling)} ${assets.base} but the ${request.account} account holds ${text(held)}; spot accounts cannot go short, so sell at most ${text(held)}`,
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
      `this buy needs ${text(needed.toDecimalPlaces(8, Money.ROUND_UP))} ${assets.quote} including fees but the ${request.account} account has ${balances.cash} ${assets.quote}; reduce qty or quote_notional`,
    );
  }
  return null;
}

interface SizeRuleInput {
  request: PaperOrderRequest;
  settings: PaperOrderSettings;
  rules: SizeRules;
  book: BookSnapshot;
  /** The quantity asked for, or (a market quote_notional) null. */
  qty: Money | null;
  walk: Execution[];
  quote: string;
}

/** The price an order is worth at the book: the touch it would take, else the other side's (a limit order may rest on an empty side). */
function bookPrice(book: BookSnapshot, side: PaperOrderRequest['side']): Money | null {
  const best = (levels: BookLevelText[]) => (levels[0] ? money(levels[0].price) : null);
  return best(oppositeSide(book, side)) ?? best(oppositeSide(book, side === 'buy' ? 'sell' : 'buy'));
}

/**
 * The venue's minimums and step. A qty must be a whole number of steps of at least the minimum,
 * worth the minimum value at the book (a resting limit order too: the venue's minimum is about what
 * an order is worth, whatever its limit). A quote_notional must reach the minimum value and buy at
 * least the minimum quantity; its quantity comes from the book, so the step is not asked of it.
 */
function sizeRuleRefusal({ request, settings, rules, book, qty, walk, quote }: SizeRuleInput): OrderRejection | null {
  const price = bookPrice(book, request.side);
  if (request.qty !== null && qty) {
    // Without a venue step, the finest quantity the paper engine trades is the step.
    const stepped = rules.qty_step !== null ? rules : { ...rules, qty_step: text(money(`1e-${settings.qtyDecimals}`)) };
    const rulesText = sizeRulesText(request.symbol, quote, stepped);
    const breach = qtyRuleBreach(qty, stepped, price);
    if (!breach) return null;
    const what = breach.rule === 'min_qty' ? 'is below the minimum' : breach.rule === 'qty_step' ? 'is not a whole number of steps' : 'is below the minimum value';
    return refuse('INVALID_SIZE', `qty ${request.qty} ${what}: ${rulesText}; ${breachAdvice(breach, quote)}`);
  }
  const rulesText = sizeRulesText(request.symbol, quote, rules);
  const notional = money(request.quote_notional as string);
  if (notionalBelowMinimum(notional, rules)) {
    return refuse('INVALID_SIZE', `quote_notional ${request.quote_notional} is below the minimum value: ${rulesText}; raise it to at least ${rules.min_notional}`);
  }
  const bought = qty ?? totalQty(walk);
  if (rules.min_qty !== null && bought.lessThan(rules.min_qty)) {
    const needed = price ? ` to at least ${text(money(rules.min_qty).times(price).toDecimalPlaces(8, Money.ROUND_UP))}` : '';
    return refuse('INVALID_SIZE', `quote_notional ${request.quote_notional} comes to ${text(bought)} at the book, below the minimum: ${rulesText}; raise it${needed}`);
  }
  return null;
}
