/**
 * The primitives every layer checks symbols, amounts and names with: what each accepts and
 * refuses, and that the tool contracts publish exactly these patterns in their JSON Schema.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentName } from '../../../schemas/common.js';
import { accountName, positiveDecimal, spotSymbol } from '../../../schemas/ledger.js';
import { exchangeId } from '../../../schemas/market.js';
import {
  CANONICAL_DECIMAL,
  PLAIN_DECIMAL,
  PLAIN_DECIMAL_NO_LEADING_ZEROS,
  canonicalDecimal,
  isPlainDecimal,
  plainDecimalIsPositive,
} from '../../../schemas/primitives/decimal.js';
import { EXCHANGE_ID, isExchangeId } from '../../../schemas/primitives/exchange-id.js';
import { SHORT_NAME, isShortName } from '../../../schemas/primitives/short-name.js';
import { SPOT_SYMBOL, isSpotSymbol, spotAssets } from '../../../schemas/primitives/spot-symbol.js';

describe('spot symbol', () => {
  it('accepts BASE/QUOTE in capitals and digits', () => {
    for (const symbol of ['BTC/USDT', 'ETH/BTC', '1INCH/USDT', 'A/B', `${'X'.repeat(20)}/${'Y'.repeat(20)}`]) expect(isSpotSymbol(symbol)).toBe(true);
  });

  it('refuses derivatives, lowercase, spaces and anything not a string', () => {
    for (const symbol of ['BTC/USDT:USDT', 'btc/usdt', 'BTC-USDT', 'BTC/', '/USDT', 'BTC/USDT/ETH', ' BTC/USDT', `${'X'.repeat(21)}/USDT`, '']) {
      expect(isSpotSymbol(symbol)).toBe(false);
    }
    for (const value of [null, undefined, 42, { symbol: 'BTC/USDT' }]) expect(isSpotSymbol(value)).toBe(false);
  });

  it('splits a spot symbol into its assets, and nothing else', () => {
    expect(spotAssets('BTC/USDT')).toEqual({ base: 'BTC', quote: 'USDT' });
    expect(spotAssets('BTC/USDT:USDT')).toBeNull();
    expect(spotAssets('btc/usdt')).toBeNull();
  });
});

describe('plain decimals', () => {
  it('PLAIN_DECIMAL: digits with at most one ".", leading zeros allowed', () => {
    for (const text of ['0', '0.5', '100', '2500.50', '007']) expect(PLAIN_DECIMAL.test(text)).toBe(true);
    for (const text of ['-1', '+1', '1e6', '1.', '.5', '1.2.3', '100,000', ' 1', '', 'NaN']) expect(PLAIN_DECIMAL.test(text)).toBe(false);
  });

  it('PLAIN_DECIMAL_NO_LEADING_ZEROS: the same without leading zeros in the whole part', () => {
    for (const text of ['0', '0.5', '0.05', '25000', '1500.5']) expect(PLAIN_DECIMAL_NO_LEADING_ZEROS.test(text)).toBe(true);
    for (const text of ['007', '025000', '00.5', '-1', '1e6', '.5']) expect(PLAIN_DECIMAL_NO_LEADING_ZEROS.test(text)).toBe(false);
  });

  it('CANONICAL_DECIMAL: at most 30 whole digits and 18 decimals, no leading zeros', () => {
    expect(CANONICAL_DECIMAL.test(`${'9'.repeat(30)}.${'1'.repeat(18)}`)).toBe(true);
    expect(CANONICAL_DECIMAL.test('9'.repeat(31))).toBe(false);
    expect(CANONICAL_DECIMAL.test(`1.${'1'.repeat(19)}`)).toBe(false);
    expect(CANONICAL_DECIMAL.test('007')).toBe(false);
  });

  it('isPlainDecimal checks the type and an optional length bound', () => {
    expect(isPlainDecimal('0.015')).toBe(true);
    expect(isPlainDecimal(0.015)).toBe(false);
    expect(isPlainDecimal(null)).toBe(false);
    expect(isPlainDecimal('1'.repeat(80), 80)).toBe(true);
    expect(isPlainDecimal('1'.repeat(81), 80)).toBe(false);
  });

  it('a plain decimal is positive exactly when a digit is not 0', () => {
    for (const text of ['1', '0.001', '007', '10']) expect(plainDecimalIsPositive(text)).toBe(true);
    for (const text of ['0', '0.0', '000.000']) expect(plainDecimalIsPositive(text)).toBe(false);
  });

  it('canonicalDecimal spells equal amounts the same', () => {
    expect(canonicalDecimal('01.50')).toBe('1.5');
    expect(canonicalDecimal('1.0')).toBe('1');
    expect(canonicalDecimal('000')).toBe('0');
    expect(canonicalDecimal('0.000')).toBe('0');
    expect(canonicalDecimal('0.0100')).toBe('0.01');
    expect(canonicalDecimal('250')).toBe('250');
  });
});

describe('names and venue ids', () => {
  it('a short name is 1-64 lowercase letters, digits, "-" or "_", starting with a letter or digit', () => {
    for (const name of ['ensemble', 'paper', 'a', 'desk-2_b', 'x'.repeat(64)]) expect(isShortName(name)).toBe(true);
    for (const name of ['', 'Ensemble', '-a', '_a', 'a b', 'a.b', 'x'.repeat(65), 7]) expect(isShortName(name)).toBe(false);
  });

  it('a venue id is a ccxt exchange id or sim', () => {
    for (const id of ['sim', 'binance', 'okx', 'gate_io', 'b2']) expect(isExchangeId(id)).toBe(true);
    for (const id of ['', 'b', 'Binance', '2b', 'bin-ance', 'x'.repeat(33)]) expect(isExchangeId(id)).toBe(false);
  });
});

describe('the tool contracts publish the primitives', () => {
  const pattern = (schema: z.ZodType): string | undefined => (z.toJSONSchema(schema) as { pattern?: string }).pattern;

  it('as the JSON Schema pattern of each field', () => {
    expect(pattern(spotSymbol)).toBe(SPOT_SYMBOL.source);
    expect(pattern(positiveDecimal)).toBe(CANONICAL_DECIMAL.source);
    expect(pattern(agentName)).toBe(SHORT_NAME.source);
    expect(pattern(accountName)).toBe(SHORT_NAME.source);
    expect(pattern(exchangeId)).toBe(EXCHANGE_ID.source);
  });

  it('with the error messages callers read', () => {
    const message = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues[0]?.message;
    expect(message(spotSymbol, 'BTC/USDT:USDT')).toBe('use a ccxt unified spot symbol in capitals, e.g. BTC/USDT');
    expect(message(positiveDecimal, '1e6')).toBe('write 1000000, not 1e6 (no exponent)');
    expect(message(positiveDecimal, '0.000')).toBe('must be greater than zero');
    expect(spotSymbol.safeParse('BTC/USDT').success).toBe(true);
    expect(message(positiveDecimal, '007')).toBe('write 7, not 007 (no leading zeros)');
  });
});
