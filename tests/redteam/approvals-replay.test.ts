/**
 * Red team, approvals: a pre_trade_risk_check approval must give no authority to anything placed
 * later. Replays the sequences that got past the gate: an approval used after HALTED by an order
 * placed under the check's own ids (and far outside the price collar), the same intent submitted
 * after HALTED, and approvals collected over time whose orders together exceed max_symbol_notional.
 */
import { describe, expect, it } from 'vitest';
import { decisionCodes, ordersFinished, rejectionCodes } from './harness/answers.js';
import { newParty, priceAway, qtyWorth, sleep, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
/** Reservations lapse quickly, so "wait until they lapse" takes seconds. */
const RESERVATION_TTL_SEC = 2;
const stack = useRedteamStack('approvals', { RISK_RESERVATION_TTL_SEC: String(RESERVATION_TTL_SEC) });

/** An order under a checked intent's own ids, 500 bps above the mid (the collar is 200 bps). */
function placeUnderCheckIds(p: Party, intentId: string, qty: string) {
  return p.client.placeOrder({
    client_order_id: `${intentId}.0`,
    intent_id: intentId,
    account: p.account,
    symbol: BTC,
    side: 'buy',
    type: 'limit',
    qty,
    limit_price: priceAway(stack(), BTC, 500),
  });
}

describe('red team: approvals cannot be replayed', () => {
  it('an approval from pre_trade_risk_check lets nothing through once the account is HALTED', async () => {
    const p = await newParty(stack(), 'rt-approve');
    const intentId = uniqueId('halt-replay');
    const qty = qtyWorth(stack(), BTC, 13_000);
    const check = await p.client.check(p.account, intentId, [{ symbol: BTC, side: 'buy', qty }]);
    expect(check.structured?.decision, check.text).toBe('approved');
    const halted = await p.client.setState(p.account, 'HALTED', 'red team: halt after the approval');
    expect(halted.structured?.trading_state, halted.text).toBe('HALTED');

    const order = await placeUnderCheckIds(p, intentId, qty);
    expect(order.ok, order.text).toBe(true);
    expect(order.structured).toMatchObject({ status: 'rejected', filled_qty: '0' });
    expect(rejectionCodes(order.structured)).toContain('TRADING_HALTED');

    const intent = await p.client.submitIntent({ intent_id: intentId, account: p.account, intents: [{ symbol: BTC, side: 'buy', qty }] });
    expect(intent.ok, intent.text).toBe(true);
    expect(intent.structured).toMatchObject({ decision: 'rejected', broadcast: false, client_order_ids: [] });
    expect(decisionCodes(intent)).toContain('TRADING_HALTED');
    await p.expectInvariants();
  });

  it('an approved check does not carry an order far outside the price collar', async () => {
    const p = await newParty(stack(), 'rt-collar');
    const intentId = uniqueId('collar');
    const qty = qtyWorth(stack(), BTC, 5_000);
    expect((await p.client.check(p.account, intentId, [{ symbol: BTC, side: 'buy', qty }])).structured?.decision).toBe('approved');
    const order = await placeUnderCheckIds(p, intentId, qty);
    expect(order.structured, order.text).toMatchObject({ status: 'rejected', filled_qty: '0' });
    expect(rejectionCodes(order.structured)).toContain('PRICE_COLLAR');
    await p.expectInvariants();
  });

  it('approvals collected over time never add up past max_symbol_notional', async () => {
    const p = await newParty(stack(), 'rt-collect');
    // Sizes 3 % apart, so no order is a near-duplicate of another: only the symbol limit may stop them.
    const legs = [20_000, 20_600, 21_200, 21_800].map((usdt) => ({ intent_id: uniqueId('collect'), qty: qtyWorth(stack(), BTC, usdt) }));
    for (const leg of legs.slice(0, 2)) {
      expect((await p.client.check(p.account, leg.intent_id, [{ symbol: BTC, side: 'buy', qty: leg.qty }])).structured?.decision).toBe('approved');
    }
    await sleep(RESERVATION_TTL_SEC * 1000 + 500);
    for (const leg of legs.slice(2)) {
      expect((await p.client.check(p.account, leg.intent_id, [{ symbol: BTC, side: 'buy', qty: leg.qty }])).structured?.decision).toBe('approved');
    }
    const orders = [];
    for (const leg of legs) {
      const placed = await p.client.placeOrder({ client_order_id: `${leg.intent_id}.0`, intent_id: leg.intent_id, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: leg.qty });
      expect(placed.ok, placed.text).toBe(true);
      orders.push(placed.structured);
    }
    const filled = orders.filter((o) => o?.status === 'filled');
    const refused = orders.filter((o) => o?.status === 'rejected');
    expect(filled.length, JSON.stringify(orders.map((o) => [o?.status, o?.filled_notional]))).toBeLessThanOrEqual(2);
    expect(refused.map((o) => rejectionCodes(o)).every((codes) => codes.includes('MAX_SYMBOL_NOTIONAL'))).toBe(true);
    await p.expectInvariants();
  });

  it('a submitted intent asked again after HALTED answers its recorded outcome and books nothing new', async () => {
    const p = await newParty(stack(), 'rt-resubmit');
    const intentId = uniqueId('resubmit');
    const legs = [{ symbol: BTC, side: 'buy' as const, qty: qtyWorth(stack(), BTC, 3_000) }];
    const first = await p.client.submitIntent({ intent_id: intentId, account: p.account, intents: legs });
    expect(first.structured, first.text).toMatchObject({ decision: 'approved', broadcast: true });
    const ids = first.structured?.client_order_ids as string[];
    await ordersFinished(p.client, ids);
    await p.expectInvariants();
    const fillsBefore = p.checker.last?.fills?.fill_count;

    await p.client.setState(p.account, 'HALTED', 'red team: halt, then ask again');
    const again = await p.client.submitIntent({ intent_id: intentId, account: p.account, intents: legs });
    expect(again.structured, again.text).toMatchObject({ duplicate: true, client_order_ids: ids });
    const fresh = await p.client.submitIntent({ intent_id: uniqueId('resubmit'), account: p.account, intents: legs });
    expect(fresh.structured, fresh.text).toMatchObject({ decision: 'rejected', broadcast: false });
    await p.expectInvariants();
    expect(p.checker.last?.fills?.fill_count).toBe(fillsBefore);
  });
});
