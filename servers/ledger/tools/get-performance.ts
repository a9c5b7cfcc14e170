import { getPerformance } from '../../../schemas/ledger.js';
import {
  DEFAULT_ACCOUNT,
  PERFORMANCE_REPORT_WORKFLOW,
  type PerformanceReport,
  type PerformanceReportRequest,
} from '../../../schemas/temporal/ledger.js';
import { defineTool } from '../../kit/define-tool.js';
import { runLedgerReport } from './run-report.js';

export const getPerformanceTool = defineTool(getPerformance, async (input, ctx) => {
  const request: PerformanceReportRequest = { account: input.account ?? DEFAULT_ACCOUNT, window: input.window };
  const { report, ...ids } = await runLedgerReport<PerformanceReport>(ctx, PERFORMANCE_REPORT_WORKFLOW, getPerformance.name, request.account, request);
  return { ...report, ...ids };
});
