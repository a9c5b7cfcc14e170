import { subscribeCexStream } from '../../../schemas/market.js';
import type { OpenMarketStreamRequest } from '../../../schemas/temporal/market.js';
import { openMarketStream } from '../../../temporal/clients/market-requests.js';
import { defineTool } from '../../kit/define-tool.js';
import { streamToolResult } from './stream-result.js';

export const subscribeCexStreamTool = defineTool(subscribeCexStream, async (input, { temporal, signal }) => {
  const request: OpenMarketStreamRequest = {
    request_id: crypto.randomUUID(),
    exchange: input.exchange,
    symbols: input.symbols,
    interval_sec: input.interval_sec,
  };
  return streamToolResult(await openMarketStream(await temporal.client(), temporal.env.taskQueue, request, signal, 'subscribe_cex_stream'));
});
