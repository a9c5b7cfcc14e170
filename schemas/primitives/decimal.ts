/**
 * Owns how amounts are spelled: money and quantities travel as plain decimal strings (digits, at
 * most one ".", no sign, no exponent, never a float), and this file holds the patterns every layer
 * checks them with and the one canonical spelling used to compare them. Plain TypeScript (no zod,
 * no Node built-ins): it runs in workflow code as well.
 *
 * - CANONICAL_DECIMAL: the one spelling of a size or a price that anyone may send in: what every
 *   tool's schema publishes and what the worker checks an order and a risk request against, so an
 *   amount the server accepts is never refused further in. No leading zeros (except "0.x"), no
 *   sign, no exponent, no trailing or leading ".", at most 30 digits before the point and 18 after
 *   (exact in the ledger's 64 digits). Trailing zeros after the point are allowed ("0.50").
 *   decimalProblem says what is wrong with anything else and how to write it.
 * - PLAIN_DECIMAL: any plain decimal, leading zeros allowed ("0.5", "100", "007"). What the ledger
 *   and the fill model compute with (through domain/money.ts), and INITIAL_CASH.
 * - PLAIN_DECIMAL_NO_LEADING_ZEROS: the same without leading zeros, unbounded: the risk limits file.
 */

export const MAX_WHOLE_DIGITS = 30;
export const MAX_FRACTION_DIGITS = 18;

/**
 * Written as a literal (the bounds above, spelt out): zod copies it into the generated JSON Schema
 * as the `pattern` of an amount, and clients read that pattern.
 */
export const CANONICAL_DECIMAL = /^(?:0|[1-9]\d{0,29})(?:\.\d{1,18})?$/;

export const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

export const PLAIN_DECIMAL_NO_LEADING_ZEROS = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** True for a string matching PLAIN_DECIMAL of at most `maxChars` characters. */
export function isPlainDecimal(value: unknown, maxChars = Number.POSITIVE_INFINITY): value is string {
  return typeof value === 'string' && value.length <= maxChars && PLAIN_DECIMAL.test(value);
}

/** A plain decimal (any of the spellings above) is greater than zero exactly when a digit is not 0. */
export function plainDecimalIsPositive(plainDecimal: string): boolean {
  return /[1-9]/.test(plainDecimal);
}

/** A plain decimal string in one canonical spelling ("01.50" → "1.5"), so equal amounts compare equal. */
export function canonicalDecimal(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
}

export function isCanonicalDecimal(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_DECIMAL.test(value);
}

export function isPositiveCanonicalDecimal(value: unknown): value is string {
  return isCanonicalDecimal(value) && plainDecimalIsPositive(value);
}

const GENERAL_RULE = 'digits with at most one ".", no sign, no exponent, no leading zeros';

/** Exponent notation written out in plain digits ("1e-18" → "0.000000000000000001"); null past sane exponents. */
function withoutExponent(value: string): string | null {
  const match = /^(\d*)(?:\.(\d*))?[eE]([+-]?\d{1,3})$/.exec(value);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const exponent = Number(match[3]);
  if (Math.abs(exponent) > MAX_WHOLE_DIGITS + MAX_FRACTION_DIGITS) return null;
  const digits = whole + fraction;
  const point = whole.length + exponent;
  const plain =
    point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return canonicalDecimal(plain);
}

interface Repair {
  /** The rule the value breaks, in words. */
  rule: string;
  applies(value: string): boolean;
  repair(value: string): string | null;
}

/** Spellings of a plain number this file refuses, each with the fix that gives its canonical spelling. */
const REPAIRS: readonly Repair[] = [
  { rule: 'no spaces', applies: (v) => v !== v.trim(), repair: (v) => v.trim() },
  { rule: 'no sign: the side says buy or sell', applies: (v) => v.startsWith('+'), repair: (v) => v.slice(1) },
  { rule: 'no exponent', applies: (v) => /[eE]/.test(v), repair: withoutExponent },
  { rule: 'a digit before the "."', applies: (v) => v.startsWith('.'), repair: (v) => `0${v}` },
  { rule: 'no trailing "."', applies: (v) => /^\d+\.$/.test(v), repair: (v) => v.slice(0, -1) },
  { rule: 'no leading zeros', applies: (v) => /^0\d/.test(v), repair: (v) => v.replace(/^0+(?=\d)/, '') },
  {
    rule: `at most ${MAX_FRACTION_DIGITS} decimals`,
    applies: (v) => (v.split('.')[1] ?? '').length > MAX_FRACTION_DIGITS,
    // Only zeros past the 18th decimal can go without changing the amount.
    repair: (v) => (/\.\d*?0+$/.test(v) ? canonicalDecimal(v) : null),
  },
];

function quoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * What is wrong with an amount and how to write it ("write 0.5, not 00.5 (no leading zeros)"), or
 * null when it is canonical. Says nothing about its size: zero passes here (see positiveDecimalProblem).
 */
export function decimalProblem(value: unknown): string | null {
  if (isCanonicalDecimal(value)) return null;
  if (typeof value === 'number') {
    const spelt = Number.isFinite(value) && value >= 0 ? withoutExponent(value.toExponential()) : null;
    const rule = 'write it as a decimal string such as "0.015" (quoted, not a number), so no precision is lost';
    return spelt && isCanonicalDecimal(spelt) ? `${rule}: "${spelt}", not ${value}` : rule;
  }
  if (typeof value !== 'string') return `write a decimal string such as "0.015" (${GENERAL_RULE})`;
  if (value.trim().startsWith('-')) return `write a plain decimal string such as "0.015" without a sign: amounts are never negative, the side says buy or sell (got ${quoted(value)})`;
  const broken: string[] = [];
  let candidate = value;
  let repairable = true;
  for (const step of REPAIRS) {
    if (!step.applies(candidate)) continue;
    broken.push(step.rule);
    const next = step.repair(candidate);
    if (next === null) {
      repairable = false;
      break;
    }
    candidate = next;
  }
  const shown = /\s/.test(value) ? quoted(value) : value;
  if (repairable && broken.length > 0 && isCanonicalDecimal(candidate)) return `write ${candidate}, not ${shown} (${broken.join('; ')})`;
  const [whole = '', fraction = ''] = candidate.split('.');
  if (PLAIN_DECIMAL.test(candidate) && (whole.length > MAX_WHOLE_DIGITS || fraction.length > MAX_FRACTION_DIGITS)) {
    return `at most ${MAX_WHOLE_DIGITS} digits before the "." and ${MAX_FRACTION_DIGITS} after; ${quoted(value)} has ${whole.length} and ${fraction.length}`;
  }
  return `write a plain decimal string such as "0.015": ${GENERAL_RULE} (got ${quoted(value)})`;
}

/** decimalProblem, and zero is refused too: every size and price is greater than zero. */
export function positiveDecimalProblem(value: unknown): string | null {
  const problem = decimalProblem(value);
  if (problem) return problem;
  return plainDecimalIsPositive(value as string) ? null : `${quoted(value as string)} is zero; sizes and prices are greater than zero`;
}
