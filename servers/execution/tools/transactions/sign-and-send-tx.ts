import { SEND_WAIT_SEC, signAndSendTx } from '../../../../schemas/execution-tx.js';
import type { EvmTxRequest, EvmTxView } from '../../../../schemas/temporal/transactions.js';
import { sendEvmTransaction } from '../../../../temporal/clients/evm-transaction.js';
import { defineTool } from '../../../kit/define-tool.js';
import { txViewFields, unsentError } from './tx-view.js';

export const signAndSendTxTool = defineTool(signAndSendTx, async (input, { temporal, signal }) => {
  const request: EvmTxRequest = {
    idempotency_key: input.idempotency_key,
    chain_id: input.chain_id,
    to: input.to,
    value_wei: input.value_wei,
    data: input.data ?? null,
  };
  const sent = await sendEvmTransaction(await temporal.client(), temporal.env.taskQueue, request, SEND_WAIT_SEC * 1000, signal);
  const view: EvmTxView = sent.record ?? {
    ...request,
    status: 'queued',
    reason_code: null,
    reason: 'no worker has picked the transaction up yet; it will be processed when one does',
    from: null,
    nonce: null,
    tx_hash: null,
    receipt: null,
  };
  const unsent = unsentError(view, sent.workflowId);
  if (unsent) throw unsent;
  return {
    idempotency_key: input.idempotency_key,
    ...txViewFields(view),
    duplicate: sent.duplicate,
    workflow_id: sent.workflowId,
    run_id: sent.runId,
  };
});
