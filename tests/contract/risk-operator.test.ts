/**
 * The operator CLI (scripts/risk-operator.ts), run as a person runs it: it loosens what no tool can,
 * records who and why, reloads limits and resets the breaker, prints one-time loosening codes for a
 * person at an MCP host, and refuses a change without a reason.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SetTradingStateRequest } from '../../schemas/temporal/risk.js';
import { redeemLooseningCode } from '../../temporal/clients/risk.js';
import { repoRoot } from '../helpers/mcp-servers.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const run = promisify(execFile);

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let driver: RiskDriver;
let taskQueue: string;

async function operator(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/risk-operator.ts', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const agent = (state: SetTradingStateRequest['state']): SetTradingStateRequest => ({ state, reason: 'drill', authority: { kind: 'agent' } });

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('risk-operator');
  const exchange = uniqueExchange();
  worker = await startTestWorker(taskQueue, { RISK_MARKET_EXCHANGE: exchange });
  temporal = await testClient();
  driver = new RiskDriver(temporal.client, taskQueue, exchange);
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

describe('risk operator CLI', () => {
  it('loosens a halted account, recording who and why, and shows it in status', async () => {
    const account = uniqueAccount('operator');
    await driver.setState(account, agent('HALTED'));
    const loosened = await operator('set-state', 'ACTIVE', '--account', account, '--reason', 'reviewed the exposure', '--by', 'Alex (ops)');
    expect(loosened).toMatchObject({ code: 0 });
    expect(loosened.stdout).toContain(`${account}: HALTED → ACTIVE (by Alex (ops): reviewed the exposure)`);
    const view = await driver.state(account);
    expect(view.trading_state).toBe('ACTIVE');
    expect(view.last_change).toMatchObject({ reason: 'reviewed the exposure', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'Alex (ops)' } });

    const status = await operator('status', '--account', account);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('trading state: ACTIVE');
    expect(status.stdout).toContain('risk-limits.json');
  });

  it('reloads limits and resets the breaker (an acknowledgement that keeps the day\'s loss on record), each recorded', async () => {
    const account = uniqueAccount('operator-reload');
    await driver.setState(account, agent('REDUCING'));
    const reloaded = await operator('reload-limits', '--account', account, '--reason', 'new limits file', '--by', 'ops');
    expect(reloaded.code).toBe(0);
    const reset = await operator('reset-breaker', '--account', account, '--reason', 'after the incident review', '--by', 'ops');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('the next check acknowledges the loss at the equity then; the day open and the high-water mark stay');
    const view = await driver.state(account);
    expect(view.breaker).toMatchObject({ acknowledge_pending: true, tripped: null });
    expect(view.breaker).not.toHaveProperty('rebase_pending');
    expect(view.trading_state).toBe('REDUCING');
    expect(view.state_log.map((c) => c.reason)).toEqual([
      'drill',
      'limits reloaded: new limits file',
      "breaker acknowledged (the day's loss stays on record): after the incident review",
    ]);
  });

  it('prints a one-time loosening code that loosens that account to that state once, through the path set_trading_state takes', async () => {
    const account = uniqueAccount('operator-code');
    await driver.setState(account, agent('HALTED'));
    const issued = await operator('loosen-code', 'REDUCING', '--account', account, '--reason', 'desk agreed to unwind', '--by', 'Alex (ops)');
    expect(issued.code).toBe(0);
    const printed = /loosening code for account (\S+) to REDUCING: ([2-9A-Z]{5}-[2-9A-Z]{5})\n(code-\d+), valid once until (\S+)/.exec(issued.stdout);
    expect(printed, issued.stdout).not.toBeNull();
    const [, forAccount, code, codeId] = printed as RegExpExecArray;
    expect(forAccount).toBe(account);
    expect(issued.stdout).toContain('they enter it with their name');
    expect((await driver.state(account)).trading_state).toBe('HALTED');

    const redeem = () =>
      redeemLooseningCode(temporal.client, taskQueue, account, { state: 'REDUCING', reason: 'unwind only', confirmed_by: 'Dana', code: code as string });
    const { result } = await redeem();
    expect(result).toMatchObject({ previous_state: 'HALTED', trading_state: 'REDUCING', changed: true });
    const view = await driver.state(account);
    expect(view.last_change?.authority).toEqual({ kind: 'person', via: 'mcp_elicitation', confirmed_by: 'Dana', code_id: codeId });
    await driver.setState(account, agent('HALTED'));
    await expect(redeem()).rejects.toThrow();
    expect((await driver.state(account)).trading_state).toBe('HALTED');

    const status = await operator('status', '--account', account);
    expect(status.stdout).not.toContain(code as string);
  });

  it('refuses a loosening code for HALTED or without a reason', async () => {
    expect(await operator('loosen-code', 'HALTED', '--reason', 'because')).toMatchObject({ code: 2, stderr: expect.stringContaining('loosen-code needs ACTIVE or REDUCING') });
    expect(await operator('loosen-code', 'ACTIVE')).toMatchObject({ code: 2, stderr: expect.stringContaining('add --reason') });
  });

  it('refuses a change without a reason, an unknown state or command, with the usage', async () => {
    expect(await operator('set-state', 'ACTIVE')).toMatchObject({ code: 2, stderr: expect.stringContaining('add --reason') });
    expect(await operator('set-state', 'OPEN', '--reason', 'because')).toMatchObject({ code: 2, stderr: expect.stringContaining('set-state needs one of ACTIVE, REDUCING, HALTED') });
    expect(await operator('unhalt')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command unhalt') });
    expect(await operator('status', '--account', 'Bad Name')).toMatchObject({ code: 2, stderr: expect.stringContaining('is not an account name') });
  });
});
