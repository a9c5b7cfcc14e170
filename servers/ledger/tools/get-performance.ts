import { getPerformance } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, type PerformanceReportRequest } from '../../../schemas/temporal/ledger.js';
import { runPerformanceReport } from '../../../temporal/clients/ledger-reports.js';
import { defineTool } from '../../kit/define-tool.js';
import { reportOutput } from './report-output.js';

export const getPerformanceTool = defineTool(getPerformance, async (input, { temporal, signal }) => {
  const request: PerformanceReportRequest = { account: input.account ?? DEFAULT_ACCOUNT, window: input.window };
  const { report, ...ids } = reportOutput(await runPerformanceReport(await temporal.client(), temporal.env.taskQueue, request, { signal }));
  return { ...report, ...ids };
});
