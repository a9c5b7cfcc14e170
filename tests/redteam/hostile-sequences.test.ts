/**
 * Red team, property-based: random sequences of tool calls by a hostile client (checks, market and
 * limit orders resting, crossing soon or beyond the collar, intents, cancels, the agent moving the
 * state both ways, self-answered elicitations, a person with the operator's code, the operator,
 * look-alike account names, replayed ids, reused intent ids, odd sizes, forbidden keys, pauses)
 * against the real worker through the spawned servers, with every invariant checked after EVERY
 * step. Each sequence trades in an account of its own; the limits are small so sequences reach them.
 *
 * REDTEAM_SEQUENCES and REDTEAM_STEPS set the size of the run (CI defaults below), REDTEAM_SEED
 * replays a run's steps (the market and the timing are live, so a replay is close, not exact), and
 * REDTEAM_VERBOSE=1 prints each sequence's steps.
 * fast-check does not shrink a failure here: every step costs real workflows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tradingStateRank } from '../../schemas/temporal/risk.js';
import { formatViolations } from './invariants.js';
import { hostileStep, playStep, SequenceMemory, type Step } from './harness/hostile-steps.js';
import { newParty, useRedteamStack } from './harness/session.js';

function envCount(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} must be a whole number of at least 1`);
  return value;
}

const SEQUENCES = envCount('REDTEAM_SEQUENCES', 6);
const STEPS = envCount('REDTEAM_STEPS', 25);
const SEED = process.env.REDTEAM_SEED?.trim() ? Number(process.env.REDTEAM_SEED) : Math.floor(Math.random() * 2 ** 31);
/** REDTEAM_VERBOSE=1 prints every sequence's steps, passing or not. */
const VERBOSE = process.env.REDTEAM_VERBOSE === '1';
/** A generous ceiling per step: the call, the invariant check and the longest pause. */
const STEP_BUDGET_MS = 12_000;

const stack = useRedteamStack('hostile', {
  RISK_MAX_ORDER_NOTIONAL: '1500',
  RISK_MAX_SYMBOL_NOTIONAL: '3000',
  RISK_MAX_GROSS_EXPOSURE: '5000',
  RISK_MAX_WORKING_ORDERS: '4',
  RISK_MAX_DAILY_LOSS: '25',
  RISK_RESERVATION_TTL_SEC: '3',
  RISK_DUPLICATE_WINDOW_SEC: '5',
  RISK_THROTTLE_WINDOW_SEC: '20',
  RISK_MAX_ORDERS_PER_WINDOW: '12',
  RISK_MAX_REJECTIONS_PER_WINDOW: '15',
});

describe('red team: hostile sequences', () => {
  it(
    `keep every invariant after every step (${SEQUENCES} sequences x ${STEPS} steps)`,
    async () => {
      const totals = { sequences: 0, steps: 0, checks: 0, orders: 0, fills: 0, loosenings: 0 };
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(hostileStep, { minLength: STEPS, maxLength: STEPS }), async (steps: Step[]) => {
            totals.sequences += 1;
            const party = await newParty(stack(), 'hs');
            const memory = new SequenceMemory(party.account);
            const played: string[] = [];
            for (const [n, step] of steps.entries()) {
              const started = Date.now();
              const described = await playStep(party.client, memory, step, n);
              const checkedAt = Date.now();
              const violations = await party.checker.check();
              played.push(`${n + 1}. ${described} (step ${checkedAt - started} ms, check ${Date.now() - checkedAt} ms)`);
              totals.steps += 1;
              totals.checks += 1;
              if (violations.length > 0) {
                throw new Error(`account ${party.account}, after step ${n + 1}:\n${formatViolations(violations)}\n\nsteps played:\n${played.join('\n')}`);
              }
            }
            if (VERBOSE) console.log(`account ${party.account}:\n${played.join('\n')}`);
            // What the sequence got through the gate, so a run that only ever met refusals shows as one.
            const last = party.checker.last;
            totals.orders += party.journal.orders.size;
            totals.fills += last?.fills?.fill_count ?? 0;
            totals.loosenings += (last?.stateLog ?? []).filter((c) => tradingStateRank(c.to) < tradingStateRank(c.from)).length;
          }),
          { numRuns: SEQUENCES, seed: SEED, endOnFailure: true },
        );
      } catch (err) {
        // fast-check reports the counterexample; the violations are in the error it caught.
        const cause = err instanceof Error && err.cause instanceof Error ? `\n\n${err.cause.message}` : '';
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`hostile sequences broke an invariant (replay the steps with REDTEAM_SEED=${SEED}):${cause}\n\n${message}`);
      } finally {
        console.log(
          `hostile sequences: ${totals.sequences} sequences, ${totals.steps} steps, ${totals.checks} invariant checks; ` +
            `${totals.orders} orders, ${totals.fills} fills, ${totals.loosenings} loosenings by a person (seed ${SEED})`,
        );
      }
      expect(totals.steps).toBe(SEQUENCES * STEPS);
    },
    SEQUENCES * STEPS * STEP_BUDGET_MS + 60_000,
  );
});
