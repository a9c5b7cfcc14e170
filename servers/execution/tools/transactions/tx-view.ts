/**
 * Shapes the worker's transaction record for a tool result, and turns "nothing happened on chain"
 * outcomes into isError answers that say why and what to do.
 */
import type { EvmTxView } from '../../../../schemas/temporal/transactions.js';
import { ToolError } from '../../../kit/tool-error.js';

export function txViewFields(view: EvmTxView) {
  return {
    chain_id: view.chain_id,
    status: view.status,
    reason_code: view.reason_code,
    reason: view.reason,
    from: view.from,
    to: view.to,
    value_wei: view.value_wei,
    nonce: view.nonce,
    tx_hash: view.tx_hash,
    block_number: view.receipt?.block_number ?? null,
    gas_used: view.receipt?.gas_used ?? null,
    effective_gas_price_wei: view.receipt?.effective_gas_price_wei ?? null,
  };
}

/** A refusal or a node rejection is the answer to sign_and_send_tx, reported as an error. */
export function unsentError(view: EvmTxView, workflowId: string): ToolError | null {
  if (view.status === 'refused') {
    return new ToolError(
      view.reason_code ?? 'TX_REFUSED',
      `refused before signing: ${view.reason ?? 'no reason recorded'} (workflow ${workflowId})`,
      'Nothing was signed or sent. Change the request (or ask the operator to change the worker configuration named above) and send it with a new idempotency_key; this key keeps this answer.',
      false,
    );
  }
  if (view.status === 'failed') {
    return new ToolError(
      view.reason_code ?? 'TX_FAILED',
      `signed but not accepted by the chain: ${view.reason ?? 'no reason recorded'} (transaction ${view.tx_hash ?? 'unknown'}, workflow ${workflowId})`,
      'The transaction never reached the chain and its nonce was handed back. Fix the cause and send again with a new idempotency_key.',
      false,
    );
  }
  return null;
}
