/**
 * Paper orders on a real Temporal dev server, filled from a recorded Binance order book served on
 * 127.0.0.1 (ccxt reaches it through proxyUrl) and from the embedded sim venue: book walks, partial
 * fills where depth is short, limit orders that rest and fill once the book crosses them, fees,
 * the pre-trade gate's refusals, cancel and expiry, and every fill booked once in the ledger.
 */
import type { Client } from '@temporalio/client';
import { markersAfterLocalActivities } from '../../worker/replay/marker-order.js';
import { Worker } from '@temporalio/worker';
import { activityResults } from '../helpers/activity-results.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ledgerBalancesQuery, ledgerJournalQuery, ledgerWorkflowId, type JournalEntry } from '../../schemas/temporal/ledger.js';
import { orderWorkflowId, type PaperOrderState } from '../../schemas/temporal/orders.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { money, text } from '../../domain/money.js';
import { eventually } from '../helpers/eventually.js';
import { FakeVenueServer, fixture } from '../helpers/fake-venue-server.js';
import { OrderDriver } from '../helpers/order-driver.js';
import { uniqueAccount } from '../helpers/ledger-driver.js';
import { BINANCE, binanceRecordings, exchangeOptionsFor } from '../helpers/recorded-venues.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

type Level = [string, string];
const recorded = fixture('binance', 'depth-BTCUSDT-5.json') as { lastUpdateId: number; bids: Level[]; asks: Level[] };

/** A Binance depth answer: the recording, or a book moved to where a test needs it. */
const depth = (asks: Level[] = recorded.asks, bids: Level[] = recorded.bids) => ({ body: { lastUpdateId: recorded.lastUpdateId, bids, asks } });
/** The asks come down through 69400: 0.3 BTC at or under it, the rest above. */
const crossedThin = depth([['69399.50', '0.10000000'], ['69400.00', '0.20000000'], ['69400.50', '3.00000000']], [['69399.00', '1.00000000']]);
const crossedDeep = depth([['69399.50', '5.00000000']], [['69399.00', '1.00000000']]);

let venue: FakeVenueServer;
let binanceWorker: RunningWorker;
let simWorker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let client: Client;
let binanceQueue: string;
let simQueue: string;

/** The risk gate reads quotes from tick stores of these ids: one per venue, this file's own. */
const BINANCE_QUOTES = riskExchangeId('orders_bn');
const SIM_QUOTES = riskExchangeId('orders_sim');
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'DOGE/USDT'];

beforeAll(async () => {
  venue = await FakeVenueServer.start(binanceRecordings());
  binanceQueue = uniqueTaskQueue('orders-binance');
  simQueue = uniqueTaskQueue('orders-sim');
  const common = { INITIAL_CASH: '1000000', PAPER_RESTING_POLL_SEC: '1', PAPER_BOOK_DEPTH: '5' };
  binanceWorker = await startTestWorker(binanceQueue, {
    ...common,
    ...orderMechanicsRiskEnv(BINANCE_QUOTES, SYMBOLS),
    MARKET_EXCHANGE: 'binance',
    EXCHANGE_OPTIONS: exchangeOptionsFor(venue),
    // A resting order hands over to a new run after about a dozen checks of the book.
    PAPER_ORDER_HISTORY_LIMIT: '100',
  });
  // The sim worker charges fees as Binance does by default: in the asset received.
  simWorker = await startTestWorker(simQueue, { ...common, ...orderMechanicsRiskEnv(SIM_QUOTES, SYMBOLS), PAPER_BOOK_DEPTH: '20', PAPER_FEE_CURRENCY: 'received' });
  temporal = await testClient();
  client = temporal.client;
  // Quotes as the recorded book shows them, and as the sim venue quotes right now.
  const simTick = new SimVenue(42).tickAt('BTC/USDT', Date.now());
  await Promise.all([
    seedQuotes(client, binanceQueue, BINANCE_QUOTES, { 'BTC/USDT': { bid: 69412, ask: 69412.01 }, 'DOGE/USDT': { bid: 0.1, ask: 0.1001 } }),
    seedQuotes(client, simQueue, SIM_QUOTES, { 'BTC/USDT': { bid: simTick.bid, ask: simTick.ask } }),
  ]);
});

afterEach(() => {
  venue.assertOnlyRecordedRequests();
});

afterAll(async () => {
  await binanceWorker?.stop();
  await simWorker?.stop();
  await temporal?.close();
  await venue?.close();
});

