/**
 * Accounts are the operator's: a worker serves only those of its accounts file. Through the
 * spawned servers with a real worker behind them: a call naming any other account is refused with
 * UNKNOWN_ACCOUNT and how to add one, and nothing is booked or kept running for it, even when a
 * client skips the servers; a configured account gets its configured cash and limits, whoever
 * starts its workflows; an account the operator adds later works once the worker restarts; and
 * `risk:operator -- halt-all` halts every configured account.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getRiskLimits, preTradeRiskCheck, setTradingState } from '../../schemas/risk.js';
import { getPortfolioStatus } from '../../schemas/ledger.js';
import { EXECUTION_LEDGER_WORKFLOW, ledgerWorkflowId, type LedgerSettings } from '../../schemas/temporal/ledger.js';
import { orderWorkflowId } from '../../schemas/temporal/orders.js';
import { RISK_WORKFLOW, riskWorkflowId } from '../../schemas/temporal/risk.js';
import { intentSubmissionWorkflowId } from '../../schemas/temporal/intents.js';
import { listRunningRiskAccounts } from '../../temporal/clients/risk.js';
import { eventually } from '../helpers/eventually.js';
import { connectServer, repoRoot, type ConnectedServer } from '../helpers/mcp-servers.js';
import { RiskDriver, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';

const run = promisify(execFile);

/** Names of this file's own: no other test file's worker serves them, and halt-all reaches no other test's account. */
const tag = crypto.randomUUID().slice(0, 8);
const MAIN = `acct-${tag}-main`;
const DESK = `acct-${tag}-desk-`;
const DESK_A = `${DESK}a`;
const LATER = `acct-${tag}-later`;
/** The reproduced case: a new name next to a halted account used to be a fresh account with its own cash. */
const SIBLING = `${MAIN}-b`;

const exchange = uniqueExchange();
const WORKER_ENV = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '300000' };
const dir = mkdtempSync(join(tmpdir(), 'accounts-contract-'));
const ACCOUNTS_FILE = join(dir, 'accounts.json');

function writeAccounts(extra: Array<Record<string, unknown>> = []): void {
  const accounts = [
    { name: MAIN, initial_cash: '2500', limits: { max_order_notional: '1000' } },
    { prefix: DESK, initial_cash: '7000' },
    ...extra,
  ];
  writeFileSync(ACCOUNTS_FILE, JSON.stringify({ $comment: 'accounts of tests/contract/accounts.test.ts', accounts }));
}

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let client: Client;
let taskQueue: string;
let risk: ConnectedServer;
let execution: ConnectedServer;
let ledger: ConnectedServer;

const startWorker = () => startTestWorker(taskQueue, { ...WORKER_ENV, ACCOUNTS_FILE });

beforeAll(async () => {
  writeAccounts();
  taskQueue = uniqueTaskQueue('accounts');
  worker = await startWorker();
  temporal = await testClient();
  client = temporal.client;
  const driver = new RiskDriver(client, taskQueue, exchange, WORKER_ENV);
  await driver.feed('BTC/USDT', driver.simHistory('BTC/USDT', 900));
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  [risk, execution, ledger] = await Promise.all([connectServer('risk', env), connectServer('execution', env), connectServer('ledger', env)]);
});

afterAll(async () => {
  await Promise.all([risk?.close(), execution?.close(), ledger?.close()]);
  await worker?.stop();
  await temporal?.close();
});

const on = (server: ConnectedServer) => toolCaller(() => server.client);
const succeed = <T>(server: ConnectedServer, name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }) => on(server).succeed(name, args, output);

/** The refusal every tool gives an unknown account: the code, the account, and how the operator adds one. */
async function refusedAsUnknown(server: ConnectedServer, tool: string, args: Record<string, unknown> & { account: string }): Promise<string> {
  const message = await on(server).fail(tool, args);
  expect(message).toMatch(new RegExp(`^UNKNOWN_ACCOUNT: account ${args.account} is not configured on the worker`));
  expect(message).toContain('accounts.json');
  expect(message).toContain('ACCOUNTS_FILE');
  expect(message).toContain('restarting the worker');
  expect(message).toContain('Retrying the same call will not help.');
  return message;
}

