/**
 * place_mock_order, get_order_status and cancel_order through the spawned execution server with a
 * real worker behind it (the sim venue): results match the output contract, one client_order_id is
 * one order and one fill however often and however concurrently it is sent, and every bad input
 * gets a clear isError instead of a stack trace.
 */
import { eventually } from '../helpers/eventually.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cancelOrder, getOrderStatus, placeMockOrder } from '../../schemas/execution-orders.js';
import { ledgerJournalQuery, ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { orderWorkflowId } from '../../schemas/temporal/orders.js';
import { uniqueAccount } from '../helpers/ledger-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { toolCaller } from '../helpers/tool-calls.js';

/** The risk gate reads quotes from tick stores of this file's own, seeded from the sim venue. */
const QUOTES = riskExchangeId('ct_orders');
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

async function seedSimQuotes(taskQueue: string): Promise<void> {
  const sim = new SimVenue(42);
  const now = Date.now();
  const quotes = Object.fromEntries(SYMBOLS.map((s) => [s, sim.tickAt(s, now)]));
  await seedQuotes(temporal.client, taskQueue, QUOTES, quotes);
}

let worker: RunningWorker;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('orders-tools');
  worker = await startTestWorker(taskQueue, { PAPER_RESTING_POLL_SEC: '1', ...orderMechanicsRiskEnv(QUOTES, SYMBOLS) });
  temporal = await testClient();
  await seedSimQuotes(taskQueue);
  server = await connectServer('execution', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
});

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  await temporal?.close();
});

const { call, text, succeed, fail } = toolCaller(() => server.client);

const orderId = () => `ct-${crypto.randomUUID()}`;

async function journalOf(account: string) {
  return (await temporal.client.workflow.getHandle(ledgerWorkflowId(account)).query(ledgerJournalQuery, { limit: 1_000 })).fills;
}