const drivers: OrderDriver[] = [];
function track(driver: OrderDriver): OrderDriver {
  drivers.push(driver);
  return driver;
}
const binance = () => track(new OrderDriver(client, binanceQueue, uniqueAccount('bn')));

async function journal(account: string): Promise<JournalEntry[]> {
  return (await client.workflow.getHandle(ledgerWorkflowId(account)).query(ledgerJournalQuery, { limit: 1_000 })).fills;
}

const fillsOf = (order: PaperOrderState) => order.fills.map((f) => [f.qty, f.price, f.liquidity, f.fee, f.fee_currency]);

describe('market orders against the recorded Binance book', () => {
  it('walk the asks level by level, with the taker fee in USDT, booked once each', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const request = orders.request({ side: 'buy', type: 'market', qty: '6.1535', intent_id: 'intent-42' });
    const order = await orders.place(request);
    expect(order).toMatchObject({ status: 'filled', exchange: 'binance', filled_qty: '6.1535', remaining_qty: '0', filled_notional: '427126.8035466' });
    // fee = notional x 0.001 per level
    expect(fillsOf(order)).toEqual([
      ['6.1531', '69412.01', 'taker', '427.099038731', 'USDT'],
      ['0.00023', '69412.02', 'taker', '0.0159647646', 'USDT'],
      ['0.00016', '69412.05', 'taker', '0.011105928', 'USDT'],
      ['0.00001', '69412.3', 'taker', '0.000694123', 'USDT'],
    ]);
    expect(order.fee).toBe('427.1268035466');
    // 427126.8035466 / 6.1535, to 12 decimals
    expect(order.avg_price).toBe('69412.010001885106');
    const booked = await journal(orders.account);
    expect(booked.map((e) => e.fill_id)).toEqual([1, 2, 3, 4].map((seq) => `${orderWorkflowId(request.client_order_id)}#${seq}`));
    expect(booked.every((e) => e.intent_id === 'intent-42' && e.order_workflow_id === orderWorkflowId(request.client_order_id))).toBe(true);
    const balances = await client.workflow.getHandle(ledgerWorkflowId(orders.account)).query(ledgerBalancesQuery);
    // 1,000,000 - 427,126.8035466 - 427.1268035466
    expect(balances.cash).toBe('572446.0696498534');
    expect(balances.positions['BTC/USDT']?.qty).toBe('6.1535');
  });

  it('fill partially where the depth is short, and let the rest expire', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const order = await orders.place(orders.request({ side: 'buy', type: 'market', qty: '10' }));
    expect(order).toMatchObject({ status: 'expired', filled_qty: '6.2617', remaining_qty: '0', requested_qty: '10' });
    expect(order.fills).toHaveLength(5);
    expect(order.status_reason).toContain('the book held only 6.2617 of 10');
  });

  it('spend a quote notional, and sell back into the bids', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const buy = await orders.place(orders.request({ side: 'buy', type: 'market', quote_notional: '1000' }));
    // The quantity rounds down to the venue's step (0.00001 BTC), so the position can be sold whole.
    expect(buy).toMatchObject({ status: 'filled', requested_qty: '0.0144', filled_qty: '0.0144' });
    const sell = await orders.place(orders.request({ side: 'sell', type: 'market', qty: '0.01' }));
    expect(fillsOf(sell)).toEqual([['0.01', '69412', 'taker', '0.69412', 'USDT']]);
    const balances = await client.workflow.getHandle(ledgerWorkflowId(orders.account)).query(ledgerBalancesQuery);
    expect(balances.positions['BTC/USDT']?.qty).toBe('0.0044');
  });
});

