/**
 * Decimal money for the ledger and the fill model. Amounts travel as plain decimal strings and are
 * computed with this decimal.js constructor: enough precision that sums and products of amounts are
 * exact, and never exponent notation in a string. decimal.js is pure and deterministic, so it runs
 * in workflow code.
 */
import { Decimal } from 'decimal.js';
import * as primitives from '../schemas/primitives/decimal.js';

export const Money = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -64, toExpPos: 64 });
export type Money = InstanceType<typeof Money>;

/** Decimal places kept when a cost basis is split between what is sold and what remains. */
export const COST_DECIMALS = 18;
/** Decimal places of a displayed average price (cost / qty). */
export const PRICE_DECIMALS = 12;

/** The longest amount text the ledger and the fill model accept. */
const MAX_AMOUNT_CHARS = 80;

/** True for a plain non-negative decimal string such as "0.015" or "100" (no sign, no exponent). */
export function isPlainDecimal(text: unknown): text is string {
  return primitives.isPlainDecimal(text, MAX_AMOUNT_CHARS);
}

export function money(value: string | number | Money): Money {
  return new Money(value);
}

/** A number quoted by a venue as a decimal: its shortest round-trip text, so 0.1 stays 0.1. */
export function fromVenueNumber(value: number): Money {
  if (!Number.isFinite(value)) throw new RangeError(`venue quoted a non-finite number (${value})`);
  return new Money(String(value));
}

/** The canonical text of an amount: plain notation, no trailing zeros, never "-0". */
export function text(value: Money): string {
  return value.isZero() ? '0' : value.toString();
}

export const ZERO = new Money(0);
