/**
 * One whole chaos run: starts the run's own stack, drives it, checks it and stops it, whatever
 * happened. `npm run chaos` and tests/chaos/chaos.test.ts both run it, at different scales.
 */
import { checkChaosRun, type ChaosChecks } from './checks.js';
import { runChaos, type ChaosOptions, type ChaosRun } from './chaos-run.js';
import { CHAOS_INITIAL_CASH, startChaosStack } from './chaos-stack.js';

export interface ChaosScale {
  orders: number;
  submissions: number;
  workerKills: number;
  temporalRestarts: Array<'SIGTERM' | 'SIGKILL'>;
  /** Accounts are named <prefix><run>-<n>; the accounts file must serve the prefix. */
  accountPrefix: string;
  accountsFile: string;
  seed: number;
  /** How long every order gets to reach a terminal state once the chaos is over. */
  settleTimeoutMs: number;
  log: (line: string) => void;
}

/** Ordinary accounts beside the hot one. */
const ACCOUNTS = 3;
const HOT_SHARE = 0.3;
/** Orders spread over at least this long, 200 ms per order beyond it: kills land among them. */
const MIN_WINDOW_MS = 30_000;
const WINDOW_MS_PER_ORDER = 200;

export interface ChaosOutcome {
  run: ChaosRun;
  checks: ChaosChecks;
}

export function chaosOptions(scale: ChaosScale): ChaosOptions {
  const run = crypto.randomUUID().slice(0, 6);
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `${scale.accountPrefix}${run}-${i}`);
  return {
    orders: scale.orders,
    submissions: scale.submissions,
    workerKills: scale.workerKills,
    temporalRestarts: scale.temporalRestarts,
    accounts,
    hotAccount: `${scale.accountPrefix}${run}-hot`,
    hotShare: HOT_SHARE,
    windowMs: Math.max(MIN_WINDOW_MS, scale.orders * WINDOW_MS_PER_ORDER),
    seed: scale.seed,
    idPrefix: `chaos-${run}`,
    // Three times the answer bound: a call still unanswered then is recorded as having got no answer.
    callTimeoutMs: 60_000,
    settleTimeoutMs: scale.settleTimeoutMs,
    log: scale.log,
  };
}

export async function runChaosStack(scale: ChaosScale): Promise<ChaosOutcome> {
  const opts = chaosOptions(scale);
  const stack = await startChaosStack({ accountsFile: scale.accountsFile, log: scale.log });
  try {
    const run = await runChaos(stack, opts);
    scale.log('chaos checks: ledger, replay, answers');
    const checks = await checkChaosRun(stack, run, [...opts.accounts, opts.hotAccount], CHAOS_INITIAL_CASH);
    return { run, checks };
  } finally {
    await stack.stop();
  }
}
