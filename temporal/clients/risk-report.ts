/**
 * The risk report: one short riskReportWorkflow per call (the durable record of what was reported),
 * run and awaited through runRequestWorkflow. It reads the risk workflow's state, fresh inputs and
 * a price history, and never writes to the risk workflow, so reading a report cannot change a
 * decision.
 */
import type { Client } from '@temporalio/client';
import { RISK_REPORT_WORKFLOW, riskReportWorkflowId } from '../../schemas/temporal/risk.js';
import type { riskReportWorkflow } from '../../worker/workflows/risk/risk-report-workflow.js';
import { runRequestWorkflow, type RequestAnswer } from '../request-workflow.js';

/** A report reads a few queries and a price history; past this the worker is missing or stuck. */
const REPORT_WAIT_MS = 60_000;

export function runRiskReport(client: Client, taskQueue: string, account: string, signal?: AbortSignal): Promise<RequestAnswer<typeof riskReportWorkflow>> {
  return runRequestWorkflow<typeof riskReportWorkflow>(client, {
    workflowType: RISK_REPORT_WORKFLOW,
    workflowId: riskReportWorkflowId(account, crypto.randomUUID()),
    taskQueue,
    args: [{ account }],
    what: 'get_risk_report',
    waitMs: REPORT_WAIT_MS,
    signal,
  });
}
