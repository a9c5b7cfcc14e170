/**
 * The risk workflow on a real Temporal dev server with a real worker, fed by real tick stores and
 * a real ledger: decisions with their reason codes, the dry run that records nothing, idempotency of
 * recorded decisions by key (across continue-as-new too), the trading state an agent can only
 * tighten, the breaker that moves trading to REDUCING and what a person's acknowledgement changes,
 * the capacity an approval holds, and the paper order workflow passing through the same gate.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureType } from '../../schemas/temporal/failure-type.js';
import { riskDecisionQuery, riskWorkflowId, type RiskDecision, type SetTradingStateRequest } from '../../schemas/temporal/risk.js';
import { OrderDriver } from '../helpers/order-driver.js';
import { RiskDriver, uniqueAccount, uniqueExchange, type LegSpec } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { eventually } from '../helpers/eventually.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

let connection: Awaited<ReturnType<typeof testClient>>;
const workers: RunningWorker[] = [];
const exchange = uniqueExchange();

/**
 * Limits roomy enough that each test trips only the check it is about. Quotes may be five minutes
 * old: the stores are seeded once, and freshness is tested with a store of its own.
 */
const BASE_ENV = {
  RISK_MARKET_EXCHANGE: exchange,
  RISK_MAX_DATA_AGE_MS: '300000',
  RISK_MAX_ORDER_NOTIONAL: '60000',
  RISK_MAX_SYMBOL_NOTIONAL: '200000',
  RISK_MAX_GROSS_EXPOSURE: '300000',
  RISK_MAX_VAR_1D: '1000000',
  RISK_ALLOWED_SYMBOLS: 'BTC/USDT,ETH/USDT,SOL/USDT,BNB/USDT,XRP/USDT,ADA/USDT',
};

async function driverWithWorker(prefix: string, env: Record<string, string> = {}): Promise<RiskDriver> {
  const taskQueue = uniqueTaskQueue(prefix);
  const merged = { ...BASE_ENV, ...env };
  workers.push(await startTestWorker(taskQueue, merged));
  return new RiskDriver(connection.client, taskQueue, exchange, merged);
}

const agent = (state: SetTradingStateRequest['state'], reason = 'risk is too high'): SetTradingStateRequest => ({ state, reason, authority: { kind: 'agent' } });
const codes = (d: RiskDecision) => d.reasons.map((r) => r.code);
/** What submit_intent asks: a recorded decision, reserving what it approves (driver.check alone is a dry run). */
const submit = (on: RiskDriver, account: string, intentId: string, legs: LegSpec[]) => on.check(account, intentId, legs, 'submit_intent');
const recordedUnder = (account: string, key: string) => connection.client.workflow.getHandle(riskWorkflowId(account)).query(riskDecisionQuery, key);

let driver: RiskDriver;

beforeAll(async () => {
  connection = await testClient();
  driver = await driverWithWorker('risk-gate');
  // Fifteen minutes of the simulated venue's own quotes, so the stores agree with the books orders fill on.
  await Promise.all(['BTC/USDT', 'ETH/USDT'].map((s) => driver.feed(s, driver.simHistory(s, 900))));
  // A store whose newest quote is ten minutes old.
  await driver.feed('XRP/USDT', driver.simHistory('XRP/USDT', 60, Date.now() - 600_000));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
});

