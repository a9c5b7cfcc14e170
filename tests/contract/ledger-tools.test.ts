/**
 * get_portfolio_status, get_fills and get_performance through the spawned ledger server, with
 * orders placed through the spawned execution server and a real worker behind both: results
 * match the output contract, name the ledger execution behind them, agree with each other, and
 * every bad input gets a clear isError.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { placeMockOrder } from '../../schemas/execution-orders.js';
import { getFills, getPerformance, getPortfolioStatus } from '../../schemas/ledger.js';
import { ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { orderWorkflowId } from '../../schemas/temporal/orders.js';
import { uniqueAccount } from '../helpers/ledger-driver.js';
import { runPortfolioStatus } from '../../temporal/clients/ledger-reports.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { toolCaller } from '../helpers/tool-calls.js';

/** The risk gate reads quotes from tick stores of this file's own, seeded from the sim venue. */
const QUOTES = riskExchangeId('ct_ledger');
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];

async function seedSimQuotes(taskQueue: string): Promise<void> {
  const sim = new SimVenue(42);
  const now = Date.now();
  const quotes = Object.fromEntries(SYMBOLS.map((s) => [s, sim.tickAt(s, now)]));
  await seedQuotes(temporal.client, taskQueue, QUOTES, quotes);
}

let worker: RunningWorker;
let taskQueue: string;
let ledger: ConnectedServer;
let execution: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('ledger-tools');
  worker = await startTestWorker(taskQueue, orderMechanicsRiskEnv(QUOTES, SYMBOLS));
  temporal = await testClient();
  await seedSimQuotes(taskQueue);
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  [ledger, execution] = await Promise.all([connectServer('ledger', env), connectServer('execution', env)]);
});

afterAll(async () => {
  await ledger?.close();
  await execution?.close();
  await worker?.stop();
  await temporal?.close();
});

const succeed = <T>(server: ConnectedServer, name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }) =>
  toolCaller(() => server.client).succeed(name, args, output);

/** Every bad ledger call is refused as invalid input before it reaches Temporal. */
async function fail(name: string, args: Record<string, unknown>): Promise<string> {
  const message = await toolCaller(() => ledger.client).fail(name, args);
  expect(message).toMatch(/^INVALID_INPUT: /);
  return message;
}

