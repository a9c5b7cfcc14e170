import { stopMarketStream } from '../../../schemas/market.js';
import type { StopMarketStreamRequest } from '../../../schemas/temporal/market.js';
import { stopMarketStreams } from '../../../temporal/clients/market-requests.js';
import { defineTool } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';

export const stopMarketStreamTool = defineTool(stopMarketStream, async (input, { temporal, signal }) => {
  if (!input.symbols && !input.stream_id) {
    throw new ToolError('INVALID_INPUT', 'name the symbols to stop or a stream_id', 'Pass symbols (e.g. ["BTC/USDT"]) or the stream_id that start_market_stream returned.', false);
  }
  if (input.stream_id && input.exchange) {
    throw new ToolError('INVALID_INPUT', 'a stream_id already names its exchange', 'Pass either stream_id or exchange, not both.', false);
  }
  const request: StopMarketStreamRequest = {
    exchange: input.exchange ?? null,
    symbols: input.symbols ?? null,
    stream_id: input.stream_id ?? null,
  };
  const { result, workflowId, runId } = await stopMarketStreams(await temporal.client(), temporal.env.taskQueue, request, signal);
  return { ...result, workflow_id: workflowId, run_id: runId };
});
