import { selectPairs } from '../../../schemas/agents.js';
import {
  SELECT_PAIRS_WORKFLOW,
  selectPairsWorkflowId,
  type SelectPairsRequest,
  type SelectPairsResult,
} from '../../../schemas/temporal/ensemble.js';
import { defineTool } from '../../kit/define-tool.js';
import { sha256Hex, startIdempotent } from '../../../temporal/idempotent-start.js';

export const selectPairsTool = defineTool(selectPairs, async (input, { temporal }) => {
  const client = await temporal.client();
  const symbols = [...new Set(input.symbols)].sort();
  const request: SelectPairsRequest = {
    agent: input.agent,
    exchange: input.exchange ?? null,
    symbols,
  };
  const requestId = input.request_id ?? crypto.randomUUID();
  const started = await startIdempotent(client, {
    workflowType: SELECT_PAIRS_WORKFLOW,
    workflowId: selectPairsWorkflowId(requestId),
    taskQueue: temporal.env.taskQueue,
    args: [request],
    fingerprint: await sha256Hex(request),
    keyName: 'request_id',
  });
  const result = (await started.handle.result()) as SelectPairsResult;
  return { ...result, workflow_id: started.handle.workflowId, run_id: started.runId };
});