describe('a check', () => {
  it('approves a dry run on fresh quotes with VaR before and after, records and reserves nothing, and decides afresh when asked again', async () => {
    const account = uniqueAccount('approve');
    const decision = await driver.check(account, 'buy-btc', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.05' }]);
    expect(decision).toMatchObject({ decision: 'approved', reasons: [], duplicate: false, dry_run: true, workflow_id: riskWorkflowId(account), trading_state: 'ACTIVE' });
    const [leg] = decision.legs;
    expect(Number(leg?.notional)).toBeCloseTo(0.05 * Number(leg?.reference_price), -1);
    expect(decision.metrics).toMatchObject({ position_after: { 'BTC/USDT': '0.05' }, equity: '100000', var_before: 0 });
    expect(decision.var).toMatchObject({ confidence: 0.99, horizon_days: 1, return_interval_sec: 5, symbols: ['BTC/USDT'] });
    expect(decision.var?.observations).toBeGreaterThanOrEqual(170);
    expect(decision.metrics.var_after).toBeGreaterThan(0);
    expect(decision.var?.after.expected_shortfall).toBeGreaterThanOrEqual(decision.var?.after.historical ?? Infinity);

    const again = await driver.check(account, 'buy-btc', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.050' }]);
    expect(again).toMatchObject({ decision: 'approved', dry_run: true, duplicate: false });
    expect(again.risk_check_id).not.toBe(decision.risk_check_id);
    const view = await driver.state(account);
    expect(view.counters).toMatchObject({ checks: 0, approved: 0, rejected: 0, dry_runs: 2 });
    expect(view.reservations).toEqual([]);
    for (const key of ['buy-btc', 'check:buy-btc', 'intent:buy-btc']) expect(await recordedUnder(account, key)).toBeNull();
  });

  it('records submit_intent\'s decision under intent:<intent_id> and answers the same intent id and legs with it again', async () => {
    const account = uniqueAccount('record');
    const decision = await submit(driver, account, 'buy-btc', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.05' }]);
    expect(decision).toMatchObject({ decision: 'approved', duplicate: false, dry_run: false, source: 'submit_intent', key: 'intent:buy-btc' });
    const again = await submit(driver, account, 'buy-btc', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.050' }]);
    expect(again).toEqual({ ...decision, duplicate: true });
    const view = await driver.state(account);
    expect(view.counters).toMatchObject({ checks: 1, approved: 1 });
    expect(view.reservations.map((r) => r.client_order_id)).toEqual(['buy-btc.0']);
    expect(await recordedUnder(account, 'intent:buy-btc')).toMatchObject({ risk_check_id: decision.risk_check_id });
  });

  it('refuses the same intent id asked for other legs', async () => {
    const account = uniqueAccount('conflict');
    await submit(driver, account, 'same-id', [{ symbol: 'ETH/USDT', side: 'buy', qty: '1' }]);
    const failure = await submit(driver, account, 'same-id', [{ symbol: 'ETH/USDT', side: 'buy', qty: '2' }]).catch((err: unknown) => err);
    expect(failureType(failure)).toBe('IntentConflict');
    expect(String((failure as Error).message)).toMatch(/intent:same-id was already decided .* for different legs; use a new id for a new intent/);
    // A dry run records nothing, so it has nothing to conflict with: it is evaluated as asked.
    expect(await driver.check(account, 'same-id', [{ symbol: 'ETH/USDT', side: 'buy', qty: '2' }])).toMatchObject({ decision: 'approved', dry_run: true });
  });

  it('refuses, with each failing check\'s code, what real stores and the ledger do not support', async () => {
    const account = uniqueAccount('refuse');
    const noStore = await submit(driver, account, 'sol', [{ symbol: 'SOL/USDT', side: 'buy', qty: '1' }]);
    expect(codes(noStore)).toEqual(['NO_MARKET_DATA']);
    expect(noStore.reasons[0]?.message).toContain(`no tick store tick-store:${exchange}:SOL/USDT`);

    expect(codes(await submit(driver, account, 'xrp', [{ symbol: 'XRP/USDT', side: 'buy', qty: '100' }]))).toEqual(['STALE_MARKET_DATA']);
    expect(codes(await submit(driver, account, 'doge', [{ symbol: 'DOGE/USDT', side: 'buy', qty: '100' }]))).toEqual(['SYMBOL_NOT_ALLOWED', 'NO_MARKET_DATA']);
    expect(codes(await submit(driver, account, 'short', [{ symbol: 'BTC/USDT', side: 'sell', qty: '0.01' }]))).toEqual(['INSUFFICIENT_HOLDINGS']);

    await driver.fill(account, { symbol: 'BTC/USDT', side: 'buy', qty: '0.02', price: '60000' });
    const sale = await submit(driver, account, 'sell-held', [{ symbol: 'BTC/USDT', side: 'sell', qty: '0.01' }]);
    expect(sale.decision).toBe('approved');
    expect(sale.legs[0]).toMatchObject({ position_before: '0.02', position_after: '0.01' });
    expect((await driver.state(account)).counters).toMatchObject({ checks: 5, approved: 1, rejected: 4 });
  });

  it('holds an approval\'s cash for its order, so a second intent cannot spend it too', async () => {
    const account = uniqueAccount('reserve');
    // A dry run of the same intent holds nothing.
    expect((await driver.check(account, 'eth-a', [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: '55000' }])).decision).toBe('approved');
    expect((await driver.state(account)).reservations).toEqual([]);
    const first = await submit(driver, account, 'eth-a', [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: '55000' }]);
    expect(first.decision).toBe('approved');
    const view = await driver.state(account);
    expect(view.reservations).toEqual([expect.objectContaining({ client_order_id: 'eth-a.0', side: 'buy', order_seen: false })]);
    // A dry run sees the capacity held, as the submission after it would.
    expect(codes(await driver.check(account, 'eth-b', [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: '50000' }]))).toEqual(['INSUFFICIENT_CASH']);
    const second = await submit(driver, account, 'eth-b', [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: '50000' }]);
    expect(codes(second)).toEqual(['INSUFFICIENT_CASH']);
    expect(second.legs[0]?.position_before).toBe(first.legs[0]?.position_after);
  });

  it('decides concurrent intents one at a time, so together they never spend more than the account holds', async () => {
    const account = uniqueAccount('concurrent');
    // Each needs 30 000 to 32 000 (fee headroom included): any three fit in 100 000, four do not. The
    // sizes are more than duplicate_size_tolerance_pct (1%) apart, so none is a near-duplicate of another.
    const decisions = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => submit(driver, account, `race-${i}`, [{ symbol: 'ETH/USDT', side: 'buy', quote_notional: String(30_000 + 500 * i) }])),
    );
    expect(decisions.filter((d) => d.decision === 'approved')).toHaveLength(3);
    for (const refused of decisions.filter((d) => d.decision === 'rejected')) expect(codes(refused)).toEqual(['INSUFFICIENT_CASH']);
    expect((await driver.state(account)).reservations).toHaveLength(3);
  });
});

