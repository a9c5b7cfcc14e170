/**
 * A venue's size rules for one symbol: the smallest quantity it accepts, the step every quantity
 * is a whole number of, and the smallest order value in the quote currency (a ccxt market's
 * limits.amount.min, precision.amount and limits.cost.min; the sim venue's catalog). The paper
 * engine holds orders to them as the venue would, so a strategy that passes on paper does not fail
 * on the venue for its sizes. Pure; every refusal names the rules and the nearest sizes that pass.
 */
import { Money, money, text } from '../money.js';

/** Decimal strings as the order workflow records them with the book; null where the venue names no rule. */
export interface SizeRules {
  min_qty: string | null;
  qty_step: string | null;
  min_notional: string | null;
}

/** "BTC/USDT trades in steps of 0.00001 with a minimum of 0.00001 and a minimum value of 5 USDT". */
export function sizeRulesText(symbol: string, quote: string, rules: SizeRules): string {
  const minimums = [
    ...(rules.min_qty !== null ? [`a minimum of ${rules.min_qty}`] : []),
    ...(rules.min_notional !== null ? [`a minimum value of ${rules.min_notional} ${quote}`] : []),
  ];
  const parts = [
    ...(rules.qty_step !== null ? [`in steps of ${rules.qty_step}`] : []),
    ...(minimums.length > 0 ? [`with ${minimums.join(' and ')}`] : []),
  ];
  return parts.length > 0 ? `${symbol} trades ${parts.join(' ')}` : `${symbol} has no size rules`;
}

/** True when `qty` is a whole number of `step`s. */
export function isOnStep(qty: Money, step: Money): boolean {
  return step.isZero() || qty.modulo(step).isZero();
}

/** The multiples of `step` on either side of `qty` (the lower one left out when it is zero). */
export function neighbouringSteps(qty: Money, step: Money): Money[] {
  const below = qty.dividedToIntegerBy(step).times(step);
  const above = below.plus(step);
  return below.greaterThan(0) ? [below, above] : [above];
}

/** The smallest multiple of `step` that is at least `floor` (floor itself without a step). */
export function smallestOnStepFrom(floor: Money, step: Money | null): Money {
  if (!step || step.isZero()) return floor;
  const units = floor.dividedBy(step).toDecimalPlaces(0, Money.ROUND_UP);
  return Money.max(units, 1).times(step);
}

export type QtyRuleBreach =
  | { rule: 'min_qty'; minimum: Money }
  | { rule: 'qty_step'; nearest: Money[] }
  | { rule: 'min_notional'; minimumQty: Money; value: Money };

/**
 * The first rule a base quantity breaks, or null. `price` values it for the minimum value; without
 * one (an empty book) that rule is left to the venue.
 */
export function qtyRuleBreach(qty: Money, rules: SizeRules, price: Money | null): QtyRuleBreach | null {
  const step = rules.qty_step !== null ? money(rules.qty_step) : null;
  if (rules.min_qty !== null && qty.lessThan(rules.min_qty)) return { rule: 'min_qty', minimum: smallestOnStepFrom(money(rules.min_qty), step) };
  if (step && !isOnStep(qty, step)) return { rule: 'qty_step', nearest: neighbouringSteps(qty, step) };
  if (rules.min_notional !== null && price && price.greaterThan(0)) {
    const value = qty.times(price);
    if (value.lessThan(rules.min_notional)) {
      const floor = Money.max(money(rules.min_notional).dividedBy(price), rules.min_qty ?? 0);
      return { rule: 'min_notional', minimumQty: smallestOnStepFrom(floor, step), value };
    }
  }
  return null;
}

/** A quote amount below the minimum value, or null. */
export function notionalBelowMinimum(notional: Money, rules: SizeRules): boolean {
  return rules.min_notional !== null && notional.lessThan(rules.min_notional);
}

/** What to do about a breach, in words, for a refusal that already named the rules. */
export function breachAdvice(breach: QtyRuleBreach, quote: string): string {
  switch (breach.rule) {
    case 'min_qty':
      return `raise qty to at least ${text(breach.minimum)}`;
    case 'qty_step':
      return `use a whole number of steps, such as ${breach.nearest.map(text).join(' or ')}`;
    case 'min_notional':
      return `it is worth about ${text(breach.value.toDecimalPlaces(8, Money.ROUND_DOWN))} ${quote} at the book; raise qty to at least ${text(breach.minimumQty)}`;
  }
}
