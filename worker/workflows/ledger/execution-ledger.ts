/**
 * One long-lived ledger per account. Fills enter through the applyFill update: its validator
 * refuses what cannot be booked before anything reaches history, and its handler books
 * synchronously (no await), so no other update can run between the check and the booking.
 * While positions are open the ledger samples tick-store marks for its equity curve. It continues
 * as new on a fill count, a history length or the server's suggestion, carrying its bounded state.
 *
 * A new ledger takes its settings (the account's initial cash above all) from the worker's
 * accounts file through a local activity, never from whoever started it; for an account the
 * operator did not configure that fails with UnknownAccount and the ledger ends at once.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
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
  ledgerReadingQuery,
  type LedgerFill,
  type LedgerInput,
} from '../../../schemas/temporal/ledger.js';
import type { LedgerActivities } from '../../activities/ledger/index.js';
import { LedgerBook, LedgerRejection, newLedgerState } from '../../../domain/ledger/ledger-state.js';

const { loadLedgerSettings, loadAccountLedgerSettings } = proxyLocalActivities<LedgerActivities>({ startToCloseTimeout: '10 seconds' });
const { readMarks } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '30 seconds',
  // A missed sample is only a coarser curve: give up on it rather than hold the loop for long.
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/** Ledgers started before accounts were configured took their settings from their start input. */
const SETTINGS_FROM_ACCOUNTS = 'ledger-settings-from-accounts';

/**
 * The hand-over reads the bounds by a regular activity. Read by a local one, its result could
 * reach the run a task later live than on replay, with an update accepted in between, and the
 * continue-as-new then failed replay. Runs begun before this marker keep the local read.
 */
const HANDOVER_SETTINGS_BY_TASK = 'ledger-handover-settings-by-task';

const { loadLedgerSettings: loadLedgerSettingsByTask } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '5 seconds' },
});

function asFailure(err: unknown): unknown {
  return err instanceof LedgerRejection ? ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: true }) : err;
}

export async function executionLedgerWorkflow(input: LedgerInput): Promise<void> {
  // Decided first, before any local activity, so replay finds the marker where the run wrote it.
  const handoverSettingsByTask = patched(HANDOVER_SETTINGS_BY_TASK);
  let book: LedgerBook | undefined = input.carried
    ? new LedgerBook(input.account, input.carried)
    : patched(SETTINGS_FROM_ACCOUNTS)
      ? undefined
      : new LedgerBook(input.account, newLedgerState(input.settings, Date.now()));
  let appliedThisRun = 0;

  /** Validates and books in one synchronous step, so no other update can run in between. */
  function applyNow(current: LedgerBook, fill: LedgerFill) {
    try {
      current.validate(fill);
      const result = current.apply(fill, Date.now());
      if (result.applied) appliedThisRun += 1;
      return result;
    } catch (err) {
      throw asFailure(err);
    }
  }

  setHandler(
    applyFillUpdate,
    // A fill that arrives with the start waits for the settings; validate-and-book stays one step.
    (fill) => (book ? applyNow(book, fill) : condition(() => book !== undefined).then(() => applyNow(book as LedgerBook, fill))),
    {
      validator: (fill) => {
        try {
          book?.validate(fill);
        } catch (err) {
          throw asFailure(err);
        }
      },
    },
  );
  const loaded = (): LedgerBook => {
    if (!book) throw new Error(`the ledger of account ${input.account} is still loading its settings; ask again in a moment`);
    return book;
  };
  setHandler(ledgerBalancesQuery, () => loaded().balances());
  setHandler(ledgerReadingQuery, () => {
    const current = loaded();
    return { run_id: workflowInfo().runId, marks_exchange: current.settings.marksExchange ?? null, balances: current.balances() };
  });
  setHandler(ledgerJournalQuery, (req) => loaded().journalPage(req));
  setHandler(ledgerPerformanceInputsQuery, () => loaded().performanceInputs());

  // UnknownAccount here fails the workflow: an account nobody configured gets no ledger.
  book ??= new LedgerBook(input.account, newLedgerState(await loadAccountLedgerSettings({ account: input.account }), Date.now()));
  const ledger = book;

  const shouldRollOver = () =>
    appliedThisRun >= ledger.settings.continueAsNewAfter ||
    workflowInfo().historyLength >= ledger.settings.historyLimit ||
    workflowInfo().continueAsNewSuggested;

  while (!shouldRollOver()) {
    if (!ledger.hasPositions()) {
      await condition(() => shouldRollOver() || ledger.hasPositions());
      continue;
    }
    if (await condition(shouldRollOver, ledger.settings.equitySampleSec * 1000)) break;
    const marks = await readMarks({ symbols: ledger.positionSymbols() }).catch(() => null);
    if (!marks) continue;
    const prices: Record<string, string> = {};
    for (const [symbol, mark] of Object.entries(marks)) if (mark) prices[symbol] = mark.price;
    ledger.recordEquity(Date.now(), 'mark', prices);
  }

  await condition(allHandlersFinished);
  // Bounds may have been changed in the worker's environment since this run started.
  const settings = await (handoverSettingsByTask ? loadLedgerSettingsByTask() : loadLedgerSettings());
  await continueAsNew<typeof executionLedgerWorkflow>({ account: input.account, settings, carried: ledger.carry(settings) });
}
