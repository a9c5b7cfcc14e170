/**
 * The ledger's bookkeeping: fixed cases with hand-computed figures, then the accounting invariants
 * over random fill sequences (fast-check): cash conserved with fees, positions equal to the signed
 * fills, equity change = realized + unrealized - fees, repeated fill ids change nothing, refused
 * fills change nothing, and replaying the journal rebuilds the same state.
 */
import fc from 'fast-check';
import { Decimal as DecimalJs } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  INSUFFICIENT_CASH,
  INSUFFICIENT_HOLDINGS,
  INVALID_FILL,
  type LedgerFill,
  type LedgerSettings,
} from '../../../../schemas/temporal/ledger.js';
import { LedgerBook, LedgerRejection, newLedgerState } from '../../../../domain/ledger/ledger-state.js';

const T0 = Date.UTC(2025, 0, 1);
/** The test's own arithmetic, precise enough that every sum and product of test amounts is exact. */
const Decimal = DecimalJs.clone({ precision: 200, toExpNeg: -200, toExpPos: 200 });
type Decimal = InstanceType<typeof Decimal>;

function settings(overrides: Partial<LedgerSettings> = {}): LedgerSettings {
  return {
    initialCash: '100000',
    quoteCurrency: 'USDT',
    journalLimit: 1_000,
    dedupeWindow: 2_000,
    equityCurveLimit: 1_000,
    equitySampleSec: 60,
    continueAsNewAfter: 1_000,
    historyLimit: 9_000,
    ...overrides,
  };
}

function ledger(overrides: Partial<LedgerSettings> = {}): LedgerBook {
  return new LedgerBook('test', newLedgerState(settings(overrides), T0));
}

let nextId = 0;
function fill(partial: Partial<LedgerFill> & Pick<LedgerFill, 'side' | 'qty' | 'price'>): LedgerFill {
  nextId += 1;
  return {
    fill_id: `f${nextId}`,
    client_order_id: `o${nextId}`,
    intent_id: null,
    order_workflow_id: `order:o${nextId}`,
    symbol: 'BTC/USDT',
    fee: '0',
    fee_currency: 'USDT',
    liquidity: 'taker',
    ts: T0 + nextId * 1000,
    ...partial,
  };
}

function rejectionOf(fn: () => unknown): LedgerRejection {
  try {
    fn();
  } catch (err) {
    if (err instanceof LedgerRejection) return err;
    throw err;
  }
  throw new Error('expected a LedgerRejection');
}

