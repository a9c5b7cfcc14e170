/**
 * Red team, the daily-loss breaker: it must never trap risk in. Each test opens the day with a
 * small buy (the gate sees the day's opening equity), then books a losing fill straight into the
 * ledger (a position bought 10 % above the market: a loss well past max_daily_loss), and exits:
 * - the breaker moves the account to REDUCING, not HALTED, and the very exit that trips it fills;
 * - once a person has set the state after a trip, the loss they accepted trips it neither on the next
 *   exits nor when they resume trading;
 * - the operator's reset-breaker keeps the day's loss on the record instead of forgetting it.
 */
import { describe, expect, it } from 'vitest';
import { rejectionCodes } from './harness/answers.js';
import { newParty, qtyWorth, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
const MAX_DAILY_LOSS = 200;
/** Bought 10 % above the market: about 0.05 x 10 % of the BTC price lost at once, far past the limit. */
const LOSING_QTY = '0.05';
/** Exit sizes 20 % apart, so no exit is a near-duplicate of the one before. */
const EXIT_QTYS = ['0.01', '0.012', '0.0144'];

const stack = useRedteamStack('breaker', { RISK_MAX_DAILY_LOSS: String(MAX_DAILY_LOSS) });

async function openTheDayThenLose(p: Party): Promise<void> {
  const opening = await p.client.placeOrder({ client_order_id: uniqueId('open'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 1_000) });
  expect(opening.structured, opening.text).toMatchObject({ status: 'filled' });
  const price = (stack().quotes.mid(BTC) * 1.1).toFixed(2);
  await stack().driver.fill(p.account, { symbol: BTC, side: 'buy', qty: LOSING_QTY, price });
}

const exit = (p: Party, n = 0) =>
  p.client.placeOrder({ client_order_id: uniqueId('exit'), account: p.account, symbol: BTC, side: 'sell', type: 'market', qty: EXIT_QTYS[n] as string });

async function limitsOf(p: Party): Promise<Record<string, unknown>> {
  return (await p.client.call(stack().risk, 'get_risk_limits', { account: p.account })).structured ?? {};
}

describe('red team: the breaker lets risk out', () => {
  it('trips to REDUCING, not HALTED, and fills the exit that tripped it', async () => {
    const p = await newParty(stack(), 'rt-breaker');
    await openTheDayThenLose(p);
    const out = await exit(p);
    expect(out.structured, out.text).toMatchObject({ status: 'filled' });
    const limits = await limitsOf(p);
    expect(limits.trading_state).toBe('REDUCING');
    expect(limits.last_change).toMatchObject({ to: 'REDUCING', authority: { kind: 'breaker', code: 'DAILY_LOSS_BREAKER' } });

    const buy = await p.client.placeOrder({ client_order_id: uniqueId('add'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 500) });
    expect(buy.structured, buy.text).toMatchObject({ status: 'rejected' });
    expect(rejectionCodes(buy.structured).some((c) => c === 'REDUCE_ONLY' || c === 'DAILY_LOSS_BREAKER')).toBe(true);
    await p.expectInvariants();
  });

  it('does not trip again on the loss a person accepted by setting the state', async () => {
    const p = await newParty(stack(), 'rt-breaker-ack');
    await openTheDayThenLose(p);
    expect((await exit(p, 0)).structured, 'the exit that trips the breaker').toMatchObject({ status: 'filled' });
    await p.client.operatorSetState(p.account, 'HALTED', 'operator: looking at the loss');
    await p.client.operatorSetState(p.account, 'REDUCING', 'operator: unwind the position');
    for (const n of [1, 2]) {
      const out = await exit(p, n);
      expect(out.structured, `exit ${n}: ${out.text}`).toMatchObject({ status: 'filled' });
      expect((await limitsOf(p)).trading_state, `after exit ${n}`).toBe('REDUCING');
    }
    await p.client.operatorSetState(p.account, 'ACTIVE', 'operator: the loss is accepted');
    const buy = await p.client.placeOrder({ client_order_id: uniqueId('resume'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 500) });
    expect(buy.structured, buy.text).toMatchObject({ status: 'filled' });
    expect((await limitsOf(p)).trading_state).toBe('ACTIVE');
    await p.expectInvariants();
  });

  it("keeps the day's loss on the record through the operator's reset-breaker", async () => {
    const p = await newParty(stack(), 'rt-breaker-reset');
    await openTheDayThenLose(p);
    expect((await exit(p, 0)).structured).toMatchObject({ status: 'filled' });
    await p.client.operatorResetBreaker(p.account, 'operator: acknowledged');
    // The next check observes equity again, which is when a reset takes effect.
    const after = await exit(p, 1);
    expect(after.structured, after.text).toMatchObject({ status: 'filled' });
    const report = await p.client.call(stack().risk, 'get_risk_report', { account: p.account });
    expect(report.ok, report.text).toBe(true);
    const breaker = report.structured?.breaker as { daily_loss: string | null; day_open_equity: string | null };
    expect(Number(breaker.daily_loss), `daily_loss ${breaker.daily_loss} after the reset`).toBeGreaterThan(MAX_DAILY_LOSS);
    await p.expectInvariants();
  });
});
