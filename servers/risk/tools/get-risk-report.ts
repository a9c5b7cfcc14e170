import { getRiskReport } from '../../../schemas/risk.js';
import { RISK_REPORT_WORKFLOW, riskReportWorkflowId, type RiskReport, type RiskReportInput } from '../../../schemas/temporal/risk.js';
import { defineTool } from '../../kit/define-tool.js';
import { accountOf } from './risk-workflow.js';

/** A report reads a few queries and a price history; past this the worker is missing or stuck. */
const REPORT_TIMEOUT = '1 minute';

export const getRiskReportTool = defineTool(getRiskReport, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const account = accountOf(input);
  const reportInput: RiskReportInput = { account };
  const handle = await client.workflow.start(RISK_REPORT_WORKFLOW, {
    workflowId: riskReportWorkflowId(account, crypto.randomUUID()),
    taskQueue: temporal.env.taskQueue,
    args: [reportInput],
    workflowExecutionTimeout: REPORT_TIMEOUT,
  });
  const report = (await client.withAbortSignal(signal, () => handle.result())) as RiskReport;
  return { ...report, workflow_id: handle.workflowId, run_id: handle.firstExecutionRunId };
});