describe('ledger bookkeeping: fixed cases', () => {
  it('starts with the configured cash, no positions and an opening equity point', () => {
    const book = ledger({ initialCash: '2500.50' });
    expect(book.balances()).toMatchObject({ cash: '2500.5', positions: {}, realized_pnl: '0', fees_paid: '0', fill_count: 0, last_fill_ts: null });
    expect(book.state.equity_curve).toEqual([{ ts: T0, equity: '2500.5', source: 'open' }]);
  });

  it('books a buy and a partial sell with quote fees at average cost', () => {
    const book = ledger();
    const buy = book.apply(fill({ side: 'buy', qty: '2', price: '100', fee: '0.2' }), T0 + 1);
    expect(buy).toEqual({ applied: true, seq: 1, cash: '99799.8', position: { qty: '2', avg_price: '100', cost: '200' } });
    const sell = book.apply(fill({ side: 'sell', qty: '0.5', price: '110', fee: '0.055' }), T0 + 2);
    // realized 0.5 * (110 - 100) = 5; cash 99799.8 + 55 - 0.055
    expect(sell).toEqual({ applied: true, seq: 2, cash: '99854.745', position: { qty: '1.5', avg_price: '100', cost: '150' } });
    expect(book.balances()).toMatchObject({ realized_pnl: '5', fees_paid: '0.255', fees_by_currency: { USDT: '0.255' } });
    expect(book.state.journal.map((e) => [e.seq, e.realized_pnl, e.fee_quote, e.cash_after, e.position_qty_after])).toEqual([
      [1, '0', '0.2', '99799.8', '2'],
      [2, '5', '0.055', '99854.745', '1.5'],
    ]);
  });

  it('averages the cost of several buys and realizes against the average', () => {
    const book = ledger();
    book.apply(fill({ side: 'buy', qty: '1', price: '100' }), T0);
    book.apply(fill({ side: 'buy', qty: '3', price: '200' }), T0);
    expect(book.position('BTC/USDT')).toEqual({ qty: '4', avg_price: '175', cost: '700' });
    book.apply(fill({ side: 'sell', qty: '1', price: '150' }), T0);
    expect(book.balances().realized_pnl).toBe('-25');
    expect(book.position('BTC/USDT')).toEqual({ qty: '3', avg_price: '175', cost: '525' });
    // Closing the rest takes all the remaining cost: no dust is left behind.
    book.apply(fill({ side: 'sell', qty: '3', price: '175' }), T0);
    expect(book.position('BTC/USDT')).toBeNull();
    expect(book.balances()).toMatchObject({ positions: {}, realized_pnl: '-25', cash: '99975' });
  });

  it('books a fee charged in the base asset out of the position, valued at the fill price', () => {
    const book = ledger();
    const result = book.apply(fill({ side: 'buy', qty: '1', price: '100', fee: '0.001', fee_currency: 'BTC' }), T0);
    // cash pays the notional only; the position receives 1 - 0.001 with the cost of 1.
    expect(result.cash).toBe('99900');
    expect(book.state.positions['BTC/USDT']).toEqual({ qty: '0.999', cost: '99.9' });
    expect(book.balances()).toMatchObject({ fees_paid: '0.1', fees_by_currency: { BTC: '0.001' }, realized_pnl: '0' });
  });

  it('refuses a sale of more than is held, and changes nothing', () => {
    const book = ledger();
    book.apply(fill({ side: 'buy', qty: '1', price: '100' }), T0);
    const before = structuredClone(book.state);
    const oversell = fill({ side: 'sell', qty: '1.5', price: '100' });
    const refused = rejectionOf(() => book.validate(oversell));
    expect(refused.type).toBe(INSUFFICIENT_HOLDINGS);
    expect(refused.message).toMatch(/selling 1\.5 BTC but the account holds 1 BTC; spot accounts cannot go short/);
    expect(rejectionOf(() => book.apply(oversell, T0)).type).toBe(INSUFFICIENT_HOLDINGS);
    // A base-asset fee counts: selling all of it plus a fee in BTC is more than is held.
    expect(rejectionOf(() => book.apply(fill({ side: 'sell', qty: '1', price: '100', fee: '0.001', fee_currency: 'BTC' }), T0)).type).toBe(INSUFFICIENT_HOLDINGS);
    expect(rejectionOf(() => book.apply(fill({ symbol: 'ETH/USDT', side: 'sell', qty: '1', price: '10' }), T0)).type).toBe(INSUFFICIENT_HOLDINGS);
    expect(book.state).toEqual(before);
  });

  it('refuses a purchase the cash cannot pay for, fee included', () => {
    const book = ledger({ initialCash: '1000' });
    const tooDear = fill({ side: 'buy', qty: '10', price: '100', fee: '0.01' });
    const refused = rejectionOf(() => book.apply(tooDear, T0));
    expect(refused.type).toBe(INSUFFICIENT_CASH);
    expect(refused.message).toContain('costs 1000.01 USDT but the account holds 1000 USDT');
    expect(book.apply(fill({ side: 'buy', qty: '10', price: '100' }), T0).cash).toBe('0');
  });

  it('refuses malformed fills with what is wrong', () => {
    const book = ledger();
    const cases: Array<[Partial<LedgerFill>, RegExp]> = [
      [{ symbol: 'BTC/EUR' }, /keeps cash in USDT; BTC\/EUR is quoted in EUR/],
      [{ symbol: 'BTCUSDT' }, /spot symbol BASE\/QUOTE/],
      [{ symbol: 'BTC/USDT:USDT' }, /spot symbol BASE\/QUOTE/],
      [{ qty: '1e3' }, /qty must be a plain decimal/],
      [{ qty: '-1' }, /qty must be a plain decimal/],
      [{ qty: '0.000' }, /qty must be greater than zero/],
      [{ price: '0' }, /price must be greater than zero/],
      [{ fee: 'NaN' }, /fee must be a plain decimal/],
      [{ fee_currency: 'BNB' }, /fee_currency must be USDT or BTC/],
      [{ side: 'short' as never }, /side must be "buy" or "sell"/],
      [{ liquidity: 'both' as never }, /liquidity must be "maker" or "taker"/],
      [{ ts: -5 }, /ts must be a non-negative integer/],
      [{ fill_id: '' }, /fill_id must be a non-empty string/],
    ];
    for (const [patch, message] of cases) {
      const bad = { ...fill({ side: 'buy', qty: '1', price: '100' }), ...patch };
      const refused = rejectionOf(() => book.validate(bad));
      expect(refused.type).toBe(INVALID_FILL);
      expect(refused.message).toMatch(message);
    }
    expect(book.state.fill_count).toBe(0);
  });

  it('answers a repeated fill id with applied:false, even once the balances would refuse it', () => {
    const book = ledger();
    const buy = fill({ side: 'buy', qty: '1', price: '100' });
    const sell = fill({ side: 'sell', qty: '1', price: '120' });
    book.apply(buy, T0);
    book.apply(sell, T0);
    const before = structuredClone(book.state);
    expect(() => book.validate(sell)).not.toThrow();
    expect(book.apply(sell, T0)).toEqual({ applied: false, seq: 2, cash: before.cash, position: null });
    expect(book.apply(buy, T0)).toMatchObject({ applied: false, seq: 1 });
    expect(book.state).toEqual(before);
  });

  it('keeps the journal and the fill-id memory within their bounds', () => {
    const book = ledger({ journalLimit: 10, dedupeWindow: 12 });
    const fills = Array.from({ length: 25 }, () => fill({ side: 'buy', qty: '0.01', price: '100' }));
    for (const f of fills) book.apply(f, T0);
    expect(book.state.journal.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 16 + i));
    expect(book.state.recent_fill_ids).toHaveLength(12);
    expect(book.apply(fills[24] as LedgerFill, T0).applied).toBe(false);
    expect(book.apply(fills[13] as LedgerFill, T0).applied).toBe(false);
    // Beyond the window an id is forgotten (the configured bound of de-duplication).
    expect(book.appliedSeq((fills[12] as LedgerFill).fill_id)).toBeUndefined();
    expect(book.balances().fill_count).toBe(25);
  });

  it('pages the journal: the newest `limit` matches, oldest first', () => {
    const book = ledger();
    for (let i = 0; i < 6; i += 1) {
      book.apply(fill({ symbol: i % 2 ? 'ETH/USDT' : 'BTC/USDT', side: 'buy', qty: '1', price: '10', ts: T0 + i * 1000 }), T0);
    }
    const page = book.journalPage({ symbol: 'BTC/USDT', since_ts: T0 + 1000, limit: 1 });
    expect(page.fills.map((e) => e.ts)).toEqual([T0 + 4000]);
    expect(page).toMatchObject({ matched: 2, retained_since_ts: T0, fill_count: 6 });
  });

  it('coalesces equity points per sampling bucket and keeps the opening point', () => {
    const book = ledger({ equitySampleSec: 60 });
    book.apply(fill({ side: 'buy', qty: '1', price: '100', fee: '1' }), T0 + 1_000);
    book.apply(fill({ side: 'buy', qty: '1', price: '100', fee: '1' }), T0 + 2_000);
    book.recordEquity(T0 + 61_000, 'mark', { 'BTC/USDT': '150' });
    expect(book.state.equity_curve).toEqual([
      { ts: T0, equity: '100000', source: 'open' },
      { ts: T0 + 2_000, equity: '99998', source: 'fill' },
      { ts: T0 + 61_000, equity: '100098', source: 'mark' },
    ]);
  });

  it('carries its state across continue-as-new: same balances, same duplicates detected', () => {
    const book = ledger();
    const f = fill({ side: 'buy', qty: '1', price: '100' });
    book.apply(f, T0);
    const next = new LedgerBook('test', book.carry(settings({ journalLimit: 500 })));
    expect(next.balances()).toEqual(book.balances());
    expect(next.apply(f, T0).applied).toBe(false);
    expect(next.state.runs).toBe(2);
    expect(next.settings.journalLimit).toBe(500);
    // The account's starting cash is its own for life, whatever the new bounds say.
    expect(new LedgerBook('test', book.carry(settings({ initialCash: '5' }))).settings.initialCash).toBe('100000');
  });
});

