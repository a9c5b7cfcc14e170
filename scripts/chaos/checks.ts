/**
 * Everything a chaos run must hold once it is over: every order terminal and decided by the gate
 * (none refused because the gate was busy or out of reach), money exact, every closed
 * history replaying against the current workflow code, every answer within its bound and true.
 * Each check lists its violations; a run passes when there are none.
 */
import { isTerminalOrderStatus } from '../../schemas/temporal/orders.js';
import { ensureWorkflowBundle } from '../../worker/bundle.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayRecentHistories, type ReplayFailure } from '../../worker/replay/replay-histories.js';
import { checkAnswers, type AnswerFigures } from './answer-check.js';
import type { ChaosRun } from './chaos-run.js';
import type { ChaosStack } from './chaos-stack.js';
import { checkMoney } from './money-check.js';

/** More closed runs than any chaos run makes: every one is replayed. */
const REPLAY_LIMIT = 1_000_000;

export interface ChaosChecks {
  terminal: string[];
  /** Orders the gate never decided (rejected because it was busy or out of reach): the stack stopped deciding. */
  undecided: string[];
  money: string[];
  fills: number;
  replayed: number;
  replayFailures: ReplayFailure[];
  answers: AnswerFigures;
  passed: boolean;
}

function terminalViolations(run: ChaosRun): string[] {
  const violations: string[] = [];
  for (const [clientOrderId, final] of run.finals) {
    if (final.error) violations.push(`${clientOrderId}: ${final.error}`);
    else if (final.order && !isTerminalOrderStatus(final.order.status)) violations.push(`${clientOrderId}: ended ${final.order.status}`);
  }
  return violations;
}

/** Refusals that mean the gate gave no decision at all: after a crash it must be deciding again. */
const NO_DECISION_CODES = new Set(['RISK_GATE_BUSY', 'RISK_GATE_UNAVAILABLE']);

function undecidedOrders(run: ChaosRun): string[] {
  return [...run.finals].flatMap(([clientOrderId, final]) => {
    const code = final.order?.rejection?.code;
    return code && NO_DECISION_CODES.has(code) ? [`${clientOrderId}: ${code} (${final.order?.rejection?.message.slice(0, 160) ?? ''})`] : [];
  });
}

export async function checkChaosRun(stack: ChaosStack, run: ChaosRun, accounts: string[], initialCash: string): Promise<ChaosChecks> {
  const terminal = terminalViolations(run);
  const money = await checkMoney(stack.ledger, accounts, run.finals, initialCash).catch((err: unknown) => ({
    violations: [`the money check could not read the ledger: ${err instanceof Error ? err.message : String(err)}`],
  }));
  const replay = await replayRecentHistories(stack.client, { bundlePath: await ensureWorkflowBundle(), query: "ExecutionStatus != 'Running'", limit: REPLAY_LIMIT, saveFailuresTo: join(tmpdir(), 'chaos-replay-failures'), digestFailures: true }).catch(
    (err: unknown) => ({ replayed: 0, failures: [{ workflowId: '(all)', runId: '', error: `the histories could not be read: ${err instanceof Error ? err.message : String(err)}` }] }),
  );
  const answers = checkAnswers(run);
  const undecided = undecidedOrders(run);
  return {
    terminal,
    undecided,
    money: money.violations,
    // Counted from the orders' own records, so the figure stands even when the ledger cannot be read.
    fills: [...run.finals.values()].reduce((sum, f) => sum + (f.order?.fills.length ?? 0), 0),
    replayed: replay.replayed,
    replayFailures: replay.failures,
    answers,
    passed: !terminal.length && !undecided.length && !money.violations.length && !replay.failures.length && replay.replayed > 0 && !answers.violations.length,
  };
}
