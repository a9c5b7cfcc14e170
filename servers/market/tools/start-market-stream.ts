import { startMarketStream } from '../../../schemas/market.js';
import { OPEN_MARKET_STREAM_WORKFLOW, type OpenMarketStreamRequest, type OpenMarketStreamResult } from '../../../schemas/temporal/market.js';
import { defineTool } from '../../kit/define-tool.js';
import { runMarketRequest } from '../../../temporal/request-workflow.js';
import { streamToolResult } from './stream-result.js';

export const startMarketStreamTool = defineTool(startMarketStream, async (input, ctx) => {
  const request: OpenMarketStreamRequest = {
    request_id: crypto.randomUUID(),
    exchange: input.exchange ?? null,
    symbols: input.symbols,
    interval_sec: input.interval_sec,
  };
  return streamToolResult(await runMarketRequest<OpenMarketStreamResult>(ctx, startMarketStream.name, OPEN_MARKET_STREAM_WORKFLOW, request));
});