// ---- Random fill sequences ----

const SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;
const BASE: Record<string, string> = { 'BTC/USDT': 'BTC', 'ETH/USDT': 'ETH' };

/** Decimal strings built from integers, so every generated amount is exact. */
const amount = (maxUnits: number, decimals: number) =>
  fc.integer({ min: 1, max: maxUnits }).map((n) => new Decimal(n).dividedBy(10 ** decimals).toFixed());

type Step = { kind: 'fill'; fill: LedgerFill } | { kind: 'repeat'; index: number };

const fillArb: fc.Arbitrary<LedgerFill> = fc
  .record({
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'buy', 'sell'),
    qty: amount(5_000, 3),
    price: amount(5_000_00, 2),
    feeBps: fc.integer({ min: 0, max: 30 }),
    feeInBase: fc.boolean(),
    liquidity: fc.constantFrom<'maker' | 'taker'>('maker', 'taker'),
  })
  .map(({ symbol, side, qty, price, feeBps, feeInBase, liquidity }) => {
    const rate = new Decimal(feeBps).dividedBy(10_000);
    const fee = feeInBase ? new Decimal(qty).times(rate) : new Decimal(qty).times(price).times(rate);
    return {
      fill_id: '',
      client_order_id: 'o',
      intent_id: null,
      order_workflow_id: 'order:o',
      symbol,
      side,
      qty,
      price,
      fee: fee.toFixed(),
      fee_currency: feeInBase ? (BASE[symbol] as string) : 'USDT',
      liquidity,
      ts: T0,
    };
  });

