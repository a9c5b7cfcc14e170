/**
 * One long-lived ledger per account. Fills enter through the applyFill update: its validator
 * refuses what cannot be booked before anything reaches history, and its handler books
 * synchronously (no await), so no other update can run between the check and the booking.
 * While positions are open the ledger samples tick-store marks for its equity curve. It continues
 * as new on a fill count, a history length or the server's suggestion, carrying its bounded state.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  applyFillUpdate,
  ledgerBalancesQuery,
  ledgerJournalQuery,
  ledgerPerformanceInputsQuery,
  type LedgerInput,
} from '../../../schemas/temporal/ledger.js';
import type { LedgerActivities } from '../../activities/ledger/index.js';
import { LedgerBook, LedgerRejection, newLedgerState } from '../../../domain/ledger/ledger-state.js';

const { loadLedgerSettings } = proxyLocalActivities<LedgerActivities>({ startToCloseTimeout: '10 seconds' });
const { readMarks } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '30 seconds',
  // A missed sample is only a coarser curve: give up on it rather than hold the loop for long.
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

export async function executionLedgerWorkflow(input: LedgerInput): Promise<void> {
  const book = new LedgerBook(input.account, input.carried ?? newLedgerState(input.settings, Date.now()));
  let appliedThisRun = 0;

  setHandler(
    applyFillUpdate,
    (fill) => {
      try {
        const result = book.apply(fill, Date.now());
        if (result.applied) appliedThisRun += 1;
        return result;
      } catch (err) {
        // Unreachable while validate and apply agree (the validator ran against this same state).
        if (err instanceof LedgerRejection) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
        throw err;
      }
    },
    {
      validator: (fill) => {
        try {
          book.validate(fill);
        } catch (err) {
          if (err instanceof LedgerRejection) throw ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true });
          throw err;
        }
      },
    },
  );
  setHandler(ledgerBalancesQuery, () => book.balances());
  setHandler(ledgerJournalQuery, (req) => book.journalPage(req));
  setHandler(ledgerPerformanceInputsQuery, () => book.performanceInputs());

  const shouldRollOver = () =>
    appliedThisRun >= book.settings.continueAsNewAfter ||
    workflowInfo().historyLength >= book.settings.historyLimit ||
    workflowInfo().continueAsNewSuggested;

  while (!shouldRollOver()) {
    if (!book.hasPositions()) {
      await condition(() => shouldRollOver() || book.hasPositions());
      continue;
    }
    if (await condition(shouldRollOver, book.settings.equitySampleSec * 1000)) break;
    const marks = await readMarks({ symbols: book.positionSymbols() }).catch(() => null);
    if (!marks) continue;
    const prices: Record<string, string> = {};
    for (const [symbol, mark] of Object.entries(marks)) if (mark) prices[symbol] = mark.price;
    book.recordEquity(Date.now(), 'mark', prices);
  }

  await condition(allHandlersFinished);
  // Bounds may have been changed in the worker's environment since this run started.
  const settings = await loadLedgerSettings();
  await continueAsNew<typeof executionLedgerWorkflow>({ account: input.account, settings, carried: book.carry(settings) });
}
