import type { ToolDefinition } from '../../kit/define-tool.js';
import { getHistoricalTicksTool } from './get-historical-ticks.js';
import { getMarketSnapshotTool } from './get-market-snapshot.js';
import { getOhlcvTool } from './get-ohlcv.js';
import { startMarketStreamTool } from './start-market-stream.js';
import { stopMarketStreamTool } from './stop-market-stream.js';
import { subscribeCexStreamTool } from './subscribe-cex-stream.js';

/** The market server's tools, in the order of its contracts. */
export const marketTools: readonly ToolDefinition[] = [
  subscribeCexStreamTool,
  startMarketStreamTool,
  stopMarketStreamTool,
  getHistoricalTicksTool,
  getMarketSnapshotTool,
  getOhlcvTool,
];
