import { getMarketSnapshot } from '../../../schemas/market.js';
import { MARKET_SNAPSHOT_WORKFLOW, type MarketSnapshotRequest, type MarketSnapshotResult } from '../../../schemas/temporal/market.js';
import { defineTool } from '../../kit/define-tool.js';
import { runMarketRequest, simulatedNotice } from '../../../temporal/request-workflow.js';

export const getMarketSnapshotTool = defineTool(getMarketSnapshot, async (input, ctx) => {
  const request: MarketSnapshotRequest = { exchange: input.exchange ?? null, symbols: input.symbols };
  const { result, workflowId, runId } = await runMarketRequest<MarketSnapshotResult>(ctx, getMarketSnapshot.name, MARKET_SNAPSHOT_WORKFLOW, request);
  return { ...result, notice: simulatedNotice(result.simulated), workflow_id: workflowId, run_id: runId };
});
