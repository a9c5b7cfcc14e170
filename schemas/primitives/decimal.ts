/**
 * Owns how amounts are spelled: money and quantities travel as plain decimal strings (digits, at
 * most one ".", no sign, no exponent, never a float), and this file holds the patterns every layer
 * checks them with and the one canonical spelling used to compare them. Plain TypeScript (no zod,
 * no Node built-ins): it runs in workflow code as well.
 *
 * Three spellings are accepted in different places today, each written here once:
 * - PLAIN_DECIMAL: any plain decimal, leading zeros allowed ("0.5", "100", "007"). The ledger and
 *   the fill model (through domain/money.ts) and INITIAL_CASH.
 * - PLAIN_DECIMAL_NO_LEADING_ZEROS: the same without leading zeros in the whole part ("0.5",
 *   "25000", not "025000"). The risk gate's request check and the risk limits file.
 * - TOOL_DECIMAL: what a tool accepts, bounded so every amount is exact in the ledger's 64 digits.
 */

export const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

export const PLAIN_DECIMAL_NO_LEADING_ZEROS = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * At most 30 whole digits and 18 decimals. Written as a literal: zod copies it into the generated
 * JSON Schema as the `pattern` of an amount.
 */
export const TOOL_DECIMAL = /^\d{1,30}(\.\d{1,18})?$/;

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
