/**
 * The ledger reports behind get_portfolio_status, get_fills and get_performance: one short report
 * workflow per call (recorded, replayable), run and awaited through runRequestWorkflow. Each reads
 * the account's ledger (started on first use) and answers with the ledger execution it read; its
 * workflow id names the tool that asked, grouping the reports in the Temporal UI.
 */
import type { Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import {
  FILLS_JOURNAL_WORKFLOW,
  PERFORMANCE_REPORT_WORKFLOW,
  PORTFOLIO_STATUS_WORKFLOW,
  ledgerReportWorkflowId,
  type FillsJournalRequest,
  type PerformanceReportRequest,
  type PortfolioStatusRequest,
} from '../../schemas/temporal/ledger.js';
import type { fillsJournalWorkflow, performanceReportWorkflow, portfolioStatusWorkflow } from '../../worker/workflows/ledger/report-workflows.js';
import { runRequestWorkflow, type RequestAnswer } from '../request-workflow.js';

/** A report reads the ledger and a few tick stores; past this the worker is missing or stuck. */
const REPORT_WAIT_MS = 20_000;

export interface LedgerReportOptions {
  signal?: AbortSignal;
  /** How long to wait for the answer (20 s by default). */
  waitMs?: number;
}

function runReport<W extends Workflow>(
  client: Client,
  taskQueue: string,
  report: { workflowType: string; tool: string; account: string; args: Parameters<W> },
  options: LedgerReportOptions,
): Promise<RequestAnswer<W>> {
  return runRequestWorkflow<W>(client, {
    workflowType: report.workflowType,
    workflowId: ledgerReportWorkflowId(report.tool, report.account, crypto.randomUUID()),
    taskQueue,
    args: report.args,
    what: report.tool,
    waitMs: options.waitMs ?? REPORT_WAIT_MS,
    signal: options.signal,
  });
}

export function runPortfolioStatus(
  client: Client,
  taskQueue: string,
  request: PortfolioStatusRequest,
  options: LedgerReportOptions = {},
): Promise<RequestAnswer<typeof portfolioStatusWorkflow>> {
  const report = { workflowType: PORTFOLIO_STATUS_WORKFLOW, tool: 'get_portfolio_status', account: request.account, args: [request] as [PortfolioStatusRequest] };
  return runReport<typeof portfolioStatusWorkflow>(client, taskQueue, report, options);
}

export function runFillsJournal(
  client: Client,
  taskQueue: string,
  request: FillsJournalRequest,
  options: LedgerReportOptions = {},
): Promise<RequestAnswer<typeof fillsJournalWorkflow>> {
  const report = { workflowType: FILLS_JOURNAL_WORKFLOW, tool: 'get_fills', account: request.account, args: [request] as [FillsJournalRequest] };
  return runReport<typeof fillsJournalWorkflow>(client, taskQueue, report, options);
}

export function runPerformanceReport(
  client: Client,
  taskQueue: string,
  request: PerformanceReportRequest,
  options: LedgerReportOptions = {},
): Promise<RequestAnswer<typeof performanceReportWorkflow>> {
  const report = { workflowType: PERFORMANCE_REPORT_WORKFLOW, tool: 'get_performance', account: request.account, args: [request] as [PerformanceReportRequest] };
  return runReport<typeof performanceReportWorkflow>(client, taskQueue, report, options);
}
