import { getPortfolioStatus } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, type PortfolioStatusRequest } from '../../../schemas/temporal/ledger.js';
import { readPortfolioStatus } from '../../../temporal/clients/portfolio-read.js';
import { defineTool } from '../../kit/define-tool.js';

export const getPortfolioStatusTool = defineTool(getPortfolioStatus, async (input, { temporal, signal }) => {
  const request: PortfolioStatusRequest = { account: input.account ?? DEFAULT_ACCOUNT };
  const { report, ...ids } = await readPortfolioStatus(await temporal.client(), temporal.env.taskQueue, request, { signal });
  return { ...report, ...ids };
});
