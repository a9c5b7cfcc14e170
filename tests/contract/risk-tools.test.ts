/**
 * The risk server's four tools through the spawned stdio server with a real worker behind it:
 * results match their output contracts, bad input gets a clear isError, loosening the trading state
 * needs a person (MCP elicitation accepted with a one-time code the operator issued, declined,
 * dismissed, or not supported by the host), a host answering its own form gets nothing, and no tool
 * of any server loosens a limit or the trading state.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TOOL_GROUPS, contractsByGroup } from '../../schemas/index.js';
import { getRiskLimits, getRiskReport, preTradeRiskCheck, setTradingState } from '../../schemas/risk.js';
import { riskWorkflowId, setTradingStateUpdate, type TradingState } from '../../schemas/temporal/risk.js';
import { formatLooseningCode } from '../../domain/risk/loosening-codes.js';
import { issueLooseningCode } from '../../temporal/clients/risk.js';
import { confirmWithCode, connectElicitingServer, type ElicitingServer } from '../helpers/elicitation-host.js';
import { historyText } from '../helpers/history-text.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { sampleArguments } from './sample-arguments.js';
import { toolCaller } from '../helpers/tool-calls.js';

const exchange = uniqueExchange();
const WORKER_ENV = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '300000', RISK_MAX_ORDER_NOTIONAL: '30000' };

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let driver: RiskDriver;
let plain: ConnectedServer;
let eliciting: ElicitingServer;
let serverEnv: Record<string, string>;
let taskQueue: string;

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('risk-tools');
  worker = await startTestWorker(taskQueue, WORKER_ENV);
  temporal = await testClient();
  driver = new RiskDriver(temporal.client, taskQueue, exchange, WORKER_ENV);
  await Promise.all(['BTC/USDT', 'ETH/USDT'].map((s) => driver.feed(s, driver.simHistory(s, 900))));
  serverEnv = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  [plain, eliciting] = await Promise.all([connectServer('risk', serverEnv), connectElicitingServer('risk', serverEnv)]);
});

afterAll(async () => {
  await plain?.close();
  await eliciting?.close();
  await worker?.stop();
  await temporal?.close();
});

const on = (server: ConnectedServer) => toolCaller(() => server.client);
const call = (server: ConnectedServer, name: string, args: Record<string, unknown>) => on(server).call(name, args);
const succeed = <T>(server: ConnectedServer, name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }) => on(server).succeed(name, args, output);
const fail = (server: ConnectedServer, name: string, args: Record<string, unknown>) => on(server).fail(name, args);

const btc = (qty: string) => ({ symbol: 'BTC/USDT', side: 'buy', qty });

/** The operator's side: what `risk:operator -- loosen-code` does, through the same client. */
const operatorIssues = (account: string, state: TradingState, queue = taskQueue) =>
  issueLooseningCode(temporal.client, queue, account, { state, reason: 'reviewed with the desk', issued_by: 'ops' });

const tradingStateOf = async (account: string) => (await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output)).trading_state;

