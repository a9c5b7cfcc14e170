/**
 * Money held exactly, per account: the fills every order workflow recorded are the fills the
 * ledger journal holds (each `order:<client_order_id>#<seq>` once, none missing, none extra, the
 * same qty, price and fee), and the ledger's cash is the initial cash minus every buy's notional
 * and fee plus every sell's notional less its fee, to the last digit (decimal.js, never floats).
 */
import { Decimal } from 'decimal.js';
import { getFills, getPortfolioStatus, MAX_FILLS_PAGE } from '../../schemas/ledger.js';
import { orderFillId } from '../../schemas/temporal/orders.js';
import type { FinalOrder } from './chaos-run.js';
import type { ChaosServer } from './mcp-server.js';

export interface MoneyFigures {
  violations: string[];
}

interface ExpectedFill {
  fill_id: string;
  side: 'buy' | 'sell';
  qty: string;
  price: string;
  fee: string;
}

/** A ledger read that says retrying can help is asked again a few times: the worker may still be catching up. */
const LEDGER_READ_ATTEMPTS = 5;
const LEDGER_READ_PAUSE_MS = 5_000;

async function callLedger(ledger: ChaosServer, name: string, args: Record<string, unknown>): Promise<unknown> {
  for (let attempt = 1; ; attempt += 1) {
    const result = await ledger.client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
    if (!result.isError) return result.structuredContent;
    const text = JSON.stringify(result.content);
    if (attempt >= LEDGER_READ_ATTEMPTS || !text.includes('Retrying can help')) {
      throw new Error(`${name} ${JSON.stringify(args)} answered an error (attempt ${attempt}): ${text.slice(0, 400)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, LEDGER_READ_PAUSE_MS));
  }
}

function expectedFills(finals: Map<string, FinalOrder>, violations: string[]): Map<string, ExpectedFill[]> {
  const byAccount = new Map<string, ExpectedFill[]>();
  for (const [clientOrderId, { order }] of finals) {
    if (!order) continue;
    order.fills.forEach((fill, i) => {
      // Fills are numbered 1, 2, … within their order, each under the id the ledger dedupes on.
      if (fill.seq !== i + 1 || fill.fill_id !== orderFillId(clientOrderId, fill.seq)) {
        violations.push(`${clientOrderId}: fill ${i + 1} is numbered seq ${fill.seq} with id ${fill.fill_id}`);
      }
    });
    const list = byAccount.get(order.account) ?? [];
    list.push(...order.fills.map((f) => ({ fill_id: f.fill_id, side: order.side, qty: f.qty, price: f.price, fee: f.fee })));
    byAccount.set(order.account, list);
  }
  return byAccount;
}

export async function checkMoney(ledger: ChaosServer, accounts: string[], finals: Map<string, FinalOrder>, initialCash: string): Promise<MoneyFigures> {
  const violations: string[] = [];
  const expected = expectedFills(finals, violations);
  for (const account of accounts) {
    const mine = expected.get(account) ?? [];
    const journal = getFills.output.parse(await callLedger(ledger, 'get_fills', { account, limit: MAX_FILLS_PAGE }));
    const portfolio = getPortfolioStatus.output.parse(await callLedger(ledger, 'get_portfolio_status', { account }));

    if (journal.fill_count !== mine.length) violations.push(`${account}: the ledger counts ${journal.fill_count} fills, the orders recorded ${mine.length}`);
    if (journal.fills.length < journal.fill_count) violations.push(`${account}: the journal shows ${journal.fills.length} of ${journal.fill_count} fills; the check cannot see them all`);
    const booked = new Map<string, (typeof journal.fills)[number]>();
    for (const f of journal.fills) {
      if (booked.has(f.fill_id)) violations.push(`${account}: fill ${f.fill_id} is booked twice`);
      booked.set(f.fill_id, f);
    }
    for (const want of mine) {
      const got = booked.get(want.fill_id);
      if (!got) violations.push(`${account}: fill ${want.fill_id} of its order is not in the ledger`);
      else if (got.qty !== want.qty || got.price !== want.price || got.fee !== want.fee || got.side !== want.side) {
        violations.push(`${account}: fill ${want.fill_id} is booked as ${got.side} ${got.qty} @ ${got.price} fee ${got.fee}, the order recorded ${want.side} ${want.qty} @ ${want.price} fee ${want.fee}`);
      }
      booked.delete(want.fill_id);
    }
    for (const extra of booked.keys()) violations.push(`${account}: the ledger holds fill ${extra}, which no order recorded`);

    const cash = mine.reduce((sum, f) => {
      const notional = new Decimal(f.qty).times(f.price);
      return f.side === 'buy' ? sum.minus(notional).minus(f.fee) : sum.plus(notional).minus(f.fee);
    }, new Decimal(initialCash));
    if (!cash.equals(portfolio.cash)) violations.push(`${account}: cash is ${portfolio.cash}; the orders' fills make it ${cash.toFixed()}`);
    if (!new Decimal(portfolio.initial_cash).equals(initialCash)) violations.push(`${account}: initial cash ${portfolio.initial_cash}, the run configured ${initialCash}`);
  }
  return { violations };
}
