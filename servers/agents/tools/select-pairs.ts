import { selectPairs } from '../../../schemas/agents.js';
import type { SelectPairsRequest } from '../../../schemas/temporal/ensemble.js';
import { runPairSelection } from '../../../temporal/clients/select-pairs.js';
import { defineTool } from '../../kit/define-tool.js';

export const selectPairsTool = defineTool(selectPairs, async (input, { temporal }) => {
  const request: SelectPairsRequest = {
    agent: input.agent,
    exchange: input.exchange ?? null,
    symbols: [...new Set(input.symbols)].sort(),
  };
  const requestId = input.request_id ?? crypto.randomUUID();
  const { result, workflowId, runId } = await runPairSelection(await temporal.client(), temporal.env.taskQueue, request, requestId);
  return { ...result, workflow_id: workflowId, run_id: runId };
});
