import { getOhlcv } from '../../../schemas/market.js';
import { FETCH_OHLCV_WORKFLOW, type OhlcvRequest, type OhlcvResult } from '../../../schemas/temporal/market.js';
import { defineTool } from '../../kit/define-tool.js';
import { runMarketRequest, simulatedNotice } from '../../../temporal/request-workflow.js';

export const getOhlcvTool = defineTool(getOhlcv, async (input, ctx) => {
  const request: OhlcvRequest = { exchange: input.exchange ?? null, symbol: input.symbol, timeframe: input.timeframe, limit: input.limit };
  const { result, workflowId, runId } = await runMarketRequest<OhlcvResult>(ctx, getOhlcv.name, FETCH_OHLCV_WORKFLOW, request);
  return { ...result, notice: simulatedNotice(result.simulated), workflow_id: workflowId, run_id: runId };
});
