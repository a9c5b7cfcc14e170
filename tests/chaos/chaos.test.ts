/**
 * The chaos tier at CI scale: 30 paper orders (market and limit, three accounts and a hot one
 * taking a burst), each client_order_id submitted 4 times (two at once, one later, one after
 * settling), the worker SIGKILLed 3 times and Temporal restarted once (SIGTERM, same SQLite file).
 * It runs on a Temporal dev server of its own, never the suite's shared one, since it restarts it.
 * Asserted: every order terminal and decided by the gate (none refused as RISK_GATE_BUSY or
 * RISK_GATE_UNAVAILABLE: after each crash the stack decides again); money exact (every fill once,
 * cash to the last digit); every closed history replays; every place_mock_order answer within its
 * bound, true, and never a raw transport error. The figures are printed either way (scripts/chaos/summary.ts).
 */
import { describe, expect, it } from 'vitest';
import { runChaosStack, type ChaosOutcome } from '../../scripts/chaos/run-chaos-stack.js';
import { chaosSummary } from '../../scripts/chaos/summary.js';
import { TEST_ACCOUNTS_FILE, TEST_ACCOUNT_PREFIX } from '../helpers/test-accounts.js';

describe('the chaos tier', () => {
  it('keeps money exact, every order terminal, every history replayable and every answer bounded through worker kills and a Temporal restart', { timeout: 420_000 }, async () => {
    const log: string[] = [];
    const { run, checks }: ChaosOutcome = await runChaosStack({
      orders: 30,
      submissions: 4,
      workerKills: 3,
      temporalRestarts: ['SIGTERM'],
      accountPrefix: TEST_ACCOUNT_PREFIX,
      accountsFile: TEST_ACCOUNTS_FILE,
      seed: 11,
      settleTimeoutMs: 120_000,
      log: (line) => {
        if (line.startsWith('chaos')) log.push(line);
      },
    });
    const summary = chaosSummary(run, checks);
    console.log(`${log.join('\n')}\n${summary}`);

    // The chaos really happened.
    expect(run.workerKills).toBe(3);
    expect(run.temporalRestarts).toHaveLength(1);
    expect(run.calls.length + run.lateCalls.length).toBe(30 * 4);
    expect(checks.fills, summary).toBeGreaterThan(0);

    expect(checks.terminal, summary).toEqual([]);
    expect(checks.undecided, summary).toEqual([]);
    expect(checks.money, summary).toEqual([]);
    expect(checks.replayed, summary).toBeGreaterThan(30);
    expect(checks.replayFailures, summary).toEqual([]);
    expect(checks.answers.raw.map((c) => c.text), summary).toEqual([]);
    expect(checks.answers.overBound.map((c) => `${c.client_order_id}#${c.submission}: ${Math.round(c.latencyMs)} ms`), summary).toEqual([]);
    expect(checks.answers.violations, summary).toEqual([]);
    expect(checks.passed).toBe(true);
  });
});
