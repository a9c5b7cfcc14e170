/**
 * get_portfolio_status at the floor: the running ledger's balances by one query, each position's
 * mark from its tick store by one query, valued by the same pure code the report workflow runs.
 * Nothing is written: a read changes no state, and every fill the answer is made of is already in
 * the ledger's own history. A ledger that cannot answer that way (none yet, a closed run, one still
 * loading its settings, one begun before it named the exchange that marks it, or no worker in
 * time) is read by the report workflow instead, which starts it or says why it cannot.
 */
import type { Client } from '@temporalio/client';
import { ledgerWorkflowId, type PortfolioStatus, type PortfolioStatusRequest } from '../../schemas/temporal/ledger.js';
import { portfolioStatus } from '../../domain/ledger/reports.js';
import { queryLedgerReading } from './ledger.js';
import { readMarksFromTickStores } from './marks.js';
import { runPortfolioStatus, type LedgerReportOptions } from './ledger-reports.js';

/** A running ledger answers a query in milliseconds; past this it is busy or unserved, and the report workflow waits for it. */
const LEDGER_QUERY_TIMEOUT_MS = 3_000;

export interface PortfolioRead {
  report: PortfolioStatus;
  workflow_id: string;
  run_id: string;
  /** The report workflow that recorded the read; null when the running ledger answered a query. */
  report_workflow_id: string | null;
}

export async function readPortfolioStatus(
  client: Client,
  taskQueue: string,
  request: PortfolioStatusRequest,
  options: LedgerReportOptions = {},
): Promise<PortfolioRead> {
  const reading = await queryLedgerReading(client, request.account, LEDGER_QUERY_TIMEOUT_MS);
  if (reading?.marks_exchange) {
    const symbols = Object.keys(reading.balances.positions);
    const marks = symbols.length > 0 ? await readMarksFromTickStores(client, reading.marks_exchange, symbols) : {};
    return {
      report: portfolioStatus(reading.balances, marks, Date.now()),
      workflow_id: ledgerWorkflowId(request.account),
      run_id: reading.run_id,
      report_workflow_id: null,
    };
  }
  options.signal?.throwIfAborted();
  const answer = await runPortfolioStatus(client, taskQueue, request, options);
  return {
    report: answer.result.report,
    workflow_id: answer.result.ledger_workflow_id,
    run_id: answer.result.ledger_run_id,
    report_workflow_id: answer.workflowId,
  };
}
