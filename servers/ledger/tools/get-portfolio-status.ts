import { getPortfolioStatus } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, type PortfolioStatusRequest } from '../../../schemas/temporal/ledger.js';
import { runPortfolioStatus } from '../../../temporal/clients/ledger-reports.js';
import { defineTool } from '../../kit/define-tool.js';
import { reportOutput } from './report-output.js';

export const getPortfolioStatusTool = defineTool(getPortfolioStatus, async (input, { temporal, signal }) => {
  const request: PortfolioStatusRequest = { account: input.account ?? DEFAULT_ACCOUNT };
  const { report, ...ids } = reportOutput(await runPortfolioStatus(await temporal.client(), temporal.env.taskQueue, request, { signal }));
  return { ...report, ...ids };
});