describe('pre_trade_risk_check', () => {
  it('answers a dry run with the decision, its metrics and VaR, reserves nothing, and decides afresh when asked again', async () => {
    const account = uniqueAccount('tool-check');
    const first = await succeed(plain, 'pre_trade_risk_check', { intent_id: 'tool-1', intents: [btc('0.02')], account }, preTradeRiskCheck.output);
    expect(first).toMatchObject({ intent_id: 'tool-1', account, decision: 'approved', reasons: [], duplicate: false, dry_run: true, workflow_id: riskWorkflowId(account), trading_state: 'ACTIVE' });
    expect(first.legs[0]).toMatchObject({ client_order_id: 'tool-1.0', qty: '0.02', position_after: '0.02' });
    expect(first.var?.after.parametric).toBeGreaterThan(0);
    const described = await temporal.client.workflow.getHandle(first.workflow_id, first.run_id).describe();
    expect(described.type).toBe('riskWorkflow');

    const repeated = await succeed(plain, 'pre_trade_risk_check', { intent_id: 'tool-1', intents: [btc('0.020')], account }, preTradeRiskCheck.output);
    expect(repeated).toMatchObject({ intent_id: 'tool-1', decision: 'approved', duplicate: false, dry_run: true });
    expect(repeated.risk_check_id).not.toBe(first.risk_check_id);
    // Nothing was reserved: the account has no working orders after two approvals.
    expect(await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output)).toMatchObject({ working_orders: 0 });
  });

  it('reports a refusal as a decision with reason codes, not as an error', async () => {
    const account = uniqueAccount('tool-refuse');
    const refused = await succeed(
      plain,
      'pre_trade_risk_check',
      { intent_id: 'too-big', intents: [btc('1'), { symbol: 'DOGE/USDT', side: 'buy', quote_notional: '50' }], account },
      preTradeRiskCheck.output,
    );
    expect(refused.decision).toBe('rejected');
    // In check order, whichever leg each came from.
    expect(refused.reasons.map((r) => [r.code, r.leg_index])).toEqual([
      ['SYMBOL_NOT_ALLOWED', 1],
      ['NO_MARKET_DATA', 1],
      ['MAX_ORDER_NOTIONAL', 0],
      ['MAX_SYMBOL_NOTIONAL', 0],
      ['INSUFFICIENT_CASH', 0],
    ]);
  });

  it('refuses bad input with a message naming the field', async () => {
    const account = uniqueAccount('tool-bad');
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ intents: [btc('1')] }, /intent_id/],
      [{ intent_id: 'x', intents: [] }, /intents/],
      [{ intent_id: 'x', intents: Array.from({ length: 21 }, () => btc('0.001')) }, /intents/],
      [{ intent_id: 'x', intents: [{ symbol: 'BTC/USDT', side: 'buy', qty: '1', quote_notional: '10' }] }, /exactly one of qty and quote_notional/],
      [{ intent_id: 'x', intents: [{ symbol: 'BTC/USDT', side: 'buy' }] }, /exactly one of qty and quote_notional/],
      [{ intent_id: 'x', intents: [btc('-1')] }, /intents\.0\.qty: write a plain decimal string/],
      [{ intent_id: 'x', intents: [btc('1e3')] }, /intents\.0\.qty/],
      [{ intent_id: 'x', intents: [{ ...btc('1'), limit_price: '0' }] }, /must be greater than zero/],
      [{ intent_id: 'x', intents: [{ symbol: 'btc/usdt', side: 'buy', qty: '1' }] }, /ccxt unified spot symbol/],
      [{ intent_id: 'x', intents: [{ ...btc('1'), leverage: 10 }] }, /leverage/],
      [{ intent_id: 'x', intents: [{ ...btc('1'), side: 'short' }] }, /side/],
      [{ intent_id: 'has space', intents: [btc('1')] }, /intent_id: use 1-120 characters/],
      [{ intent_id: 'x'.repeat(121), intents: [btc('1')] }, /intent_id: use 1-120 characters/],
      [{ intent_id: 'x', intents: [btc('1')], account: 'Paper' }, /account/],
      [{ intent_id: 'x', intents: [btc('1')], account, max_var_1d: '1e9' }, /max_var_1d/],
    ];
    for (const [args, message] of bad) {
      const error = await fail(plain, 'pre_trade_risk_check', args);
      expect(error.startsWith('INVALID_INPUT: ')).toBe(true);
      expect(error).toMatch(message);
    }
    // A dry run records nothing, so the same intent_id with other legs is simply checked as asked.
    await succeed(plain, 'pre_trade_risk_check', { intent_id: 'kept', intents: [btc('0.001')], account }, preTradeRiskCheck.output);
    const other = await succeed(plain, 'pre_trade_risk_check', { intent_id: 'kept', intents: [btc('0.002')], account }, preTradeRiskCheck.output);
    expect(other).toMatchObject({ intent_id: 'kept', dry_run: true, legs: [expect.objectContaining({ qty: '0.002' })] });
  });
});

