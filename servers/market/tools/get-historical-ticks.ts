import { getHistoricalTicks } from '../../../schemas/market.js';
import type { HistoricalTicksRequest } from '../../../schemas/temporal/market.js';
import { readHistoricalTicks } from '../../../temporal/clients/market-requests.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';
import { simulatedNotice } from './simulated-notice.js';

export const getHistoricalTicksTool = defineTool(getHistoricalTicks, async (input, { temporal, signal }) => {
  const symbols = [...new Set([...(input.symbol ? [input.symbol] : []), ...(input.symbols ?? [])])];
  if (symbols.length === 0) {
    throw new ToolError('INVALID_INPUT', 'name a symbol or symbols', 'Pass symbol (e.g. "BTC/USDT") or symbols (a list).', false);
  }
  const request: HistoricalTicksRequest = {
    exchange: input.exchange ?? null,
    symbols,
    since_ts: input.since_ts ?? null,
    limit: input.limit,
  };
  const { result, workflowId, runId } = await readHistoricalTicks(await temporal.client(), temporal.env.taskQueue, request, signal);
  return {
    exchange: result.exchange,
    simulated: result.simulated,
    notice: simulatedNotice(result.simulated),
    series: result.series.map((s) => ({
      symbol: s.symbol,
      ticks: s.ticks,
      gaps: s.gaps,
      has_more: s.has_more,
      retained: s.retained,
      oldest_ts: s.oldest_ts,
      newest_ts: s.newest_ts,
      workflow_id: s.workflow_id,
    })),
    workflow_id: workflowId,
    run_id: runId,
  };
});
