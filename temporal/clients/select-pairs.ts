/**
 * Owns select_pairs' request: one workflow per request_id (started exactly once, as every mutating
 * tool's is) that opens the pairs' streams, records the selection, tells the agent and creates its
 * nudge schedule. The caller waits for its recorded result.
 */
import type { Client } from '@temporalio/client';
import { SELECT_PAIRS_WORKFLOW, selectPairsWorkflowId, type SelectPairsRequest, type SelectPairsResult } from '../../schemas/temporal/ensemble.js';
import type { selectPairsWorkflow } from '../../worker/workflows/agents/select-pairs.js';
import { sha256Hex, startIdempotent } from '../idempotent-start.js';

export interface SelectedPairs {
  result: SelectPairsResult;
  workflowId: string;
  runId: string;
}

export async function runPairSelection(client: Client, taskQueue: string, request: SelectPairsRequest, requestId: string): Promise<SelectedPairs> {
  const workflowId = selectPairsWorkflowId(requestId);
  const started = await startIdempotent<typeof selectPairsWorkflow>(client, {
    workflowType: SELECT_PAIRS_WORKFLOW,
    workflowId,
    taskQueue,
    args: [request],
    fingerprint: await sha256Hex(request),
    keyName: 'request_id',
  });
  const result = await started.handle.result();
  return { result, workflowId, runId: started.runId };
}
