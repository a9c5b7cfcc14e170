import { getRiskReport } from '../../../schemas/risk.js';
import { runRiskReport } from '../../../temporal/clients/risk-report.js';
import { defineTool } from '../../kit/define-tool.js';
import { accountOf } from './account-of.js';

export const getRiskReportTool = defineTool(getRiskReport, async (input, { temporal, signal }) => {
  const answer = await runRiskReport(await temporal.client(), temporal.env.taskQueue, accountOf(input), signal);
  return { ...answer.result, workflow_id: answer.workflowId, run_id: answer.runId };
});
