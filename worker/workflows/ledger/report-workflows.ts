/**
 * One short workflow per ledger tool call: it reads the ledger (started on first use) and, where
 * positions need valuing, the tick-store marks, then shapes the report in pure code. The history
 * records exactly what was read and answered.
 */
import { proxyActivities } from '@temporalio/workflow';
import {
  LEDGER_CLOSED,
  type FillsJournalRequest,
  type JournalPage,
  type LedgerBalances,
  type LedgerReport,
  type PerformanceReport,
  type PerformanceReportRequest,
  type PortfolioStatus,
  type PortfolioStatusRequest,
} from '../../../schemas/temporal/ledger.js';
import type { LedgerActivities } from '../../activities/ledger/index.js';
import { performanceReport, portfolioStatus } from '../../../domain/ledger/reports.js';

const { readLedgerBalances, readLedgerJournal, readLedgerPerformanceInputs, readMarks } = proxyActivities<LedgerActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5, nonRetryableErrorTypes: [LEDGER_CLOSED] },
});

async function valued(account: string): Promise<{ status: PortfolioStatus; workflowId: string; runId: string }> {
  const read = await readLedgerBalances({ account });
  const balances: LedgerBalances = read.data;
  const symbols = Object.keys(balances.positions);
  const marks = symbols.length > 0 ? await readMarks({ symbols }) : {};
  return { status: portfolioStatus(balances, marks, Date.now()), workflowId: read.workflow_id, runId: read.run_id };
}

export async function portfolioStatusWorkflow(req: PortfolioStatusRequest): Promise<LedgerReport<PortfolioStatus>> {
  const { status, workflowId, runId } = await valued(req.account);
  return { report: status, ledger_workflow_id: workflowId, ledger_run_id: runId };
}

export async function fillsJournalWorkflow(req: FillsJournalRequest): Promise<LedgerReport<JournalPage>> {
  const read = await readLedgerJournal({ account: req.account, request: req.journal });
  return { report: read.data, ledger_workflow_id: read.workflow_id, ledger_run_id: read.run_id };
}

export async function performanceReportWorkflow(req: PerformanceReportRequest): Promise<LedgerReport<PerformanceReport>> {
  const { status, workflowId, runId } = await valued(req.account);
  const inputs = await readLedgerPerformanceInputs({ account: req.account });
  return {
    report: performanceReport(req.account, inputs.data, status.equity, req.window, status.as_of_ts),
    ledger_workflow_id: workflowId,
    ledger_run_id: runId,
  };
}
