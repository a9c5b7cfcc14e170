import { getMarketSnapshot } from '../../../schemas/market.js';
import type { MarketSnapshotRequest } from '../../../schemas/temporal/market.js';
import { readMarketSnapshot } from '../../../temporal/clients/market-requests.js';
import { defineTool } from '../../kit/define-tool.js';
import { simulatedNotice } from './simulated-notice.js';

export const getMarketSnapshotTool = defineTool(getMarketSnapshot, async (input, { temporal, signal }) => {
  const request: MarketSnapshotRequest = { exchange: input.exchange ?? null, symbols: input.symbols };
  const { result, workflowId, runId } = await readMarketSnapshot(await temporal.client(), temporal.env.taskQueue, request, signal);
  return { ...result, notice: simulatedNotice(result.simulated), workflow_id: workflowId, run_id: runId };
});