describe('the trading state', () => {
  it('is tightened by an agent at once, refuses an agent that loosens it, and is loosened by a person', async () => {
    const account = uniqueAccount('state');
    await driver.fill(account, { symbol: 'ETH/USDT', side: 'buy', qty: '2', price: '3000' });
    expect(await driver.setState(account, agent('REDUCING'))).toMatchObject({ previous_state: 'ACTIVE', trading_state: 'REDUCING', changed: true });

    expect(codes(await driver.check(account, 'more', [{ symbol: 'ETH/USDT', side: 'buy', qty: '1' }]))).toEqual(['REDUCE_ONLY']);
    expect((await driver.check(account, 'less', [{ symbol: 'ETH/USDT', side: 'sell', qty: '1' }])).decision).toBe('approved');

    for (const loosen of ['ACTIVE'] as const) {
      const refused = await driver.setState(account, agent(loosen, 'I want to trade again')).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(failureType(refused)).toBe('LooseningNeedsPerson');
      expect((refused as WorkflowUpdateFailedError).cause?.message).toContain(`npm run risk:operator -- set-state ACTIVE --account ${account}`);
    }
    expect((await driver.state(account)).trading_state).toBe('REDUCING');

    await driver.setState(account, agent('HALTED'));
    expect(codes(await driver.check(account, 'even-less', [{ symbol: 'ETH/USDT', side: 'sell', qty: '0.5' }]))).toEqual(['TRADING_HALTED']);
    const refusedToReducing = await driver.setState(account, agent('REDUCING')).catch((err: unknown) => err);
    expect(failureType(refusedToReducing)).toBe('LooseningNeedsPerson');

    const person: SetTradingStateRequest = { state: 'ACTIVE', reason: 'reviewed the positions', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'ops-on-call' } };
    expect(await driver.setState(account, person)).toMatchObject({ previous_state: 'HALTED', trading_state: 'ACTIVE', changed: true });
    const view = await driver.state(account);
    expect(view.state_log.map((c) => [c.from, c.to, c.authority.kind])).toEqual([
      ['ACTIVE', 'REDUCING', 'agent'],
      ['REDUCING', 'HALTED', 'agent'],
      ['HALTED', 'ACTIVE', 'person'],
    ]);
    expect(view.last_change?.authority).toEqual({ kind: 'person', via: 'operator_cli', confirmed_by: 'ops-on-call' });
  });

  it('moves trading to REDUCING when the day\'s loss passes the limit, and trips again only on a further loss once a person acknowledged it', async () => {
    const account = uniqueAccount('breaker');
    // A fall to `bid`: two ticks newer than any before, a small step apart, so the quote is no jump.
    const bnbAt = async (bid: number) => {
      const now = Date.now();
      await driver.feed('BNB/USDT', [
        { ts: now - 1, bid: bid + 1, ask: bid + 1.1, last: bid + 1 },
        { ts: now, bid, ask: bid + 0.1, last: bid },
      ]);
    };
    // Its own symbol and store: the price falls here only.
    await driver.feed('BNB/USDT', driver.simHistory('BNB/USDT', 900).map((t) => ({ ...t, bid: 600, ask: 600.1, last: 600 })));
    await driver.fill(account, { symbol: 'BNB/USDT', side: 'buy', qty: '100', price: '600' });
    // The first check of the day opens it at the equity then: 40 000 cash + 100 BNB at 600.05.
    expect((await driver.check(account, 'opening', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01' }])).decision).toBe('approved');
    expect((await driver.state(account)).breaker).toMatchObject({ day_open_equity: '100005', peak_equity: '100005' });

    // BNB falls to 540: 6 000 lost, more than the 5 000 a day allows.
    await bnbAt(540);
    const tripped = await driver.check(account, 'after-fall', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }]);
    expect(codes(tripped)).toEqual(['DAILY_LOSS_BREAKER']);
    expect(tripped.trading_state).toBe('REDUCING');
    const view = await driver.state(account);
    expect(view.trading_state).toBe('REDUCING');
    expect(view.breaker.tripped).toMatchObject({ code: 'DAILY_LOSS_BREAKER' });
    expect(view.last_change).toMatchObject({ from: 'ACTIVE', to: 'REDUCING', authority: { kind: 'breaker', code: 'DAILY_LOSS_BREAKER' } });

    // REDUCING: nothing adds exposure, the exit passes.
    expect(codes(await driver.check(account, 'next', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.2' }]))[0]).toBe('REDUCE_ONLY');
    expect(await driver.check(account, 'exit', [{ symbol: 'BNB/USDT', side: 'sell', qty: '10' }])).toMatchObject({ decision: 'approved', reasons: [] });
    expect(failureType(await driver.setState(account, agent('ACTIVE')).catch((err: unknown) => err))).toBe('LooseningNeedsPerson');

    // A person who loosens it has seen the loss: it is acknowledged at the next observation, and the
    // day's open and the high-water mark stay on the record.
    await driver.setState(account, { state: 'ACTIVE', reason: 'loss reviewed with the desk', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'ops-on-call' } });
    expect((await driver.state(account)).breaker).toMatchObject({ tripped: null, acknowledge_pending: true });
    expect((await driver.check(account, 'resumed', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }])).decision).toBe('approved');
    const acknowledged = (await driver.state(account)).breaker;
    expect(acknowledged).toMatchObject({
      day_open_equity: '100005',
      peak_equity: '100005',
      acknowledge_pending: false,
      tripped: null,
      acknowledged: { equity: '94005', day: acknowledged.day },
    });
    expect(acknowledged.acknowledged?.drawdown_pct).toBeCloseTo(6, 1);
    expect((await driver.state(account)).trading_state).toBe('ACTIVE');

    // A further 6 000 below the acknowledged 94 005 trips it again; the exit that finds the breach passes.
    await bnbAt(480);
    const exit = await driver.check(account, 'exit-after-fall', [{ symbol: 'BNB/USDT', side: 'sell', qty: '10' }]);
    expect(exit).toMatchObject({ decision: 'approved', reasons: [], trading_state: 'REDUCING' });
    const again = await driver.state(account);
    expect(again).toMatchObject({ trading_state: 'REDUCING', breaker: { tripped: { code: 'DAILY_LOSS_BREAKER' } } });
    expect(again.breaker.tripped?.message).toContain('below the 94005 a person acknowledged today');
  });
});