describe('limit orders', () => {
  it('take what crosses at once, rest for the rest, and fill at their price when the book crosses', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth(), depth(), crossedDeep] });
    const orders = binance();
    const request = orders.request({ side: 'buy', type: 'limit', qty: '7', limit_price: '69412.02' });
    const placed = await orders.place(request);
    expect(placed).toMatchObject({ status: 'partially_filled', filled_qty: '6.15333', remaining_qty: '0.84667' });
    expect(placed.expires_ts).toBeGreaterThan(placed.created_ts);
    const done = await orders.result(request.client_order_id);
    expect(done.status).toBe('filled');
    expect(fillsOf(done)).toEqual([
      ['6.1531', '69412.01', 'taker', '427.099038731', 'USDT'],
      ['0.00023', '69412.02', 'taker', '0.0159647646', 'USDT'],
      // The resting remainder fills at its own limit price with the maker fee.
      ['0.84667', '69412.02', 'maker', '58.7690749734', 'USDT'],
    ]);
    expect((await journal(orders.account)).map((e) => e.liquidity)).toEqual(['taker', 'taker', 'maker']);
  });

  it('fill partially when the crossing depth is short, and stop on cancel with the fills standing', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth(), crossedThin, depth()] });
    const orders = binance();
    const request = orders.request({ side: 'buy', type: 'limit', qty: '0.5', limit_price: '69400' });
    expect(await orders.place(request)).toMatchObject({ status: 'open', filled_qty: '0' });
    await eventually(async () => expect((await orders.status(request.client_order_id)).filled_qty).toBe('0.3'));
    const cancelled = await orders.cancel(request.client_order_id);
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.order).toMatchObject({ status: 'cancelled', filled_qty: '0.3', remaining_qty: '0' });
    expect(fillsOf(cancelled.order)).toEqual([['0.3', '69400', 'maker', '20.82', 'USDT']]);
    expect(await orders.cancel(request.client_order_id)).toMatchObject({ cancelled: false, order: { status: 'cancelled' } });
    expect(await journal(orders.account)).toHaveLength(1);
  });

  it('rest across continue-as-new with their state, and fill once in the new run', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const request = orders.request({ side: 'buy', type: 'limit', qty: '0.2', limit_price: '69400' });
    const placed = await orders.place(request);
    expect(placed.status).toBe('open');
    const handle = client.workflow.getHandle(orderWorkflowId(request.client_order_id));
    const firstRun = (await handle.describe()).runId;
    await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun), 90_000, 500);
    expect(await orders.status(request.client_order_id)).toMatchObject({ status: 'open', created_ts: placed.created_ts, expires_ts: placed.expires_ts });
    venue.record({ url: BINANCE.depth, responses: [crossedDeep] });
    const done = await orders.result(request.client_order_id);
    expect(done).toMatchObject({ status: 'filled', created_ts: placed.created_ts });
    expect(fillsOf(done)).toEqual([['0.2', '69400', 'maker', '13.88', 'USDT']]);
    const firstHistory = await client.workflow.getHandle(orderWorkflowId(request.client_order_id), firstRun).fetchHistory();
    expect(firstHistory.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(await journal(orders.account)).toHaveLength(1);
  }, 120_000);

  it('expire when the book never crosses', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const request = orders.request({ side: 'sell', type: 'limit', qty: '0.1', limit_price: '1', expires_after_sec: 2 });
    // Nothing held: the gate refuses a sale before it can rest.
    const refused = await orders.place(request);
    expect(refused).toMatchObject({ status: 'rejected', rejection: { code: 'RISK_REJECTED' } });
    expect(refused.rejection?.message).toContain('INSUFFICIENT_HOLDINGS');
    const resting = orders.request({ side: 'buy', type: 'limit', qty: '0.1', limit_price: '60000', expires_after_sec: 2 });
    expect(await orders.place(resting)).toMatchObject({ status: 'open' });
    expect(await orders.result(resting.client_order_id)).toMatchObject({ status: 'expired', status_reason: 'expired without a fill', fills: [] });
  });
});

describe('the pre-trade gate', () => {
  it('refuses with reason codes and fills nothing', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    const orders = binance();
    const cases: Array<[Parameters<OrderDriver['request']>[0], string, RegExp]> = [
      // Malformed orders are refused before anything is asked of the risk gate or the venue.
      [{ side: 'buy', type: 'market', qty: '0' }, 'INVALID_SIZE', /qty must be a positive decimal/],
      [{ side: 'buy', type: 'market', qty: '1', quote_notional: '5' }, 'INVALID_SIZE', /exactly one of qty/],
      [{ side: 'buy', type: 'limit', qty: '1' }, 'INVALID_PRICE', /needs a positive limit_price/],
      [{ side: 'buy', type: 'market', qty: '1', symbol: 'ETH/BTC' }, 'UNSUPPORTED_SYMBOL', /quoted in BTC; trade ETH\/USDT/],
      // The risk gate refuses what the account cannot cover, with its own reason codes inside.
      [{ side: 'sell', type: 'market', qty: '1' }, 'RISK_REJECTED', /INSUFFICIENT_HOLDINGS/],
      [{ side: 'buy', type: 'limit', qty: '20', limit_price: '69412.02' }, 'RISK_REJECTED', /INSUFFICIENT_CASH/],
      // Past the risk gate, the venue's book decides what it does not list.
      [{ side: 'buy', type: 'market', qty: '1', symbol: 'DOGE/USDT' }, 'UNKNOWN_SYMBOL', /binance does not list DOGE\/USDT/],
    ];
    for (const [patch, code, message] of cases) {
      const order = await orders.place(orders.request(patch));
      expect(order.status).toBe('rejected');
      expect(order.rejection?.code).toBe(code);
      expect(order.rejection?.message).toMatch(message);
      if (code === 'RISK_REJECTED') {
        // The gate's refusal comes as data too: its decision and every reason code.
        expect(order.rejection?.risk_check_id).toMatch(/^rc:/);
        expect(order.rejection?.reasons?.map((r) => r.code).join(' ')).toMatch(message);
      }
      expect(order.fills).toEqual([]);
    }
    expect(await journal(orders.account)).toEqual([]);
  });

  it('rejects when the venue cannot answer, instead of filling later at an unknown price', async () => {
    venue.record({ url: BINANCE.depth, responses: [depth()] });
    venue.inject(BINANCE.depth, 'http503', 'http503', 'http503');
    const orders = binance();
    const order = await orders.place(orders.request({ side: 'buy', type: 'market', qty: '0.01' }));
    expect(order).toMatchObject({ status: 'rejected', rejection: { code: 'VENUE_UNAVAILABLE' }, fills: [] });
    expect(venue.pendingFaults(BINANCE.depth)).toBe(0);
  });
});