/** The status of a workflow's latest run, or null when none was ever started. */
async function statusOf(workflowId: string): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

const buy = (account: string, id: string) => ({ client_order_id: id, symbol: 'BTC/USDT', side: 'buy', type: 'market', quote_notional: '20000', account });

async function operator(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/risk-operator.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue, ACCOUNTS_FILE },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('an account nobody configured', () => {
  it('is refused by every tool with UNKNOWN_ACCOUNT, even next to a halted account, and nothing is booked', async () => {
    await succeed(risk, 'set_trading_state', { state: 'HALTED', reason: 'incident', account: MAIN }, setTradingState.output);
    const orderId = `o-${tag}-sibling`;
    const intentId = `i-${tag}-sibling`;

    await refusedAsUnknown(execution, 'place_mock_order', buy(SIBLING, orderId));
    // A repeat of the same order reads the same refusal from the order's record.
    await refusedAsUnknown(execution, 'place_mock_order', buy(SIBLING, orderId));
    await refusedAsUnknown(execution, 'submit_intent', { intent_id: intentId, intents: [{ symbol: 'BTC/USDT', side: 'buy', quote_notional: '20000' }], account: SIBLING });
    await refusedAsUnknown(risk, 'pre_trade_risk_check', { intent_id: `c-${tag}`, intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01' }], account: SIBLING });
    await refusedAsUnknown(risk, 'set_trading_state', { state: 'HALTED', reason: 'probe', account: SIBLING });
    await refusedAsUnknown(risk, 'get_risk_limits', { account: SIBLING });
    await refusedAsUnknown(ledger, 'get_portfolio_status', { account: SIBLING });
    await refusedAsUnknown(ledger, 'get_fills', { account: SIBLING });

    // The worker refused each one: the order and the intent ended, no ledger exists, the risk
    // workflow the risk server started ended at its first step, and nothing runs for the account.
    expect(await statusOf(orderWorkflowId(orderId))).toBe('FAILED');
    expect(await statusOf(intentSubmissionWorkflowId(intentId))).toBe('FAILED');
    expect(await statusOf(ledgerWorkflowId(SIBLING))).toBeNull();
    expect(await statusOf(riskWorkflowId(SIBLING))).toBe('FAILED');
  });

  it('gets no ledger and no risk gate from a client that skips the servers', async () => {
    const rogue = `acct-${tag}-rogue`;
    const settings: LedgerSettings = {
      initialCash: '1000000000', quoteCurrency: 'USDT', journalLimit: 500, dedupeWindow: 2_000,
      equityCurveLimit: 2_000, equitySampleSec: 300, continueAsNewAfter: 1_000, historyLimit: 9_000,
    };
    const ledgerRun = await client.workflow.start(EXECUTION_LEDGER_WORKFLOW, { workflowId: ledgerWorkflowId(rogue), taskQueue, args: [{ account: rogue, settings }] });
    const riskRun = await client.workflow.start(RISK_WORKFLOW, { workflowId: riskWorkflowId(rogue), taskQueue, args: [{ account: rogue }] });
    await expect(ledgerRun.result()).rejects.toThrow();
    await expect(riskRun.result()).rejects.toThrow();
    for (const id of [ledgerWorkflowId(rogue), riskWorkflowId(rogue)]) expect(await statusOf(id)).toBe('FAILED');
    await refusedAsUnknown(ledger, 'get_portfolio_status', { account: rogue });
  });
});

describe('a configured account', () => {
  it('gets its configured initial cash and limit override; a template account gets the template', async () => {
    const main = await succeed(ledger, 'get_portfolio_status', { account: MAIN }, getPortfolioStatus.output);
    expect(main).toMatchObject({ account: MAIN, initial_cash: '2500', cash: '2500', fill_count: 0 });
    const mainLimits = await succeed(risk, 'get_risk_limits', { account: MAIN }, getRiskLimits.output);
    expect(mainLimits.limits.max_order_notional).toBe('1000');

    const desk = await succeed(ledger, 'get_portfolio_status', { account: DESK_A }, getPortfolioStatus.output);
    expect(desk).toMatchObject({ account: DESK_A, initial_cash: '7000', cash: '7000' });
    const deskLimits = await succeed(risk, 'get_risk_limits', { account: DESK_A }, getRiskLimits.output);
    expect(deskLimits.limits.max_order_notional).toBe('25000');
    expect(deskLimits.trading_state).toBe('ACTIVE');
  });

  it('keeps the cash the worker configured when a client starts its ledger with other settings', async () => {
    const forged = `${DESK}forged`;
    const settings: LedgerSettings = {
      initialCash: '1000000000', quoteCurrency: 'USDT', journalLimit: 500, dedupeWindow: 2_000,
      equityCurveLimit: 2_000, equitySampleSec: 300, continueAsNewAfter: 1_000, historyLimit: 9_000,
    };
    await client.workflow.start(EXECUTION_LEDGER_WORKFLOW, { workflowId: ledgerWorkflowId(forged), taskQueue, args: [{ account: forged, settings }] });
    const status = await succeed(ledger, 'get_portfolio_status', { account: forged }, getPortfolioStatus.output);
    expect(status).toMatchObject({ initial_cash: '7000', cash: '7000' });
  });
});

describe('an account the operator adds later', () => {
  it('is refused until the worker restarts with it in the file, then trades from its configured start', async () => {
    await refusedAsUnknown(risk, 'get_risk_limits', { account: LATER });
    await refusedAsUnknown(ledger, 'get_portfolio_status', { account: LATER });
    expect(await statusOf(riskWorkflowId(LATER))).toBe('FAILED');

    writeAccounts([{ name: LATER, initial_cash: '4000', limits: { max_order_notional: '900' } }]);
    await worker.stop();
    worker = await startWorker();

    const limits = await succeed(risk, 'get_risk_limits', { account: LATER }, getRiskLimits.output);
    expect(limits).toMatchObject({ account: LATER, trading_state: 'ACTIVE' });
    expect(limits.limits.max_order_notional).toBe('900');
    expect(await statusOf(riskWorkflowId(LATER))).toBe('RUNNING');
    const status = await succeed(ledger, 'get_portfolio_status', { account: LATER }, getPortfolioStatus.output);
    expect(status).toMatchObject({ initial_cash: '4000', cash: '4000' });

    const decision = await succeed(risk, 'pre_trade_risk_check', { intent_id: `later-${tag}`, intents: [{ symbol: 'BTC/USDT', side: 'buy', quote_notional: '950' }], account: LATER }, preTradeRiskCheck.output);
    expect(decision.decision).toBe('rejected');
    expect(decision.reasons.map((r) => r.code)).toContain('MAX_ORDER_NOTIONAL');
  });
});

describe('risk:operator -- halt-all', () => {
  it('halts every configured account by name and every running account of a prefix, printing each change', async () => {
    // DESK_A's risk workflow runs (started above); halt-all finds it through visibility.
    await eventually(async () => expect(await listRunningRiskAccounts(client, taskQueue, DESK)).toContain(DESK_A));
    expect(await statusOf(riskWorkflowId(`${DESK}never`))).toBeNull();

    const halted = await operator('halt-all', '--reason', 'exchange outage', '--by', 'Alex (ops)');
    expect(halted, halted.stderr).toMatchObject({ code: 0 });
    expect(halted.stdout).toContain(`${DESK_A}: ACTIVE → HALTED (by Alex (ops): exchange outage)`);
    expect(halted.stdout).toContain(`${LATER}: ACTIVE → HALTED (by Alex (ops): exchange outage)`);
    expect(halted.stdout).toContain(`${MAIN}: HALTED → HALTED (was already halted)`);
    expect(halted.stdout).not.toContain(`${DESK}never`);

    for (const account of [DESK_A, LATER]) {
      const view = await succeed(risk, 'get_risk_limits', { account }, getRiskLimits.output);
      expect(view.trading_state).toBe('HALTED');
      expect(view.last_change).toMatchObject({ reason: 'exchange outage', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'Alex (ops)' } });
    }
    // An account of a template that never traded is not started by halt-all.
    expect(await statusOf(riskWorkflowId(`${DESK}never`))).toBeNull();
  });

  it('needs a reason', async () => {
    const refused = await operator('halt-all', '--by', 'ops');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('halt-all records why: add --reason');
  });
});
