/**
 * The arithmetic of a venue's size rules: steps, minimums and the minimum value, and the words a
 * refusal names them in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { money, text } from '../../../../domain/money.js';
import {
  breachAdvice,
  isOnStep,
  neighbouringSteps,
  notionalBelowMinimum,
  qtyRuleBreach,
  sizeRulesText,
  smallestOnStepFrom,
  type SizeRules,
} from '../../../../domain/orders/size-rules.js';

const BTC: SizeRules = { min_qty: '0.00001', qty_step: '0.00001', min_notional: '5' };
const NONE: SizeRules = { min_qty: null, qty_step: null, min_notional: null };

describe('size rules in words', () => {
  it('names the step, the minimum and the minimum value', () => {
    expect(sizeRulesText('BTC/USDT', 'USDT', BTC)).toBe('BTC/USDT trades in steps of 0.00001 with a minimum of 0.00001 and a minimum value of 5 USDT');
    expect(sizeRulesText('BTC/USDT', 'USDT', { ...NONE, min_notional: '10' })).toBe('BTC/USDT trades with a minimum value of 10 USDT');
    expect(sizeRulesText('DOGE/USDT', 'USDT', { ...NONE, qty_step: '1' })).toBe('DOGE/USDT trades in steps of 1');
    expect(sizeRulesText('X/USDT', 'USDT', NONE)).toBe('X/USDT has no size rules');
  });
});

describe('steps', () => {
  it('a quantity is on the step exactly when it is a whole number of steps', () => {
    expect(isOnStep(money('0.00003'), money('0.00001'))).toBe(true);
    expect(isOnStep(money('0.000015'), money('0.00001'))).toBe(false);
    expect(isOnStep(money('0.000000000000000001'), money('0.00001'))).toBe(false);
    expect(isOnStep(money('7'), money('1'))).toBe(true);
    expect(isOnStep(money('0.5'), money('1'))).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 12 }), (units, decimals) => {
        const step = money(`1e-${decimals}`);
        return isOnStep(step.times(units), step) && !isOnStep(step.times(units).plus(step.dividedBy(7)), step);
      }),
    );
  });

  it('offers the whole numbers of steps on either side, never zero', () => {
    expect(neighbouringSteps(money('0.000015'), money('0.00001')).map(text)).toEqual(['0.00001', '0.00002']);
    expect(neighbouringSteps(money('0.000000000000000001'), money('0.00001')).map(text)).toEqual(['0.00001']);
    expect(neighbouringSteps(money('2.5'), money('1')).map(text)).toEqual(['2', '3']);
  });

  it('rounds a floor up to the step, at least one step', () => {
    expect(text(smallestOnStepFrom(money('0.0000769'), money('0.00001')))).toBe('0.00008');
    expect(text(smallestOnStepFrom(money('0.00008'), money('0.00001')))).toBe('0.00008');
    expect(text(smallestOnStepFrom(money('0'), money('0.1')))).toBe('0.1');
    expect(text(smallestOnStepFrom(money('0.123'), null))).toBe('0.123');
  });
});

describe('a quantity against the rules', () => {
  const price = money('65000');

  it('passes a whole number of steps above the minimum and worth the minimum value', () => {
    expect(qtyRuleBreach(money('0.001'), BTC, price)).toBeNull();
    expect(qtyRuleBreach(money('0.00008'), BTC, price)).toBeNull(); // 5.2 USDT
  });

  it('refuses below the minimum, off the step, and below the minimum value, in that order', () => {
    expect(qtyRuleBreach(money('0.000000000000000001'), BTC, price)).toMatchObject({ rule: 'min_qty' });
    expect(qtyRuleBreach(money('0.000015'), BTC, price)).toMatchObject({ rule: 'qty_step' });
    const low = qtyRuleBreach(money('0.00007'), BTC, price);
    expect(low).toMatchObject({ rule: 'min_notional' });
    // 5 / 65000 = 0.0000769..., up to the step: 0.00008.
    expect(low && breachAdvice(low, 'USDT')).toBe('it is worth about 4.55 USDT at the book; raise qty to at least 0.00008');
  });

  it('leaves the minimum value to the venue without a price, and a rule the venue does not name', () => {
    expect(qtyRuleBreach(money('0.00001'), BTC, null)).toBeNull();
    expect(qtyRuleBreach(money('0.000000001'), NONE, price)).toBeNull();
    expect(qtyRuleBreach(money('0.000000001'), { ...NONE, qty_step: '0.00000001' }, price)).toMatchObject({ rule: 'qty_step' });
  });

  it('advises the nearest sizes that pass', () => {
    expect(breachAdvice({ rule: 'min_qty', minimum: money('0.00001') }, 'USDT')).toBe('raise qty to at least 0.00001');
    expect(breachAdvice({ rule: 'qty_step', nearest: [money('0.00001'), money('0.00002')] }, 'USDT')).toBe('use a whole number of steps, such as 0.00001 or 0.00002');
  });

  it('compares a quote amount with the minimum value', () => {
    expect(notionalBelowMinimum(money('4.99'), BTC)).toBe(true);
    expect(notionalBelowMinimum(money('5'), BTC)).toBe(false);
    expect(notionalBelowMinimum(money('0.01'), NONE)).toBe(false);
  });
});