describe('get_risk_limits and get_risk_report', () => {
  it('shows the limits from the file and the environment, the trading state and the mode', async () => {
    const account = uniqueAccount('tool-limits');
    const limits = await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output);
    expect(limits).toMatchObject({ account, mode: 'paper', exchange, trading_state: 'ACTIVE', last_change: null, working_orders: 0, workflow_id: riskWorkflowId(account) });
    expect(limits.limits.max_order_notional).toBe('30000');
    expect(limits.limits.max_gross_exposure).toBe('100000');
    expect(limits.limits_source.file).toMatch(/risk-limits\.json$/);
    expect(limits.limits_source.env_overrides).toEqual(['RISK_MAX_DATA_AGE_MS', 'RISK_MAX_ORDER_NOTIONAL']);
    expect(await fail(plain, 'get_risk_limits', { account: 'NOT VALID' })).toMatch(/^INVALID_INPUT: account/);
  });

  it('reports VaR, expected shortfall, exposure and the breaker of what the account holds', async () => {
    const account = uniqueAccount('tool-report');
    await driver.fill(account, { symbol: 'BTC/USDT', side: 'buy', qty: '0.1', price: '100000' });
    await driver.fill(account, { symbol: 'ETH/USDT', side: 'buy', qty: '2', price: '3000' });
    // An approval holds its sale as working (a dry run would hold nothing): what submit_intent asks, through the same client.
    expect((await driver.check(account, 'working', [{ symbol: 'ETH/USDT', side: 'sell', qty: '1' }], 'submit_intent')).decision).toBe('approved');
    await succeed(plain, 'pre_trade_risk_check', { intent_id: 'dry', intents: [{ symbol: 'ETH/USDT', side: 'sell', qty: '0.5' }], account }, preTradeRiskCheck.output);
    const report = await succeed(plain, 'get_risk_report', { account }, getRiskReport.output);
    expect(report).toMatchObject({ account, mode: 'paper', trading_state: 'ACTIVE', quote_currency: 'USDT', cash: '84000', risk_workflow_id: riskWorkflowId(account) });
    expect(report.exposure.map((e) => [e.symbol, e.qty, e.working_qty, e.mark_source])).toEqual([
      ['BTC/USDT', '0.1', '0', 'tick_store'],
      ['ETH/USDT', '2', '-1', 'tick_store'],
    ]);
    expect(report.exposure.reduce((sum, e) => sum + (e.weight_pct ?? 0), 0)).toBeCloseTo(100, 6);
    expect(report.var).toMatchObject({ confidence: 0.99, horizon_days: 1, limit: '10000' });
    expect(report.var?.expected_shortfall).toBeGreaterThanOrEqual(report.var?.historical ?? Infinity);
    expect(report.exposure[0]?.annualised_volatility).toBeGreaterThan(0);
    expect(report.breaker).toMatchObject({ breached: false, tripped: null, max_daily_loss: '5000', max_drawdown_pct: 15 });
    expect(report.decisions).toEqual({ checks: 1, approved: 1, rejected: 0 });
    expect((await temporal.client.workflow.getHandle(report.workflow_id).describe()).type).toBe('riskReportWorkflow');
  });
});

