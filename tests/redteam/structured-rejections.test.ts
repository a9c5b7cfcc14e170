/**
 * Red team, structured rejections: an order the gate refuses must carry the gate's reasons as
 * data ([{code, message, leg_index}], the codes pre_trade_risk_check gives for the same request),
 * not one line of text an agent has to parse. Each test asks pre_trade_risk_check first (a dry run,
 * so it changes nothing the order then meets) and compares.
 */
import { describe, expect, it } from 'vitest';
import { riskReason } from '../../schemas/risk.js';
import { decisionCodes } from './harness/answers.js';
import type { LegArgs } from './harness/hostile-client.js';
import { newParty, qtyWorth, uniqueId, useRedteamStack, type Party } from './harness/session.js';

const BTC = 'BTC/USDT';
const stack = useRedteamStack('rejections');

async function expectSameReasons(p: Party, leg: LegArgs & { type: 'market' | 'limit' }): Promise<void> {
  const { type, ...intentLeg } = leg;
  const check = await p.client.check(p.account, uniqueId('why'), [intentLeg]);
  expect(check.structured?.decision, check.text).toBe('rejected');
  const order = await p.client.placeOrder({ client_order_id: uniqueId('why'), account: p.account, type, ...intentLeg });
  expect(order.structured, order.text).toMatchObject({ status: 'rejected', rejection: { code: 'RISK_REJECTED' } });
  const reasons = (order.structured?.rejection as { reasons?: unknown[] }).reasons ?? [];
  expect(reasons.length, `rejection: ${JSON.stringify(order.structured?.rejection)}`).toBeGreaterThan(0);
  for (const reason of reasons) expect(riskReason.strict().safeParse(reason).success, JSON.stringify(reason)).toBe(true);
  expect(reasons.map((r) => (r as { code: string }).code)).toEqual(decisionCodes(check));
  await p.expectInvariants();
}

describe('red team: gate rejections are structured', () => {
  it('an oversized order carries MAX_ORDER_NOTIONAL and the rest as data', async () => {
    const p = await newParty(stack(), 'rt-why-size');
    await expectSameReasons(p, { symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 60_000) });
  });

  it('an order outside the collar carries PRICE_COLLAR as data', async () => {
    const p = await newParty(stack(), 'rt-why-collar');
    const limit = (stack().quotes.mid(BTC) * 1.05).toFixed(2);
    await expectSameReasons(p, { symbol: BTC, side: 'buy', type: 'limit', qty: qtyWorth(stack(), BTC, 1_000), limit_price: limit });
  });

  it('an order on a HALTED account carries TRADING_HALTED as data', async () => {
    const p = await newParty(stack(), 'rt-why-halt');
    await p.client.setState(p.account, 'HALTED', 'red team: halt, then ask why');
    await expectSameReasons(p, { symbol: BTC, side: 'buy', type: 'market', qty: qtyWorth(stack(), BTC, 1_000) });
  });

  it('a sell of what the account does not hold carries INSUFFICIENT_HOLDINGS as data', async () => {
    const p = await newParty(stack(), 'rt-why-hold');
    await expectSameReasons(p, { symbol: 'ETH/USDT', side: 'sell', type: 'market', qty: '1' });
  });
});
