import { getFills } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, FILLS_JOURNAL_WORKFLOW, type FillsJournalRequest, type JournalPage } from '../../../schemas/temporal/ledger.js';
import { defineTool } from '../../kit/define-tool.js';
import { runLedgerReport } from './run-report.js';

export const getFillsTool = defineTool(getFills, async (input, ctx) => {
  const request: FillsJournalRequest = {
    account: input.account ?? DEFAULT_ACCOUNT,
    journal: { since_ts: input.since_ts ?? null, symbol: input.symbol ?? null, limit: input.limit },
  };
  const { report, ...ids } = await runLedgerReport<JournalPage>(ctx, FILLS_JOURNAL_WORKFLOW, getFills.name, request.account, request);
  return { account: request.account, ...report, ...ids };
});
