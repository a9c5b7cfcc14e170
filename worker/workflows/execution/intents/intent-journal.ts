/**
 * The intent journal of an account (`intent-journal:<account>`): the record of every approved
 * intent as the bus delivered it, in bus order. Appends are idempotent by bus seq (a repeated
 * delivery is ignored); the newest entries are kept, the count covers all.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { appendIntentJournalUpdate, intentJournalQuery, type IntentJournalInput, type JournalIntent } from '../../../../schemas/temporal/intents.js';

export async function intentJournalWorkflow(input: IntentJournalInput): Promise<void> {
  const state = input.carried ?? { entries: [] as JournalIntent[], last_seq: 0, count: 0, runs: 1 };
  const { settings } = input;
  let handled = 0;

  setHandler(
    appendIntentJournalUpdate,
    (entry) => {
      // The bus delivers in seq order, so anything at or below the last seq is a repeat.
      if (entry.seq <= state.last_seq) return { appended: false, count: state.count };
      state.entries.push({ ...entry, journaled_at: Date.now() });
      if (state.entries.length > settings.journalLimit) state.entries.splice(0, state.entries.length - settings.journalLimit);
      state.last_seq = entry.seq;
      state.count += 1;
      handled += 1;
      return { appended: true, count: state.count };
    },
    {
      validator: (entry) => {
        if (!Number.isInteger(entry?.seq) || entry.seq < 1 || entry.account !== input.account) {
          throw new Error(`a journal entry needs a positive bus seq and account ${input.account}`);
        }
      },
    },
  );
  setHandler(intentJournalQuery, ({ limit }) => ({
    account: input.account,
    entries: state.entries.slice(-Math.max(1, limit)),
    count: state.count,
    last_seq: state.last_seq,
  }));

  await condition(
    () => handled >= settings.continueAsNewAfter || workflowInfo().historyLength >= settings.historyLimit || workflowInfo().continueAsNewSuggested,
  );
  await condition(allHandlersFinished);
  await continueAsNew<typeof intentJournalWorkflow>({ ...input, carried: { ...state, runs: state.runs + 1 } });
}
