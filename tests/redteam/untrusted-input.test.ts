/**
 * Red team, untrusted input: whatever the agent sends is checked the same at the server and in the
 * worker. Replays: a dust quantity (1e-18 BTC) that filled; a leading-zero quantity that passed the
 * server, used up the order id and failed in the worker; a `__proto__` key accepted and dropped (and
 * its cousins `constructor` and `prototype`, at the top level and inside intent legs); and an intent
 * id shaped like another caller's key (`order:X`) that blocked a later order X.
 */
import { describe, expect, it } from 'vitest';
import { ordersFinished } from './harness/answers.js';
import { newParty, priceAway, qtyWorth, uniqueId, useRedteamStack } from './harness/session.js';

const BTC = 'BTC/USDT';
const stack = useRedteamStack('input');

/** Refused as a size: an INVALID_INPUT/INVALID_SIZE error, or an order rejected with INVALID_SIZE. */
function refusedAsSize(outcome: { ok: boolean; error_code: string | null; structured: Record<string, unknown> | null }): boolean {
  if (!outcome.ok) return outcome.error_code === 'INVALID_INPUT' || outcome.error_code === 'INVALID_SIZE';
  const rejection = outcome.structured?.rejection as { code?: string } | null | undefined;
  return outcome.structured?.status === 'rejected' && rejection?.code === 'INVALID_SIZE';
}

describe('red team: untrusted input', () => {
  it('refuses dust sizes instead of booking them', async () => {
    const p = await newParty(stack(), 'rt-dust');
    const dust = [{ qty: '0.000000000000000001' }, { quote_notional: '0.000000000000000001' }, { qty: '0.0000001' }];
    for (const size of dust) {
      const order = await p.client.placeOrder({ client_order_id: uniqueId('dust'), account: p.account, symbol: BTC, side: 'buy', type: 'market', ...size });
      expect(refusedAsSize(order), `${JSON.stringify(size)}: ${order.text.slice(0, 300)}`).toBe(true);
    }
    await p.expectInvariants();
    expect(p.checker.last?.fills?.fills).toEqual([]);
  });

  it('fills a quote_notional order in whole quantity steps of the symbol', async () => {
    const p = await newParty(stack(), 'rt-steps');
    for (const [symbol, quote] of [['ETH/USDT', '900'], ['SOL/USDT', '333.33'], [BTC, '1234.5']] as const) {
      const order = await p.client.placeOrder({ client_order_id: uniqueId('steps'), account: p.account, symbol, side: 'buy', type: 'market', quote_notional: quote });
      expect(order.structured, order.text).toMatchObject({ status: 'filled' });
    }
    // A marketable limit order sized by quote, and an intent whose market leg max_slippage_bps turns into one.
    const limit = await p.client.placeOrder({ client_order_id: uniqueId('steps'), account: p.account, symbol: 'ETH/USDT', side: 'buy', type: 'limit', quote_notional: '700', limit_price: priceAway(stack(), 'ETH/USDT', 20) });
    expect(limit.structured, limit.text).toMatchObject({ status: 'filled' });
    const intent = await p.client.submitIntent({ intent_id: uniqueId('steps'), account: p.account, intents: [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: '500' }], max_slippage_bps: 50 });
    expect(intent.structured, intent.text).toMatchObject({ decision: 'approved' });
    await ordersFinished(p.client, intent.structured?.client_order_ids as string[]);
    // The checker holds every fill against the sim venue's minimum and step (fill-size).
    await p.expectInvariants();
  });

  it('refuses a leading-zero quantity at the server, leaving the order id unused', async () => {
    const p = await newParty(stack(), 'rt-zeros');
    const id = uniqueId('zeros');
    for (const qty of ['00.001', '007']) {
      const refused = await p.client.placeOrder({ client_order_id: id, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty });
      expect(refused.error_code, `qty ${qty}: ${refused.text.slice(0, 300)}`).toBe('INVALID_INPUT');
      expect(refused.text).toMatch(/qty/);
    }
    const placed = await p.client.placeOrder({ client_order_id: id, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: '0.001' });
    expect(placed.structured, placed.text).toMatchObject({ status: 'filled', duplicate: false });
    await p.expectInvariants();
  });

  it('refuses __proto__, constructor and prototype keys anywhere in the arguments', async () => {
    const p = await newParty(stack(), 'rt-proto');
    const s = stack();
    const id = uniqueId('proto');
    const leg = { symbol: BTC, side: 'buy', qty: qtyWorth(s, BTC, 500) };
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      await p.client.withForbiddenKey(s.execution, 'place_mock_order', { client_order_id: id, account: p.account, type: 'market', ...leg }, key);
      await p.client.withForbiddenKey(s.risk, 'pre_trade_risk_check', { intent_id: uniqueId('proto'), account: p.account, intents: [leg] }, key, 'leg');
      await p.client.withForbiddenKey(s.execution, 'submit_intent', { intent_id: uniqueId('proto'), account: p.account, intents: [leg] }, key, 'leg');
      await p.client.withForbiddenKey(s.execution, 'submit_intent', { intent_id: uniqueId('proto'), account: p.account, intents: [leg] }, key);
      await p.client.withForbiddenKey(s.risk, 'set_trading_state', { state: 'HALTED', reason: 'red team: a hidden key', account: p.account }, key);
    }
    const answers = p.journal.forbiddenKeyCalls.map((c) => `${c.tool}/${c.key}: ${c.outcome.error_code ?? 'ok'}`);
    expect(answers.filter((a) => !a.endsWith(': INVALID_INPUT'))).toEqual([]);
    // Refused before anything was recorded: the id is still free.
    const placed = await p.client.placeOrder({ client_order_id: id, account: p.account, type: 'market', ...leg, side: 'buy' });
    expect(placed.structured, placed.text).toMatchObject({ status: 'filled', duplicate: false });
    await p.expectInvariants();
  });

  it("keeps each caller's ids in a key space of its own", async () => {
    const p = await newParty(stack(), 'rt-keys');
    const qty = qtyWorth(stack(), BTC, 500);
    const x = uniqueId('keys');
    expect((await p.client.check(p.account, `order:${x}`, [{ symbol: BTC, side: 'buy', qty }])).structured?.decision).toBe('approved');
    // Another size, so only the ids could tie the order to the check.
    const afterCheck = await p.client.placeOrder({ client_order_id: x, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 800) });
    expect(afterCheck.structured, afterCheck.text).toMatchObject({ status: 'filled', duplicate: false });

    const y = uniqueId('keys');
    const intent = await p.client.submitIntent({ intent_id: `order:${y}`, account: p.account, intents: [{ symbol: BTC, side: 'buy', qty: qtyWorth(stack(), BTC, 560) }] });
    expect(intent.structured, intent.text).toMatchObject({ decision: 'approved' });
    await ordersFinished(p.client, intent.structured?.client_order_ids as string[]);
    const afterIntent = await p.client.placeOrder({ client_order_id: y, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 620) });
    expect(afterIntent.structured, afterIntent.text).toMatchObject({ status: 'filled', duplicate: false });

    const z = uniqueId('keys');
    const order = await p.client.placeOrder({ client_order_id: `intent:${z}`, account: p.account, symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 680) });
    expect(order.structured, order.text).toMatchObject({ status: 'filled' });
    const later = await p.client.submitIntent({ intent_id: z, account: p.account, intents: [{ symbol: BTC, side: 'buy', qty: qtyWorth(stack(), BTC, 740) }] });
    expect(later.structured, later.text).toMatchObject({ decision: 'approved', duplicate: false });
    await p.expectInvariants();
  });
});
