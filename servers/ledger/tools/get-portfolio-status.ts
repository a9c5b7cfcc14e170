import { getPortfolioStatus } from '../../../schemas/ledger.js';
import { DEFAULT_ACCOUNT, PORTFOLIO_STATUS_WORKFLOW, type PortfolioStatus, type PortfolioStatusRequest } from '../../../schemas/temporal/ledger.js';
import { defineTool } from '../../kit/define-tool.js';
import { runLedgerReport } from './run-report.js';

export const getPortfolioStatusTool = defineTool(getPortfolioStatus, async (input, ctx) => {
  const request: PortfolioStatusRequest = { account: input.account ?? DEFAULT_ACCOUNT };
  const { report, ...ids } = await runLedgerReport<PortfolioStatus>(ctx, PORTFOLIO_STATUS_WORKFLOW, getPortfolioStatus.name, request.account, request);
  return { ...report, ...ids };
});
