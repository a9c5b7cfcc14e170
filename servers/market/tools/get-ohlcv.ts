import { getOhlcv } from '../../../schemas/market.js';
import type { OhlcvRequest } from '../../../schemas/temporal/market.js';
import { fetchOhlcv } from '../../../temporal/clients/market-requests.js';
import { defineTool } from '../../kit/define-tool.js';
import { simulatedNotice } from './simulated-notice.js';

export const getOhlcvTool = defineTool(getOhlcv, async (input, { temporal, signal }) => {
  const request: OhlcvRequest = { exchange: input.exchange ?? null, symbol: input.symbol, timeframe: input.timeframe, limit: input.limit };
  const { result, workflowId, runId } = await fetchOhlcv(await temporal.client(), temporal.env.taskQueue, request, signal);
  return { ...result, notice: simulatedNotice(result.simulated), workflow_id: workflowId, run_id: runId };
});
