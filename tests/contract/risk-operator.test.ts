/**
 * The operator CLI (scripts/risk-operator.ts), run as a person runs it: it loosens what no tool can,
 * records who and why, reloads limits and resets the breaker, and refuses a change without a reason.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SetTradingStateRequest } from '../../schemas/temporal/risk.js';
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

  it('reloads limits and resets the breaker, each recorded', async () => {
    const account = uniqueAccount('operator-reload');
    await driver.setState(account, agent('REDUCING'));
    const reloaded = await operator('reload-limits', '--account', account, '--reason', 'new limits file', '--by', 'ops');
    expect(reloaded.code).toBe(0);
    const reset = await operator('reset-breaker', '--account', account, '--reason', 'after the incident review', '--by', 'ops');
    expect(reset.code).toBe(0);
    const view = await driver.state(account);
    expect(view.breaker.rebase_pending).toBe(true);
    expect(view.trading_state).toBe('REDUCING');
    expect(view.state_log.map((c) => c.reason)).toEqual(['drill', 'limits reloaded: new limits file', 'breaker reference points reset: after the incident review']);
  });

  it('refuses a change without a reason, an unknown state or command, with the usage', async () => {
    expect(await operator('set-state', 'ACTIVE')).toMatchObject({ code: 2, stderr: expect.stringContaining('add --reason') });
    expect(await operator('set-state', 'OPEN', '--reason', 'because')).toMatchObject({ code: 2, stderr: expect.stringContaining('set-state needs one of ACTIVE, REDUCING, HALTED') });
    expect(await operator('unhalt')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command unhalt') });
    expect(await operator('status', '--account', 'Bad Name')).toMatchObject({ code: 2, stderr: expect.stringContaining('is not an account name') });
  });
});
