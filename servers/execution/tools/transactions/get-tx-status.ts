import { getTxStatus } from '../../../../schemas/execution-tx.js';
import type { EvmTxLookupRequest } from '../../../../schemas/temporal/transactions.js';
import { lookupEvmTransaction } from '../../../../temporal/clients/evm-transaction.js';
import { defineTool } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';
import { txViewFields } from './tx-view.js';

export const getTxStatusTool = defineTool(getTxStatus, async (input, { temporal, signal }) => {
  const request: EvmTxLookupRequest = {
    idempotency_key: input.idempotency_key ?? null,
    tx_hash: input.tx_hash ?? null,
    chain_id: input.chain_id ?? null,
  };
  const { result } = await lookupEvmTransaction(await temporal.client(), temporal.env.taskQueue, request, signal);
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
