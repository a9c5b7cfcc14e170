/**
 * Red team, dry runs and throttles: pre_trade_risk_check must be a dry run (it reserves nothing and
 * uses up no budget), while real requests stay throttled. Replays: a burst of checks used up the
 * order-rate budget of the next real order; a check's approval made a separately keyed order of the
 * same size a DUPLICATE_INTENT; a long run of rejected requests was never throttled. One control
 * shows the order-rate budget is real, so the first test cannot pass for want of a limit.
 */
import { describe, expect, it } from 'vitest';
import { rejectionCodes } from './harness/answers.js';
import { newParty, qtyWorth, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
const MAX_ORDERS_PER_WINDOW = 5;
const MAX_REJECTIONS_PER_WINDOW = 10;
const stack = useRedteamStack('dry-run', {
  RISK_MAX_ORDERS_PER_WINDOW: String(MAX_ORDERS_PER_WINDOW),
  RISK_MAX_REJECTIONS_PER_WINDOW: String(MAX_REJECTIONS_PER_WINDOW),
});

const buy = (p: Party, usdt: number) =>
  p.client.placeOrder({ client_order_id: uniqueId('dry'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, usdt) });

describe('red team: a check is a dry run', () => {
  it('20 checks use none of the order-rate budget of the next real order', async () => {
    const p = await newParty(stack(), 'rt-dry-rate');
    for (let i = 0; i < 20; i += 1) {
      const check = await p.client.check(p.account, uniqueId('dry-check'), [{ symbol: BTC, side: 'buy', qty: qtyWorth(stack(), BTC, 1_000 + i * 50) }]);
      expect(check.structured, `check ${i + 1}: ${check.text}`).toMatchObject({ decision: 'approved', dry_run: true, duplicate: false });
    }
    const order = await buy(p, 700);
    expect(rejectionCodes(order.structured)).not.toContain('ORDER_RATE_THROTTLED');
    expect(order.structured, order.text).toMatchObject({ status: 'filled' });
    await p.expectInvariants();
  });

  it("a check's approval does not make a separately keyed order of the same size a duplicate", async () => {
    const p = await newParty(stack(), 'rt-dry-dup');
    const qty = qtyWorth(stack(), BTC, 1_500);
    const check = await p.client.check(p.account, uniqueId('dup-check'), [{ symbol: BTC, side: 'buy', qty }]);
    expect(check.structured?.decision, check.text).toBe('approved');
    const order = await p.client.placeOrder({ client_order_id: uniqueId('dup-order'), account: p.account, symbol: BTC, side: 'buy', type: 'market', qty });
    expect(rejectionCodes(order.structured)).not.toContain('DUPLICATE_INTENT');
    expect(order.structured, order.text).toMatchObject({ status: 'filled' });
    await p.expectInvariants();
  });

  it('control: real orders past the budget are throttled', async () => {
    const p = await newParty(stack(), 'rt-dry-budget');
    // Sizes 8 % apart: none is a near-duplicate of another.
    for (let i = 0; i < MAX_ORDERS_PER_WINDOW; i += 1) {
      const order = await buy(p, 500 + i * 40);
      expect(order.structured, `order ${i + 1}: ${order.text}`).toMatchObject({ status: 'filled' });
    }
    const over = await buy(p, 500 + MAX_ORDERS_PER_WINDOW * 40);
    expect(over.structured, over.text).toMatchObject({ status: 'rejected' });
    expect(rejectionCodes(over.structured)).toContain('ORDER_RATE_THROTTLED');
    await p.expectInvariants();
  });

  it('a run of rejected requests is throttled', async () => {
    const p = await newParty(stack(), 'rt-dry-reject');
    const codes: string[][] = [];
    // Each worth more than max_order_notional (25000): refused on its own merits.
    for (let i = 0; i < MAX_REJECTIONS_PER_WINDOW + 5; i += 1) {
      const order = await buy(p, 30_000 + i * 500);
      expect(order.structured, order.text).toMatchObject({ status: 'rejected' });
      codes.push(rejectionCodes(order.structured));
    }
    const throttled = codes.slice(MAX_REJECTIONS_PER_WINDOW).filter((c) => c.includes('REJECTIONS_THROTTLED'));
    expect(throttled.length, `reason codes of the last 5: ${JSON.stringify(codes.slice(MAX_REJECTIONS_PER_WINDOW))}`).toBeGreaterThan(0);
    await p.expectInvariants();
  });
});
