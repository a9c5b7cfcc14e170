import { getTxStatus } from '../../../../schemas/execution-tx.js';
import {
  EVM_TX_LOOKUP_WORKFLOW,
  evmTxLookupWorkflowId,
  type EvmTxLookupRequest,
  type EvmTxLookupResult,
} from '../../../../schemas/temporal/transactions.js';
import { defineTool } from '../../../kit/define-tool.js';
import { resultWithin } from '../../../../temporal/idempotent-start.js';
import { ToolError } from '../../../kit/tool-error.js';
import { txViewFields } from './tx-view.js';

/** A lookup is one activity; past this the worker is missing or the RPC is hanging. */
const LOOKUP_WAIT_MS = 30_000;

export const getTxStatusTool = defineTool(getTxStatus, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const request: EvmTxLookupRequest = {
    idempotency_key: input.idempotency_key ?? null,
    tx_hash: input.tx_hash ?? null,
    chain_id: input.chain_id ?? null,
  };
  // A read has no idempotency key of its own: each lookup is a fresh, short workflow.
  const handle = await client.workflow.start(EVM_TX_LOOKUP_WORKFLOW, {
    workflowId: evmTxLookupWorkflowId(crypto.randomUUID()),
    taskQueue: temporal.env.taskQueue,
    args: [request],
  });
  const result = await resultWithin<EvmTxLookupResult>(handle, LOOKUP_WAIT_MS, signal);
  if (!result) {
    await handle.terminate('the caller stopped waiting').catch(() => undefined);
    throw new ToolError(
      'LOOKUP_TIMEOUT',
      `no worker answered the lookup within ${LOOKUP_WAIT_MS / 1000} s`,
      'Check that the worker is running (npm start or npm run worker) on this task queue and that its RPC answers.',
      true,
    );
  }
  if (!result.found || !result.view) {
    throw new ToolError(
      'TX_NOT_FOUND',
      result.not_found_reason ?? 'no such transaction',
      'Check the idempotency_key or tx_hash (and chain_id); a transaction refused at the door never got a workflow.',
      false,
    );
  }
  return {
    idempotency_key: result.view.idempotency_key,
    ...txViewFields(result.view),
    confirmations: result.confirmations,
    workflow_id: result.tx_workflow_id,
    run_id: result.tx_run_id,
  };
});
