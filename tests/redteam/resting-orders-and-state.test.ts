/**
 * Red team, resting orders: a limit order resting on the book must not fill against a trading state
 * that has since tightened. The sim book is a pure function of time, so each test places a buy that
 * the book will cross a few seconds later, tightens the state before that moment, and waits past
 * it: HALTED must cancel the order (naming the state) and REDUCING must cancel a buy, with no fill
 * after the tightening answered; and a resting order that fills must stop counting as working.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { ordersFinished } from './harness/answers.js';
import { nextCrossingLimit, type CrossingLimit } from './harness/crossing-limit.js';
import { newParty, qtyWorth, sleep, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
/** Seconds the book stays clear of the limit after it is chosen: time to place and to tighten. */
const QUIET_SEC = 6;
/** Seconds the book keeps crossing the limit: a resting order checked about once a second, slower under load, has several chances. */
const CROSSED_SEC = 4;
/** Seconds after the crossing ends a test waits, so the order's last check has been decided. */
const AFTER_CROSSING_MS = 3_000;
/** How far ahead the book is searched for a dip: a market rising for longer than this has none. */
const LOOKAHEAD_SEC = 90;
/** Looking for a dip, then waiting for it: each test may take a few minutes on a rising market. */
const TEST_TIMEOUT_MS = 240_000;

const stack = useRedteamStack('resting');

async function restingBuyThatWillCross(p: Party): Promise<{ id: string; crossing: CrossingLimit }> {
  const crossing = await nextCrossingLimit(stack().driver.sim, BTC, QUIET_SEC, LOOKAHEAD_SEC, 90, CROSSED_SEC);
  if (!crossing) throw new Error(`the sim book offered no limit that it crosses within ${LOOKAHEAD_SEC} s and holds for ${CROSSED_SEC} s, in 90 s of looking; cannot stage a resting fill`);
  const id = uniqueId('rest');
  const placed = await p.client.placeOrder({
    client_order_id: id,
    account: p.account,
    symbol: BTC,
    side: 'buy',
    type: 'limit',
    qty: qtyWorth(stack(), BTC, 1_000),
    limit_price: crossing.limit_price,
    expires_after_sec: 300,
  });
  expect(placed.structured, placed.text).toMatchObject({ status: 'open', filled_qty: '0' });
  return { id, crossing };
}

/** Once the book has crossed the order's price, the order stands cancelled for the state, unfilled. */
async function expectCancelledPastCrossing(p: Party, id: string, crossing: CrossingLimit, state: 'HALTED' | 'REDUCING'): Promise<void> {
  await sleep(crossing.crossed_until_ms + AFTER_CROSSING_MS - Date.now());
  const [order] = await ordersFinished(p.client, [id], 5_000).catch(() => [undefined]);
  expect(order, `order ${id} is still working ${AFTER_CROSSING_MS} ms after the book stopped crossing it on a ${state} account`).toBeDefined();
  expect(order).toMatchObject({ status: 'cancelled', filled_qty: '0' });
  expect(String(order?.status_reason)).toMatch(new RegExp(state));
}

describe('red team: resting orders follow the trading state', { timeout: TEST_TIMEOUT_MS }, () => {
  it('HALTED cancels a resting buy before the book crosses it, and nothing fills afterwards', async () => {
    const p = await newParty(stack(), 'rt-rest-halt');
    const { id, crossing } = await restingBuyThatWillCross(p);
    const halted = await p.client.setState(p.account, 'HALTED', 'red team: halt with a resting buy');
    expect(halted.structured?.trading_state, halted.text).toBe('HALTED');
    // The staging holds only if the halt answered before the book crossed the order.
    expect(halted.answered_at).toBeLessThan(crossing.crosses_at_ms);

    await expectCancelledPastCrossing(p, id, crossing, 'HALTED');
    await p.expectInvariants();
    expect(p.checker.last?.limits?.working_orders).toBe(0);
  });

  it('REDUCING cancels a resting buy, so the position cannot grow', async () => {
    const p = await newParty(stack(), 'rt-rest-reduce');
    // Another size than the resting buy, so the gate cannot take that for a duplicate of this.
    const held = await p.client.placeOrder({ client_order_id: uniqueId('hold'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 1_500) });
    expect(held.structured, held.text).toMatchObject({ status: 'filled' });
    const { id, crossing } = await restingBuyThatWillCross(p);
    const reducing = await p.client.setState(p.account, 'REDUCING', 'red team: reduce with a resting buy');
    expect(reducing.structured?.trading_state, reducing.text).toBe('REDUCING');
    expect(reducing.answered_at).toBeLessThan(crossing.crosses_at_ms);

    await expectCancelledPastCrossing(p, id, crossing, 'REDUCING');
    await p.expectInvariants();
  });

  it('a resting order that fills stops counting as working', async () => {
    const p = await newParty(stack(), 'rt-rest-fill');
    const { id, crossing } = await restingBuyThatWillCross(p);
    await sleep(crossing.crosses_at_ms - Date.now());
    const [order] = await ordersFinished(p.client, [id], 15_000);
    expect(order).toMatchObject({ status: 'filled' });
    await eventually(async () => {
      const limits = await p.client.call(stack().risk, 'get_risk_limits', { account: p.account });
      expect(limits.structured?.working_orders, 'get_risk_limits still counts the filled order').toBe(0);
    }, 10_000);
    await p.expectInvariants();
  });
});