describe('ledger tools', () => {
  it('report a fresh account: the configured starting cash, nothing else', async () => {
    const account = uniqueAccount('lt');
    const status = await succeed(ledger, 'get_portfolio_status', { account }, getPortfolioStatus.output);
    expect(status).toMatchObject({
      account,
      quote_currency: 'USDT',
      initial_cash: '100000',
      cash: '100000',
      equity: '100000',
      positions: [],
      net_pnl: '0',
      fill_count: 0,
      workflow_id: ledgerWorkflowId(account),
    });
    // The first read finds no ledger: the report workflow starts it and records the read.
    expect(status.report_workflow_id).toMatch(new RegExp(`^ledger-report:get_portfolio_status:${account}:`));
    const described = await temporal.client.workflow.getHandle(status.workflow_id, status.run_id).describe();
    expect(described.status.name).toBe('RUNNING');
    expect((await temporal.client.workflow.getHandle(status.report_workflow_id!).describe()).status.name).toBe('COMPLETED');

    // Every later read is one query to the running ledger: the same run, the same figures, no workflow.
    const again = await succeed(ledger, 'get_portfolio_status', { account }, getPortfolioStatus.output);
    expect(again.report_workflow_id).toBeNull();
    expect(again).toMatchObject({ run_id: status.run_id, workflow_id: status.workflow_id, cash: '100000', equity: '100000', fill_count: 0 });
    const reports = temporal.client.workflow.list({ query: `WorkflowId STARTS_WITH "ledger-report:get_portfolio_status:${account}:"` });
    let reportCount = 0;
    for await (const _ of reports) reportCount += 1;
    expect(reportCount).toBe(1);
  });

  it('agree with the orders that filled: positions, journal and performance', async () => {
    const account = uniqueAccount('lt');
    const buy = await succeed(
      execution,
      'place_mock_order',
      { client_order_id: `lt-${crypto.randomUUID()}`, symbol: 'BTC/USDT', side: 'buy', type: 'market', qty: '0.05', account, intent_id: 'intent-lt' },
      placeMockOrder.output,
    );
    const sell = await succeed(
      execution,
      'place_mock_order',
      { client_order_id: `lt-${crypto.randomUUID()}`, symbol: 'BTC/USDT', side: 'sell', type: 'market', qty: '0.02', account },
      placeMockOrder.output,
    );
    expect([buy.status, sell.status]).toEqual(['filled', 'filled']);

    const status = await succeed(ledger, 'get_portfolio_status', { account }, getPortfolioStatus.output);
    expect(status.positions).toHaveLength(1);
    expect(status.positions[0]).toMatchObject({ symbol: 'BTC/USDT', qty: '0.03', avg_price: buy.avg_price });
    // The orders started the ledger, so the read was one query; the recorded report values it alike.
    expect(status.report_workflow_id).toBeNull();
    const recorded = (await runPortfolioStatus(temporal.client, taskQueue, { account }, { waitMs: 60_000 })).result;
    expect(recorded.ledger_run_id).toBe(status.run_id);
    const comparable = (report: { as_of_ts: number; positions: { mark_age_ms: number }[] }) => ({
      ...report,
      as_of_ts: 0,
      positions: report.positions.map((p) => ({ ...p, mark_age_ms: 0 })),
    });
    const { workflow_id: _w, run_id: _r, report_workflow_id: _rw, ...queried } = status;
    expect(comparable(queried)).toEqual(comparable(recorded.report));
    expect(Number(status.fees_paid)).toBeCloseTo(Number(buy.fee) + Number(sell.fee), 10);
    // Nothing is lost or made up: cash = start - bought + sold - fees, to the last decimal.
    const expectedCash = 100000 - Number(buy.filled_notional) + Number(sell.filled_notional) - Number(buy.fee) - Number(sell.fee);
    expect(Number(status.cash)).toBeCloseTo(expectedCash, 8);

    const fills = await succeed(ledger, 'get_fills', { account, limit: 100 }, getFills.output);
    expect(fills.fills.map((f) => [f.client_order_id, f.order_workflow_id, f.side])).toEqual([
      ...buy.fills.map(() => [buy.client_order_id, orderWorkflowId(buy.client_order_id), 'buy']),
      ...sell.fills.map(() => [sell.client_order_id, orderWorkflowId(sell.client_order_id), 'sell']),
    ]);
    expect(fills.fills[0]?.intent_id).toBe('intent-lt');
    const sells = await succeed(ledger, 'get_fills', { account, symbol: 'BTC/USDT', since_ts: sell.fills[0]!.ts, limit: 1 }, getFills.output);
    expect(sells.fills.map((f) => f.fill_id)).toEqual([sell.fills.at(-1)!.fill_id]);

    const performance = await succeed(ledger, 'get_performance', { account, window: '24h' }, getPerformance.output);
    expect(performance).toMatchObject({ account, window: '24h', start_equity: '100000', trades: sell.fills.length, workflow_id: ledgerWorkflowId(account) });
    expect(performance.equity_curve[0]).toMatchObject({ equity: '100000', source: 'open' });
    expect(performance.equity_curve.at(-1)).toMatchObject({ ts: performance.to_ts, equity: performance.end_equity });
    // Within one report, the accounts add up: net PnL = realized + unrealized - fees.
    expect(Number(status.net_pnl)).toBeCloseTo(Number(status.realized_pnl) + Number(status.unrealized_pnl) - Number(status.fees_paid), 8);
  });

  it('refuse bad input with what to change', async () => {
    expect(await fail('get_portfolio_status', { account: 'Main Account' })).toMatch(/account: use 1-64 characters/);
    expect(await fail('get_portfolio_status', { acount: 'paper' })).toMatch(/Unrecognized key: "acount"/);
    expect(await fail('get_fills', { limit: 0 })).toMatch(/limit: Too small/);
    expect(await fail('get_fills', { limit: 5_000 })).toMatch(/limit: Too big/);
    expect(await fail('get_fills', { since_ts: -1 })).toMatch(/since_ts: /);
    expect(await fail('get_fills', { since_ts: '2025-01-01' })).toMatch(/since_ts: /);
    expect(await fail('get_fills', { symbol: 'btcusdt' })).toMatch(/symbol: use a ccxt unified spot symbol/);
    expect(await fail('get_performance', { window: '2d' })).toMatch(/window: Invalid option: expected one of "1h"\|"24h"\|"7d"\|"30d"\|"all"/);
  });
});