describe('the sim venue', () => {
  it('fills a market order from the simulated book of the moment, with the fee in the asset received', async () => {
    const orders = track(new OrderDriver(client, simQueue, uniqueAccount('sim')));
    const request = orders.request({ side: 'buy', type: 'market', qty: '0.02' });
    const order = await orders.place(request);
    expect(order.rejection).toBeNull();
    expect(order).toMatchObject({ status: 'filled', exchange: 'sim', filled_qty: '0.02' });
    // The book the workflow filled against is in its history; the sim venue is a pure function of
    // (seed, symbol, second), so recompute that book and walk it independently.
    const history = await client.workflow.getHandle(orderWorkflowId(request.client_order_id)).fetchHistory();
    const results = activityResults(history.events ?? []);
    const fetched = results.find((r): r is { listed: true; book: { ts: number } } => typeof r === 'object' && r !== null && 'book' in r);
    const sim = new SimVenue(42).bookAt('BTC/USDT', fetched!.book.ts, 20);
    const best = sim.asks[0]!;
    expect(best.qty).toBeGreaterThan(0.02);
    // The fee is charged in the BTC received: 0.02 x 0.001, leaving 0.01998 BTC in the position.
    expect(fillsOf(order)).toEqual([['0.02', String(best.price), 'taker', '0.00002', 'BTC']]);
    const balances = await client.workflow.getHandle(ledgerWorkflowId(orders.account)).query(ledgerBalancesQuery);
    expect(balances.positions['BTC/USDT']).toMatchObject({ qty: '0.01998', cost: text(money(String(best.price)).times('0.02').times('0.999')) });
    expect(balances.fees_by_currency).toEqual({ BTC: '0.00002' });
    expect(balances.fees_paid).toBe(text(money(String(best.price)).times('0.00002')));
    expect(balances.cash).toBe(text(money('1000000').minus(money(String(best.price)).times('0.02'))));
  });

  it('places the same client_order_id once: a second placement returns the recorded order', async () => {
    const orders = track(new OrderDriver(client, simQueue, uniqueAccount('sim')));
    const request = orders.request({ side: 'buy', type: 'market', qty: '0.01' });
    const first = await orders.place(request);
    const again = await orders.place(request);
    expect(again).toEqual(first);
    expect(await journal(orders.account)).toHaveLength(1);
  });
});

describe('replay', () => {
  it('every order and ledger history of this file replays against the workflow bundle without a determinism error, its markers where replay finds them', async () => {
    // An account whose only order was refused before its ledger was read has no ledger.
    const ledgers = await Promise.all(
      drivers.map((d) => client.workflow.getHandle(ledgerWorkflowId(d.account)).describe().then((x) => x.workflowId, () => null)),
    );
    const workflowIds = new Set([...drivers.flatMap((d) => d.submitted.map(orderWorkflowId)), ...ledgers.filter((id): id is string => id !== null)]);
    expect(workflowIds.size).toBeGreaterThan(20);
    for (const workflowId of workflowIds) {
      const history = await client.workflow.getHandle(workflowId).fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, workflowId);
      // Resting orders fetch the book by local activity before a fill's gate check: no marker may follow it.
      expect(markersAfterLocalActivities(history.events ?? []), workflowId).toEqual([]);
    }
  });
});