describe('set_trading_state', () => {
  it('tightens at once, and refuses to loosen on a host that cannot ask a person, naming the operator command', async () => {
    const account = uniqueAccount('tool-tighten');
    const halted = await succeed(plain, 'set_trading_state', { state: 'HALTED', reason: 'volatility spike', account }, setTradingState.output);
    expect(halted).toMatchObject({ account, previous_state: 'ACTIVE', trading_state: 'HALTED', changed: true, via: 'agent', confirmed_by: null });
    expect(await succeed(plain, 'set_trading_state', { state: 'HALTED', reason: 'still spiking', account }, setTradingState.output)).toMatchObject({ changed: false });

    const refused = await fail(plain, 'set_trading_state', { state: 'ACTIVE', reason: 'calm again', account });
    expect(refused).toMatch(/^LOOSENING_NEEDS_PERSON: moving account .* to ACTIVE loosens the trading state/);
    expect(refused).toContain(`npm run risk:operator -- set-state ACTIVE --account ${account}`);
    expect(refused).toContain('Retrying the same call will not help.');
    expect((await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output)).trading_state).toBe('HALTED');
  });

  it('loosens only after the person at the host confirms with the code the operator issued, recording who and which code', async () => {
    const account = uniqueAccount('tool-loosen');
    await succeed(eliciting, 'set_trading_state', { state: 'HALTED', reason: 'news event', account }, setTradingState.output);
    expect(eliciting.asked).toHaveLength(0);

    const { code, issued } = await operatorIssues(account, 'REDUCING');
    expect(issued).toMatchObject({ account, state: 'REDUCING', code_id: expect.stringMatching(/^code-\d+$/) });
    // As read aloud, grouped and in lower case: still the same code.
    eliciting.answerWith(confirmWithCode('Dana (risk desk)', formatLooseningCode(code).toLowerCase()));
    const loosened = await succeed(eliciting, 'set_trading_state', { state: 'REDUCING', reason: 'news absorbed, unwind only', account }, setTradingState.output);
    expect(loosened).toMatchObject({ previous_state: 'HALTED', trading_state: 'REDUCING', changed: true, via: 'mcp_elicitation', confirmed_by: 'Dana (risk desk)' });
    const question = eliciting.asked.at(-1);
    expect(question?.message).toContain(`loosen trading for account ${account} to REDUCING`);
    expect(question?.message).toContain('news absorbed, unwind only');
    expect(question?.message).toContain(`npm run risk:operator -- loosen-code REDUCING --account ${account}`);
    expect(question?.mode ?? 'form').toBe('form');
    expect(question && 'requestedSchema' in question ? Object.keys(question.requestedSchema.properties) : null).toEqual(['confirm', 'confirmed_by', 'code']);
    const limits = await succeed(eliciting, 'get_risk_limits', { account }, getRiskLimits.output);
    expect(limits.last_change).toMatchObject({
      from: 'HALTED',
      to: 'REDUCING',
      authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana (risk desk)', code_id: issued.code_id },
    });

    // The code is nowhere but with the operator and the person: not in the workflow's history, not in a tool result.
    const history = historyText(await temporal.client.workflow.getHandle(riskWorkflowId(account)).fetchHistory());
    expect(history).toContain('news absorbed, unwind only');
    expect(history).toContain(issued.code_id);
    for (const written of [code, formatLooseningCode(code), formatLooseningCode(code).toLowerCase()]) {
      expect(history).not.toContain(written);
      expect(JSON.stringify(limits)).not.toContain(written);
      expect(JSON.stringify(loosened)).not.toContain(written);
    }
  });

  it('refuses when the person declines, dismisses, or does not tick the confirmation', async () => {
    const account = uniqueAccount('tool-declined');
    await succeed(eliciting, 'set_trading_state', { state: 'HALTED', reason: 'drawdown', account }, setTradingState.output);
    const answers: Array<[Parameters<ElicitingServer['answerWith']>[0], RegExp]> = [
      [() => ({ action: 'decline' }), /declined/],
      [() => ({ action: 'cancel' }), /dismissed the question/],
      [() => ({ action: 'accept', content: { confirm: false, confirmed_by: 'Sam' } }), /did not confirm it/],
    ];
    for (const [answer, how] of answers) {
      eliciting.answerWith(answer);
      const refused = await fail(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account });
      expect(refused).toMatch(/^LOOSENING_DECLINED: the person at the host /);
      expect(refused).toMatch(how);
    }
    expect((await succeed(eliciting, 'get_risk_limits', { account }, getRiskLimits.output)).trading_state).toBe('HALTED');
  });

  it('gives a host answering its own form nothing: no code, a guess, or a code for another account or state', async () => {
    const account = uniqueAccount('tool-forged');
    const other = uniqueAccount('tool-forged-other');
    await succeed(eliciting, 'set_trading_state', { state: 'HALTED', reason: 'drawdown', account }, setTradingState.output);
    const forActive = await operatorIssues(account, 'ACTIVE');
    const forReducing = await operatorIssues(account, 'REDUCING');
    const forOther = await operatorIssues(other, 'ACTIVE');

    const attempts: Array<[string | undefined, RegExp]> = [
      [undefined, /^LOOSENING_CODE_INVALID: no one-time code was entered/],
      ['let me in', /^LOOSENING_CODE_INVALID: the trading state of account .* is unchanged: that is not a loosening code/],
      ['23456-789AB', /^LOOSENING_CODE_INVALID: .*not a loosening code issued for account .* and state ACTIVE/],
      [forOther.code, /^LOOSENING_CODE_INVALID: .*not a loosening code issued for account/],
      [forReducing.code, /^LOOSENING_CODE_INVALID: .*not a loosening code issued for account/],
    ];
    for (const [code, refusal] of attempts) {
      eliciting.answerWith(confirmWithCode('Definitely A Person', code));
      const refused = await fail(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account });
      expect(refused, String(code)).toMatch(refusal);
      expect(refused).toContain(`npm run risk:operator -- loosen-code ACTIVE --account ${account}`);
      expect(refused).toContain('Retrying the same call will not help.');
      expect(await tradingStateOf(account)).toBe('HALTED');
    }

    // The right code still works once (three counted misses are below the guard), and never again.
    eliciting.answerWith(confirmWithCode('Sam (ops)', forActive.code));
    expect(await succeed(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account }, setTradingState.output)).toMatchObject({ trading_state: 'ACTIVE' });
    await succeed(eliciting, 'set_trading_state', { state: 'HALTED', reason: 'again', account }, setTradingState.output);
    const reused = await fail(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume again', account });
    expect(reused).toMatch(new RegExp(`^LOOSENING_CODE_INVALID: .*loosening code ${forActive.issued.code_id} was already used`));
    expect(await tradingStateOf(account)).toBe('HALTED');
  });

  it('refuses a forged person sent straight to the workflow, as a server speaking for its host might', async () => {
    const account = uniqueAccount('tool-direct');
    await succeed(plain, 'set_trading_state', { state: 'HALTED', reason: 'drill', account }, setTradingState.output);
    const { issued } = await operatorIssues(account, 'ACTIVE');
    const handle = temporal.client.workflow.getHandle(riskWorkflowId(account));
    for (const code_id of [undefined, issued.code_id]) {
      const refusal = await handle
        .executeUpdate(setTradingStateUpdate, {
          args: [{ state: 'ACTIVE', reason: 'trust me', authority: { kind: 'person', via: 'mcp_elicitation', confirmed_by: 'host', ...(code_id ? { code_id } : {}) } }],
        })
        .then(() => null, (err: unknown) => errorChain(err));
      expect(refusal).toContainEqual({ type: 'InvalidRiskRequest', message: expect.stringContaining('applied only with a one-time loosening code') });
    }
    expect(await tradingStateOf(account)).toBe('HALTED');
  });

  it(`locks every loosening through the host after five wrong codes, until the operator issues a new one`, async () => {
    const account = uniqueAccount('tool-guess');
    await succeed(eliciting, 'set_trading_state', { state: 'HALTED', reason: 'drawdown', account }, setTradingState.output);
    const first = await operatorIssues(account, 'ACTIVE');
    const guesses = ['22222-22222', '33333-33333', '44444-44444', '55555-55555', '66666-66666'];
    const refusals: string[] = [];
    for (const guess of guesses) {
      eliciting.answerWith(confirmWithCode('Guesser', guess));
      refusals.push(await fail(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account }));
    }
    expect(refusals.slice(0, 4).every((r) => r.startsWith('LOOSENING_CODE_INVALID: '))).toBe(true);
    expect(refusals[4]).toMatch(/^LOOSENING_CODE_LOCKED: .*too many wrong loosening codes/);

    // Now even the right code is refused: it may have been the one being guessed.
    eliciting.answerWith(confirmWithCode('Sam (ops)', first.code));
    const locked = await fail(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account });
    expect(locked).toMatch(/^LOOSENING_CODE_LOCKED: /);
    expect(locked).toContain(`npm run risk:operator -- loosen-code ACTIVE --account ${account}`);
    expect(await tradingStateOf(account)).toBe('HALTED');

    const fresh = await operatorIssues(account, 'ACTIVE');
    eliciting.answerWith(confirmWithCode('Sam (ops)', fresh.code));
    expect(await succeed(eliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account }, setTradingState.output)).toMatchObject({ trading_state: 'ACTIVE', changed: true });
  });

  it('refuses bad input', async () => {
    expect(await fail(plain, 'set_trading_state', { state: 'OPEN', reason: 'typo' })).toMatch(/^INVALID_INPUT: state/);
    expect(await fail(plain, 'set_trading_state', { state: 'HALTED', reason: 'x' })).toMatch(/^INVALID_INPUT: reason/);
    expect(await fail(plain, 'set_trading_state', { state: 'HALTED' })).toMatch(/^INVALID_INPUT: reason/);
    expect(await fail(plain, 'set_trading_state', { state: 'ACTIVE', reason: 'force it', confirmed_by: 'me' })).toMatch(/^INVALID_INPUT: .*confirmed_by/);
  });
});

