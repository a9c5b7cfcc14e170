import { getFills } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, type FillsJournalRequest } from '../../../schemas/temporal/ledger.js';
import { runFillsJournal } from '../../../temporal/clients/ledger-reports.js';
import { defineTool } from '../../kit/define-tool.js';
import { reportOutput } from './report-output.js';

export const getFillsTool = defineTool(getFills, async (input, { temporal, signal }) => {
  const request: FillsJournalRequest = {
    account: input.account ?? DEFAULT_ACCOUNT,
    journal: { since_ts: input.since_ts ?? null, symbol: input.symbol ?? null, limit: input.limit },
  };
  const { report, ...ids } = reportOutput(await runFillsJournal(await temporal.client(), temporal.env.taskQueue, request, { signal }));
  return { account: request.account, ...report, ...ids };
});