describe('VaR against its limit (RISK_MAX_VAR_1D=50)', () => {
  let tight: RiskDriver;
  beforeAll(async () => {
    tight = await driverWithWorker('risk-var', { RISK_MAX_VAR_1D: '50' });
  });

  it('refuses an intent whose VaR would pass the limit, and admits a sale that lowers it', async () => {
    const account = uniqueAccount('var');
    const refused = await tight.check(account, 'big', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.05' }]);
    expect(codes(refused)).toEqual(['VAR_LIMIT']);
    expect(refused.metrics.var_after).toBeGreaterThan(50);
    expect(refused.reasons[0]?.message).toMatch(/1-day 99% VaR would rise from 0\.00 to/);

    await tight.fill(account, { symbol: 'BTC/USDT', side: 'buy', qty: '0.05', price: '60000' });
    const sale = await tight.check(account, 'trim', [{ symbol: 'BTC/USDT', side: 'sell', qty: '0.02' }]);
    expect(sale.decision).toBe('approved');
    expect(sale.metrics.var_after).toBeLessThan(sale.metrics.var_before as number);
    expect(sale.metrics.var_after).toBeGreaterThan(50);
  });

  it('refuses adding exposure where the store holds too little history to estimate VaR', async () => {
    const account = uniqueAccount('var-short');
    await tight.feed('ADA/USDT', tight.simHistory('ADA/USDT', 30));
    const decision = await tight.check(account, 'young', [{ symbol: 'ADA/USDT', side: 'buy', qty: '10' }]);
    expect(codes(decision)).toEqual(['VAR_UNAVAILABLE']);
    expect(decision.reasons[0]?.message).toMatch(/only \d+ aligned 5-second returns over the window \(at least 24 needed\)/);
  });
});

describe('an intent\'s approval whose orders do not come (RISK_RESERVATION_TTL_SEC=6)', () => {
  it('reserves its legs\' ids for exactly those orders only until it lapses', async () => {
    const lapsing = await driverWithWorker('risk-ttl', { RISK_RESERVATION_TTL_SEC: '6' });
    const account = uniqueAccount('ttl');
    const orders = new OrderDriver(connection.client, lapsing.taskQueue, account);
    const approved = await submit(lapsing, account, 'late', [
      { symbol: 'ETH/USDT', side: 'buy', qty: '0.5' },
      { symbol: 'ETH/USDT', side: 'buy', qty: '0.8' },
    ]);
    expect(approved.decision).toBe('approved');
    // While it holds, an order under a leg's id must be that leg.
    const early = await orders.place(orders.request({ client_order_id: 'late.0', intent_id: 'late', symbol: 'ETH/USDT', side: 'buy', type: 'market', qty: '0.6' }));
    expect(early.rejection?.reasons?.map((r) => r.code)).toEqual(['APPROVAL_MISMATCH']);

    // Once it lapsed it speaks for nothing: an order under the other leg's id is checked as any order is.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, approved.decided_at + 6_000 - Date.now()) + 500));
    const late = await orders.place(orders.request({ client_order_id: 'late.1', intent_id: 'late', symbol: 'ETH/USDT', side: 'buy', type: 'market', qty: '0.6' }));
    expect(late.status).toBe('filled');
    expect(await recordedUnder(account, 'order:late.1')).toMatchObject({ decision: 'approved', source: 'order_gate' });
  });
});

describe('continue-as-new (RISK_CONTINUE_AS_NEW_AFTER=2)', () => {
  it('carries recorded decisions, the trading state and working orders into the next run', async () => {
    const rolling = await driverWithWorker('risk-can', { RISK_CONTINUE_AS_NEW_AFTER: '2' });
    const account = uniqueAccount('can');
    await rolling.fill(account, { symbol: 'ETH/USDT', side: 'buy', qty: '2', price: '3000' });
    const legs: LegSpec[] = [
      { symbol: 'ETH/USDT', side: 'sell', qty: '1' },
      { symbol: 'BTC/USDT', side: 'buy', qty: '0.01' },
    ];
    const first = await submit(rolling, account, 'c1', legs);
    expect(first.decision).toBe('approved');
    const firstRun = (await rolling.state(account)).run_id;
    await rolling.setState(account, agent('REDUCING'));
    const nextRun = await eventually(async () => {
      const view = await rolling.state(account);
      expect(view.run_id).not.toBe(firstRun);
      return view;
    });
    expect(nextRun).toMatchObject({ trading_state: 'REDUCING', runs: 2, counters: { checks: 1, approved: 1 } });
    // Tightening to REDUCING released the buy leg, approved but never placed; the sale still holds its ETH.
    expect(nextRun.reservations.map((r) => r.client_order_id)).toEqual(['c1.0']);
    const repeated = await submit(rolling, account, 'c1', legs);
    expect(repeated).toEqual({ ...first, duplicate: true });
  });
});

describe('paper orders pass the same gate', () => {
  it('fills an order the gate approves, and records the decision under order:<client_order_id>', async () => {
    const account = uniqueAccount('orders');
    const orders = new OrderDriver(connection.client, driver.taskQueue, account);
    const order = await orders.place(orders.request({ side: 'buy', type: 'market', qty: '0.01' }));
    expect(order.status).toBe('filled');
    const recorded = await connection.client.workflow.getHandle(riskWorkflowId(account)).query(riskDecisionQuery, `order:${order.client_order_id}`);
    expect(recorded).toMatchObject({ decision: 'approved', source: 'order_gate', dry_run: false, key: `order:${order.client_order_id}` });
    // The filled order reports back and releases its reservation (at the latest, the next check finds it finished).
    await submit(driver, account, 'after-fill', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }]);
    expect((await driver.state(account)).reservations.map((r) => r.client_order_id)).toEqual(['after-fill.0']);
  });

  it('rejects an order the gate refuses, with RISK_REJECTED and the gate\'s reasons', async () => {
    const account = uniqueAccount('orders-refused');
    const orders = new OrderDriver(connection.client, driver.taskQueue, account);
    const short = await orders.place(orders.request({ side: 'sell', type: 'market', qty: '0.5' }));
    expect(short).toMatchObject({
      status: 'rejected',
      rejection: { code: 'RISK_REJECTED', risk_check_id: expect.stringMatching(/^rc:/), reasons: [expect.objectContaining({ code: 'INSUFFICIENT_HOLDINGS', leg_index: 0 })] },
    });
    expect(short.rejection?.message).toContain('INSUFFICIENT_HOLDINGS');
    expect(await recordedUnder(account, `order:${short.client_order_id}`)).toMatchObject({ decision: 'rejected', risk_check_id: short.rejection?.risk_check_id });
    await driver.setState(account, agent('HALTED'));
    const halted = await orders.place(orders.request({ side: 'buy', type: 'market', qty: '0.001' }));
    expect(halted.rejection?.message).toContain('TRADING_HALTED');
    expect(halted.rejection?.reasons?.map((r) => r.code)).toContain('TRADING_HALTED');
  });

  it('admits an order only by an intent\'s approval reserved for exactly it, checks it again, and gives a caller-named intent_id no authority', async () => {
    const account = uniqueAccount('orders-intent');
    const orders = new OrderDriver(connection.client, driver.taskQueue, account);
    const approved = await submit(driver, account, 'plan', [
      { symbol: 'ETH/USDT', side: 'buy', qty: '0.5' },
      { symbol: 'ETH/USDT', side: 'buy', qty: '0.8' },
    ]);
    expect(approved.decision).toBe('approved');
    const matching = await orders.place(orders.request({ client_order_id: 'plan.0', intent_id: 'plan', symbol: 'ETH/USDT', side: 'buy', type: 'market', qty: '0.5' }));
    expect(matching.status).toBe('filled');
    // Checked again under its own key against the state then: a decision of its own, not the intent's.
    const admitted = await recordedUnder(account, 'order:plan.0');
    expect(admitted).toMatchObject({ decision: 'approved', source: 'order_gate', duplicate: false });
    expect(admitted?.risk_check_id).not.toBe(approved.risk_check_id);
    expect((await driver.state(account)).counters).toMatchObject({ checks: 2, approved: 2 });

    // The id reserved for leg 1, with another size: it does not match what was approved.
    const mismatched = await orders.place(orders.request({ client_order_id: 'plan.1', intent_id: 'plan', symbol: 'ETH/USDT', side: 'buy', type: 'market', qty: '0.9' }));
    expect(mismatched).toMatchObject({ status: 'rejected', rejection: { code: 'RISK_REJECTED', reasons: [expect.objectContaining({ code: 'APPROVAL_MISMATCH', leg_index: 0 })] } });

    // An order of its own id naming the intent is checked as any order is: the intent's approval does not cover it.
    const claiming = await orders.place(orders.request({ intent_id: 'plan', symbol: 'ETH/USDT', side: 'buy', type: 'market', qty: '25' }));
    expect(claiming).toMatchObject({ status: 'rejected', rejection: { code: 'RISK_REJECTED' } });
    expect(claiming.rejection?.reasons?.map((r) => r.code)).toContain('MAX_ORDER_NOTIONAL');
  });
});