describe('set_trading_state with a short-lived code', () => {
  let shortWorker: RunningWorker;
  let shortEliciting: ElicitingServer;
  let shortQueue: string;

  beforeAll(async () => {
    shortQueue = uniqueTaskQueue('risk-tools-ttl');
    shortWorker = await startTestWorker(shortQueue, { RISK_MARKET_EXCHANGE: uniqueExchange(), RISK_LOOSENING_CODE_TTL_SEC: '1' });
    shortEliciting = await connectElicitingServer('risk', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: shortQueue });
  });

  afterAll(async () => {
    await shortEliciting?.close();
    await shortWorker?.stop();
  });

  it('refuses a code past its validity (RISK_LOOSENING_CODE_TTL_SEC) and leaves the state as it was', async () => {
    const account = uniqueAccount('tool-expired');
    await succeed(shortEliciting, 'set_trading_state', { state: 'HALTED', reason: 'drawdown', account }, setTradingState.output);
    const { code, issued } = await operatorIssues(account, 'ACTIVE', shortQueue);
    expect(issued.expires_at - issued.issued_at).toBe(1_000);
    // Waits out the validity the workflow gave it; the workflow decides with its own clock.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, issued.expires_at - Date.now()) + 500));
    shortEliciting.answerWith(confirmWithCode('Sam (ops)', code));
    const refused = await fail(shortEliciting, 'set_trading_state', { state: 'ACTIVE', reason: 'resume', account });
    expect(refused).toMatch(new RegExp(`^LOOSENING_CODE_INVALID: .*loosening code ${issued.code_id} expired at`));
    expect((await succeed(shortEliciting, 'get_risk_limits', { account }, getRiskLimits.output)).trading_state).toBe('HALTED');
  });
});