const stepsArb = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fillArb.map((f): Step => ({ kind: 'fill', fill: f })) },
    { weight: 1, arbitrary: fc.nat({ max: 200 }).map((index): Step => ({ kind: 'repeat', index })) },
  ),
  { minLength: 1, maxLength: 60 },
);

const marksArb = fc.record({ 'BTC/USDT': amount(5_000_00, 2), 'ETH/USDT': amount(5_000_00, 2) });

/** An independent model of what the ledger should hold: plain sums over the fills it accepted. */
class Model {
  cash: Decimal;
  qty: Record<string, Decimal> = {};
  constructor(initial: string) {
    this.cash = new Decimal(initial);
  }
  book(f: LedgerFill): void {
    const notional = new Decimal(f.qty).times(f.price);
    const quoteFee = f.fee_currency === 'USDT' ? new Decimal(f.fee) : new Decimal(0);
    const baseFee = f.fee_currency === 'USDT' ? new Decimal(0) : new Decimal(f.fee);
    const sign = f.side === 'buy' ? 1 : -1;
    this.cash = this.cash.minus(notional.times(sign)).minus(quoteFee);
    this.qty[f.symbol] = (this.qty[f.symbol] ?? new Decimal(0)).plus(new Decimal(f.qty).times(sign)).minus(baseFee);
  }
  /** What the ledger must refuse: more sold than held, or more spent than there is cash. */
  refusal(f: LedgerFill): string | null {
    const held = this.qty[f.symbol] ?? new Decimal(0);
    const baseFee = f.fee_currency === 'USDT' ? new Decimal(0) : new Decimal(f.fee);
    const quoteFee = f.fee_currency === 'USDT' ? new Decimal(f.fee) : new Decimal(0);
    const notional = new Decimal(f.qty).times(f.price);
    if (f.side === 'sell') {
      if (new Decimal(f.qty).plus(baseFee).greaterThan(held)) return INSUFFICIENT_HOLDINGS;
      return this.cash.plus(notional).minus(quoteFee).isNegative() ? INSUFFICIENT_CASH : null;
    }
    if (this.cash.minus(notional).minus(quoteFee).isNegative()) return INSUFFICIENT_CASH;
    return baseFee.greaterThan(held.plus(f.qty)) ? INVALID_FILL : null;
  }
}