describe('place_mock_order', () => {
  it('fills a market order from the book, books it, and returns the recorded order when asked again', async () => {
    const account = uniqueAccount('ct');
    const args = { client_order_id: orderId(), symbol: 'ETH/USDT', side: 'buy', type: 'market', quote_notional: '500', account, intent_id: 'intent-ct-1' };
    const placed = await succeed('place_mock_order', args, placeMockOrder.output);
    expect(placed).toMatchObject({
      client_order_id: args.client_order_id,
      account,
      exchange: 'sim',
      status: 'filled',
      intent_id: 'intent-ct-1',
      duplicate: false,
      workflow_id: orderWorkflowId(args.client_order_id),
      rejection: null,
    });
    expect(placed.fills.length).toBeGreaterThan(0);
    expect(Number(placed.filled_notional)).toBeLessThanOrEqual(500);
    const again = await succeed('place_mock_order', args, placeMockOrder.output);
    expect(again).toEqual({ ...placed, duplicate: true });
    const status = await succeed('get_order_status', { client_order_id: args.client_order_id }, getOrderStatus.output);
    const { duplicate: _d, ...asPlaced } = placed;
    expect(status).toEqual(asPlaced);
    // The audit trail: the run named in the result exists and completed with this very order.
    // The order reports its end to the risk workflow before it completes, a moment after it answers.
    await eventually(async () => {
      const described = await temporal.client.workflow.getHandle(placed.workflow_id, placed.run_id).describe();
      expect(described.status.name).toBe('COMPLETED');
    }, 10_000);
    expect((await journalOf(account)).map((f) => f.fill_id)).toEqual(placed.fills.map((f) => f.fill_id));
  });

  it('refuses a client_order_id reused for a different order', async () => {
    const args = { client_order_id: orderId(), symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.001', account: uniqueAccount('ct') };
    await succeed('place_mock_order', args, placeMockOrder.output);
    const message = await fail('place_mock_order', { ...args, qty: '0.002' });
    expect(message).toMatch(/^IDEMPOTENCY_CONFLICT: client_order_id was already used for a different request/);
    expect(message).toContain('Retrying the same call will not help.');
  });

  it('reports a gate refusal as a rejected order with its reason codes as data and the decision behind them', async () => {
    const placed = await succeed(
      'place_mock_order',
      { client_order_id: orderId(), symbol: 'SOL/USDT', side: 'sell', type: 'market', qty: '3', account: uniqueAccount('ct') },
      placeMockOrder.output,
    );
    expect(placed).toMatchObject({
      status: 'rejected',
      fills: [],
      rejection: {
        code: 'RISK_REJECTED',
        risk_check_id: expect.stringMatching(/^rc:/),
        reasons: [{ code: 'INSUFFICIENT_HOLDINGS', leg_index: 0, message: expect.stringContaining('SOL/USDT') }],
      },
    });
    expect(placed.rejection?.message).toContain('INSUFFICIENT_HOLDINGS');
  });

  it('sent 50 times at once with one client_order_id: one order, one fill', async () => {
    const account = uniqueAccount('ct50');
    const args = { client_order_id: orderId(), symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.001', account };
    const results = await Promise.all(Array.from({ length: 50 }, () => call('place_mock_order', args)));
    const orders = results.map((r) => {
      expect(r.isError, r.isError ? text(r) : '').toBeFalsy();
      return placeMockOrder.output.strict().parse(r.structuredContent);
    });
    expect(orders.filter((o) => !o.duplicate)).toHaveLength(1);
    const fillIds = new Set(orders.flatMap((o) => o.fills.map((f) => f.fill_id)));
    expect([...fillIds]).toEqual([`${orderWorkflowId(args.client_order_id)}#1`]);
    expect(new Set(orders.map((o) => o.run_id)).size).toBe(1);
    expect(orders.filter((o) => o.status !== 'filled' || o.filled_qty !== '0.001').map((o) => [o.status, o.status_reason])).toEqual([]);
    const booked = await journalOf(account);
    expect(booked.map((f) => f.fill_id)).toEqual([...fillIds]);
    // The calls waited by query: nothing they did reached the order's history (no update for
    // Temporal's in-flight limit to turn away, none accepted in the middle of the order's task).
    const events = (await temporal.client.workflow.getHandle(orderWorkflowId(args.client_order_id)).fetchHistory()).events ?? [];
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
  });
});

describe('resting orders: get_order_status and cancel_order', () => {
  it('rests a limit order away from the market, cancels it once, and reports it', async () => {
    const id = orderId();
    const placed = await succeed(
      'place_mock_order',
      { client_order_id: id, symbol: 'BTC/USDT', side: 'buy', type: 'limit', qty: '0.01', limit_price: '1', expires_after_sec: 3_600, account: uniqueAccount('ct') },
      placeMockOrder.output,
    );
    expect(placed).toMatchObject({ status: 'open', filled_qty: '0', remaining_qty: '0.01', limit_price: '1' });
    expect(placed.expires_ts).toBeGreaterThan(placed.created_ts);
    expect(await succeed('get_order_status', { client_order_id: id }, getOrderStatus.output)).toMatchObject({ status: 'open' });
    const cancelled = await succeed('cancel_order', { client_order_id: id }, cancelOrder.output);
    expect(cancelled).toMatchObject({ cancelled: true, status: 'cancelled', fills: [], status_reason: 'cancelled while resting' });
    expect(await succeed('cancel_order', { client_order_id: id }, cancelOrder.output)).toMatchObject({ cancelled: false, status: 'cancelled' });
    expect(await succeed('get_order_status', { client_order_id: id }, getOrderStatus.output)).toMatchObject({ status: 'cancelled' });
  });

  it('answers an unknown client_order_id with ORDER_NOT_FOUND', async () => {
    for (const tool of ['get_order_status', 'cancel_order']) {
      const message = await fail(tool, { client_order_id: 'never-placed-1' });
      expect(message).toMatch(/^ORDER_NOT_FOUND: no paper order has client_order_id never-placed-1\. Check the id, or place the order with place_mock_order\./);
    }
  });
});

describe('bad input', () => {
  const base = { client_order_id: 'bad-input-1', symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.01' };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a missing side', { ...base, side: undefined }, /side: /],
    ['a negative qty', { ...base, qty: '-1' }, /qty: write a plain decimal string/],
    ['an exponent', { ...base, qty: '1e-3' }, /qty: write 0\.001, not 1e-3 \(no exponent\)/],
    ['a zero qty', { ...base, qty: '0.000' }, /qty: must be greater than zero/],
    ['a number for qty', { ...base, qty: 0.01 }, /qty: write it as a decimal string such as "0.015" \(quoted, not a number\)/],
    ['both sizes', { ...base, quote_notional: '100' }, /give exactly one of qty and quote_notional/],
    ['no size', { ...base, qty: undefined }, /give exactly one of qty and quote_notional/],
    ['a limit order without a price', { ...base, type: 'limit' }, /a limit order needs limit_price/],
    ['a market order with a price', { ...base, limit_price: '100' }, /limit_price and expires_after_sec are for limit orders only/],
    ['a lowercase symbol', { ...base, symbol: 'btc/usdt' }, /symbol: use a ccxt unified spot symbol in capitals/],
    ['a derivative symbol', { ...base, symbol: 'BTC/USDT:USDT' }, /symbol: use a ccxt unified spot symbol/],
    ['an unknown side', { ...base, side: 'short' }, /side: /],
    ['an id with spaces', { ...base, client_order_id: 'my order' }, /client_order_id: use 1-128 characters/],
    ['a zero expiry', { ...base, type: 'limit', limit_price: '1', expires_after_sec: 0 }, /expires_after_sec: /],
    ['an uppercase account', { ...base, account: 'Paper' }, /account: use 1-64 characters/],
    ['an unknown field', { ...base, price: '100' }, /price|unrecognized/i],
  ];

  it.each(cases)('place_mock_order refuses %s with INVALID_INPUT', async (_label, args, message) => {
    const defined = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
    const text = await fail('place_mock_order', defined);
    expect(text).toMatch(/^INVALID_INPUT: /);
    expect(text).toMatch(message);
  });

  it('refuses bad ids on get_order_status and cancel_order', async () => {
    expect(await fail('get_order_status', {})).toMatch(/^INVALID_INPUT: client_order_id: /);
    expect(await fail('cancel_order', { client_order_id: '../etc' })).toMatch(/^INVALID_INPUT: client_order_id: /);
  });

  it('never takes up a client_order_id for input it refused', async () => {
    await fail('place_mock_order', { ...base, client_order_id: 'refused-input-1', qty: '0' });
    await expect(temporal.client.workflow.getHandle(orderWorkflowId('refused-input-1')).describe()).rejects.toThrow(/not found/i);
  });
});