describe('no tool loosens a limit or the trading state', () => {
  const others: ConnectedServer[] = [];
  afterAll(async () => {
    await Promise.all(others.map((s) => s.close()));
  });

  it('leaves a halted account halted and its limits as they were, whatever every tool of every server is asked', async () => {
    const account = uniqueAccount('tool-nobypass');
    await succeed(plain, 'set_trading_state', { state: 'HALTED', reason: 'operator drill', account }, setTradingState.output);
    const before = await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output);
    const servers: Partial<Record<(typeof TOOL_GROUPS)[number], ConnectedServer>> = { risk: plain };
    for (const group of TOOL_GROUPS.filter((g) => g !== 'risk')) {
      const server = await connectServer(group, serverEnv);
      others.push(server);
      servers[group] = server;
    }

    // Every tool, asked with fields that would loosen if any tool accepted them: refused as unknown input.
    const loosening = { trading_state: 'ACTIVE', limits: { max_order_notional: '1e12' }, risk_override: true };
    for (const group of TOOL_GROUPS) {
      for (const contract of contractsByGroup[group]) {
        const message = await fail(servers[group] as ConnectedServer, contract.name, { ...sampleArguments[contract.name], ...loosening });
        expect(message, contract.name).toMatch(/^INVALID_INPUT: /);
        expect(message, contract.name).toContain('trading_state');
      }
    }

    // And asked in earnest, each within its contract.
    for (const state of ['ACTIVE', 'REDUCING'] as const) {
      expect(await fail(plain, 'set_trading_state', { state, reason: 'please', account })).toMatch(/^LOOSENING_NEEDS_PERSON/);
    }
    const check = await succeed(plain, 'pre_trade_risk_check', { intent_id: 'while-halted', intents: [btc('0.001')], account }, preTradeRiskCheck.output);
    expect(check.reasons.map((r) => r.code)).toEqual(['TRADING_HALTED']);
    const submitted = await call(servers.execution as ConnectedServer, 'submit_intent', { intent_id: 'while-halted-2', intents: [btc('0.001')], account });
    expect(submitted.structuredContent).toMatchObject({ decision: 'rejected', broadcast: false, client_order_ids: [] });
    const order = await call(servers.execution as ConnectedServer, 'place_mock_order', {
      client_order_id: `halted-${account}`,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      qty: '0.001',
      account,
    });
    expect(order.structuredContent).toMatchObject({ status: 'rejected', rejection: { code: 'RISK_REJECTED' } });
    expect(JSON.stringify(order.structuredContent)).toContain('TRADING_HALTED');

    const after = await succeed(plain, 'get_risk_limits', { account }, getRiskLimits.output);
    expect(after.trading_state).toBe('HALTED');
    expect(after.limits).toEqual(before.limits);
    expect(after.limits_loaded_at).toBe(before.limits_loaded_at);
  });
});

/** Every message and failure type along an error's cause chain. */
function errorChain(err: unknown): Array<{ type?: unknown; message: string }> {
  const chain: Array<{ type?: unknown; message: string }> = [];
  for (let current: unknown = err; current instanceof Error && chain.length < 10; current = current.cause) {
    chain.push({ type: (current as { type?: unknown }).type, message: current.message });
  }
  return chain;
}