function run(steps: Step[], initialCash: string) {
  const book = ledger({ initialCash });
  const model = new Model(initialCash);
  const accepted: LedgerFill[] = [];
  const tried: LedgerFill[] = [];
  steps.forEach((step, i) => {
    const f = step.kind === 'fill' ? { ...step.fill, fill_id: `f${i}`, ts: T0 + i } : tried[step.index % Math.max(1, tried.length)];
    if (!f) return;
    const before = structuredClone(book.state);
    const expected = book.appliedSeq(f.fill_id) !== undefined ? 'duplicate' : model.refusal(f);
    let validated: string | null = null;
    try {
      book.validate(f);
    } catch (err) {
      validated = (err as LedgerRejection).type;
    }
    try {
      const result = book.apply(f, T0 + i);
      expect(validated).toBeNull();
      if (expected === 'duplicate') {
        expect(result.applied).toBe(false);
        expect(book.state).toEqual(before);
      } else {
        expect(expected).toBeNull();
        expect(result.applied).toBe(true);
        model.book(f);
        accepted.push(f);
      }
    } catch (err) {
      expect(err).toBeInstanceOf(LedgerRejection);
      expect((err as LedgerRejection).type).toBe(expected);
      expect(validated).toBe(expected);
      expect(book.state).toEqual(before);
    }
    if (step.kind === 'fill') tried.push(f);
  });
  return { book, model, accepted };
}

describe('ledger bookkeeping: invariants over random fill sequences', () => {
  it('conserves cash with fees and holds exactly the signed fills', () => {
    fc.assert(
      fc.property(stepsArb, amount(10_000_000, 0), (steps, initialCash) => {
        const { book, model } = run(steps, initialCash);
        expect(book.state.cash).toBe(model.cash.toFixed());
        for (const symbol of SYMBOLS) {
          const held = model.qty[symbol] ?? new Decimal(0);
          expect(book.state.positions[symbol]?.qty ?? '0').toBe(held.toFixed());
        }
        expect(new Decimal(book.state.cash).isNegative()).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('equity - initial cash = realized + unrealized - fees, at any marks', () => {
    fc.assert(
      fc.property(stepsArb, marksArb, (steps, marks) => {
        const { book } = run(steps, '1000000');
        const s = book.state;
        const unrealized = Object.entries(s.positions).reduce(
          (sum, [symbol, p]) => sum.plus(new Decimal(p.qty).times(marks[symbol as keyof typeof marks])).minus(p.cost),
          new Decimal(0),
        );
        const equity = new Decimal(book.equity(marks).toString());
        expect(equity.minus('1000000').toFixed()).toBe(new Decimal(s.realized_pnl).plus(unrealized).minus(s.fees_paid).toFixed());
      }),
      { numRuns: 300 },
    );
  });

  it('replaying the journal rebuilds the same state', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { book, accepted } = run(steps, '1000000');
        const replayed = ledger({ initialCash: '1000000' });
        for (const entry of book.state.journal) {
          const { seq: _seq, realized_pnl: _r, fee_quote: _f, cash_after: _c, position_qty_after: _q, avg_price_after: _a, ...asFill } = entry;
          replayed.apply(asFill, T0);
        }
        expect(book.state.journal).toHaveLength(accepted.length);
        const pick = (b: LedgerBook) => {
          const { cash, positions, realized_pnl, fees_paid, fees_by_currency, fill_count, journal, recent_fill_ids, last_prices } = b.state;
          return { cash, positions, realized_pnl, fees_paid, fees_by_currency, fill_count, journal, recent_fill_ids, last_prices };
        };
        expect(pick(replayed)).toEqual(pick(book));
      }),
      { numRuns: 200 },
    );
  });

  it('exercises refusals, duplicates and fees in both currencies', () => {
    const seen = { refused: 0, duplicate: 0, baseFee: 0 };
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { book, accepted } = run(steps, '2000');
        seen.refused += steps.filter((s) => s.kind === 'fill').length - accepted.length;
        seen.duplicate += steps.filter((s) => s.kind === 'repeat').length;
        seen.baseFee += accepted.filter((f) => f.fee_currency !== 'USDT').length;
        expect(book.state.fill_count).toBe(accepted.length);
      }),
      { numRuns: 200 },
    );
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.duplicate).toBeGreaterThan(0);
    expect(seen.baseFee).toBeGreaterThan(0);
  });
});
