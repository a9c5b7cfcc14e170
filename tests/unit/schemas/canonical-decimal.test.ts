/**
 * The one spelling of a size or a price (schemas/primitives/decimal.ts) that the tool schemas and
 * the worker's checks share: what it accepts, that every refusal says how to write the amount,
 * and that a suggested spelling is itself canonical and the same amount.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { positiveDecimal } from '../../../schemas/ledger.js';
import {
  CANONICAL_DECIMAL,
  MAX_FRACTION_DIGITS,
  MAX_WHOLE_DIGITS,
  decimalProblem,
  isCanonicalDecimal,
  isPositiveCanonicalDecimal,
  positiveDecimalProblem,
} from '../../../schemas/primitives/decimal.js';
import { money } from '../../../domain/money.js';
import { validateRiskCheckRequest } from '../../../domain/risk/request-validation.js';

const canonical = fc
  .tuple(
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,29}$/)),
    fc.option(fc.stringMatching(/^\d{1,18}$/), { nil: undefined }),
  )
  .map(([whole, fraction]) => (fraction === undefined ? whole : `${whole}.${fraction}`));

describe('canonical decimals', () => {
  it('accept plain digits with no leading zeros, trailing zeros after the point allowed', () => {
    for (const value of ['0', '0.5', '0.000000000000000001', '7', '25000', '0.50', '1500.125', `${'9'.repeat(MAX_WHOLE_DIGITS)}.${'9'.repeat(MAX_FRACTION_DIGITS)}`]) {
      expect(decimalProblem(value), value).toBeNull();
    }
    fc.assert(fc.property(canonical, (value) => decimalProblem(value) === null && CANONICAL_DECIMAL.test(value)));
  });

  it('say how to write a misspelt amount', () => {
    const cases: Array<[unknown, string]> = [
      ['00.5', 'write 0.5, not 00.5 (no leading zeros)'],
      ['007', 'write 7, not 007 (no leading zeros)'],
      ['1e-18', 'write 0.000000000000000001, not 1e-18 (no exponent)'],
      ['1E3', 'write 1000, not 1E3 (no exponent)'],
      ['.5', 'write 0.5, not .5 (a digit before the ".")'],
      ['5.', 'write 5, not 5. (no trailing ".")'],
      ['+0.5', 'write 0.5, not +0.5 (no sign: the side says buy or sell)'],
      ['+00.5', 'write 0.5, not +00.5 (no sign: the side says buy or sell; no leading zeros)'],
      [' 1', 'write 1, not " 1" (no spaces)'],
      ['0.5000000000000000000', 'write 0.5, not 0.5000000000000000000 (at most 18 decimals)'],
      [0.5, 'write it as a decimal string such as "0.015" (quoted, not a number), so no precision is lost: "0.5", not 0.5'],
    ];
    for (const [value, message] of cases) expect(decimalProblem(value), String(value)).toBe(message);
  });

  it('refuse what has no canonical spelling, saying what the rules are', () => {
    expect(decimalProblem('-1')).toBe('write a plain decimal string such as "0.015" without a sign: amounts are never negative, the side says buy or sell (got "-1")');
    expect(decimalProblem('1e-19')).toBe('at most 30 digits before the "." and 18 after; "1e-19" has 1 and 19');
    expect(decimalProblem('9'.repeat(31))).toMatch(/^at most 30 digits before the "." and 18 after/);
    for (const value of ['1,000', '1.2.3', '', 'NaN', 'Infinity', '0x10', 'e3']) {
      expect(decimalProblem(value), value).toMatch(/^write a plain decimal string such as "0.015": digits with at most one "\."/);
    }
    expect(decimalProblem(null)).toMatch(/^write a decimal string such as "0.015"/);
  });

  it('suggest a spelling that is canonical and the same amount', () => {
    const misspelt = fc.tuple(canonical, fc.constantFrom('lead', 'plus', 'exp', 'dot')).map(([value, how]) => {
      if (how === 'lead') return `00${value}`;
      if (how === 'plus') return `+${value}`;
      if (how === 'dot') return value.includes('.') ? `00${value}` : `${value}.`;
      return `${value}e0`;
    });
    fc.assert(
      fc.property(misspelt, (value) => {
        const problem = decimalProblem(value);
        const suggested = /^write (\S+), not /.exec(problem ?? '')?.[1];
        return suggested !== undefined && isCanonicalDecimal(suggested) && money(suggested).equals(money(value.replace(/^\+/, '').replace(/\.$/, '')));
      }),
    );
  });

  it('refuse zero as a size or price', () => {
    expect(positiveDecimalProblem('0')).toBe('"0" is zero; sizes and prices are greater than zero');
    expect(positiveDecimalProblem('0.000')).toBe('"0.000" is zero; sizes and prices are greater than zero');
    expect(positiveDecimalProblem('0.001')).toBeNull();
    expect(isPositiveCanonicalDecimal('0')).toBe(false);
    expect(isPositiveCanonicalDecimal('00.5')).toBe(false);
    expect(isPositiveCanonicalDecimal('0.5')).toBe(true);
  });
});

describe('the same rule at the server and in the worker', () => {
  const schema = z.object({ qty: positiveDecimal });
  const leg = (qty: string) => ({ symbol: 'BTC/USDT', side: 'buy' as const, qty, quote_notional: null, limit_price: null, client_order_id: 'o.0' });
  const riskCheck = (qty: string) => () => validateRiskCheckRequest({ intent_id: 'i', account: 'paper', source: 'submit_intent', legs: [leg(qty)] }, 'paper');

  it('the tool schema and the risk gate accept and refuse exactly the same amounts, with the same words', () => {
    const anyText = fc.oneof(canonical, fc.stringMatching(/^[-+ .0-9eE]{0,12}$/), fc.constantFrom('00.5', '1e-18', '0', '0.0', '.5', '5.'));
    fc.assert(
      fc.property(anyText, (qty) => {
        const server = schema.safeParse({ qty });
        const problem = positiveDecimalProblem(qty);
        let worker: string | null = null;
        try {
          riskCheck(qty)();
        } catch (err) {
          worker = (err as Error).message;
        }
        if (problem === null) return server.success && worker === null;
        return !server.success && worker === `legs[0].qty must be a positive decimal string: ${problem}`;
      }),
    );
  });

  it('the server names the fix in its refusal', () => {
    expect(schema.safeParse({ qty: '00.5' }).error?.issues[0]?.message).toBe('write 0.5, not 00.5 (no leading zeros)');
  });
});
