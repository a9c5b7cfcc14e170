/**
 * What a risk check request must look like before it may enter the risk workflow's history. The
 * tools validate with zod already; this guards every other caller (the order gate, the intent bus,
 * a script) so the gate never decides on a malformed intent. Pure.
 */
import { positiveDecimalProblem } from '../../schemas/primitives/decimal.js';
import { isSpotSymbol } from '../../schemas/primitives/spot-symbol.js';
import type { RiskCheckRequest, RiskCheckSource } from '../../schemas/temporal/risk.js';

export const MAX_LEGS = 20;
const SOURCES: readonly RiskCheckSource[] = ['pre_trade_risk_check', 'submit_intent', 'order_gate', 'fill_check'];

export class InvalidRiskRequestError extends Error {}

/** Amounts in the one spelling the tools accept (schemas/primitives/decimal.ts), so the gate and the tools agree. */
function checkAmount(field: string, value: unknown, fail: (message: string) => never): void {
  const problem = positiveDecimalProblem(value);
  if (problem) fail(`${field} must be a positive decimal string: ${problem}`);
}

export function validateRiskCheckRequest(req: RiskCheckRequest, account: string): void {
  const fail = (message: string): never => {
    throw new InvalidRiskRequestError(message);
  };
  if (!req || typeof req !== 'object') fail('the request must be an object');
  if (typeof req.intent_id !== 'string' || req.intent_id.length === 0 || req.intent_id.length > 200) fail('intent_id must be 1-200 characters');
  if (req.account !== account) fail(`this risk workflow serves account ${account}, not ${String(req.account)}`);
  if (!SOURCES.includes(req.source)) fail(`source must be one of ${SOURCES.join(', ')}`);
  if (!Array.isArray(req.legs) || req.legs.length === 0 || req.legs.length > MAX_LEGS) fail(`an intent has 1-${MAX_LEGS} legs`);
  if ((req.source === 'order_gate' || req.source === 'fill_check') && req.legs.length !== 1) fail(`an ${req.source} request is one order: exactly one leg`);
  if (req.source === 'fill_check' && !(Number.isInteger(req.fill_seq) && (req.fill_seq as number) > 0)) fail('a fill_check names the fill it is about: fill_seq, a positive integer');
  const orderIds = new Set<string>();
  req.legs.forEach((leg, i) => {
    const at = `legs[${i}]`;
    if (!isSpotSymbol(leg.symbol)) fail(`${at}.symbol must be a ccxt unified spot symbol such as BTC/USDT`);
    if (leg.side !== 'buy' && leg.side !== 'sell') fail(`${at}.side must be buy or sell`);
    const hasQty = leg.qty !== null && leg.qty !== undefined;
    const hasQuote = leg.quote_notional !== null && leg.quote_notional !== undefined;
    if (hasQty === hasQuote) fail(`${at} needs exactly one of qty and quote_notional`);
    if (hasQty) checkAmount(`${at}.qty`, leg.qty, fail);
    if (hasQuote) checkAmount(`${at}.quote_notional`, leg.quote_notional, fail);
    if (leg.limit_price !== null) checkAmount(`${at}.limit_price`, leg.limit_price, fail);
    if (typeof leg.client_order_id !== 'string' || leg.client_order_id.length === 0 || leg.client_order_id.length > 200) {
      fail(`${at}.client_order_id must be 1-200 characters`);
    }
    if (orderIds.has(leg.client_order_id)) fail(`${at}.client_order_id ${leg.client_order_id} repeats another leg's`);
    orderIds.add(leg.client_order_id);
  });
}
