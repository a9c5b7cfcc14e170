import { SEND_WAIT_SEC, signAndSendTx } from '../../../../schemas/execution-tx.js';
import {
  EVM_TX_WORKFLOW,
  evmTxStateQuery,
  evmTxWorkflowId,
  type EvmTxRecord,
  type EvmTxRequest,
  type EvmTxView,
} from '../../../../schemas/temporal/transactions.js';
import { defineTool } from '../../../kit/define-tool.js';
import { resultWithin, sha256Hex, startIdempotent } from '../../../../temporal/idempotent-start.js';
import { txViewFields, unsentError } from './tx-view.js';

/** How long to wait for a running workflow to answer a state query before reporting 'queued'. */
const STATE_QUERY_WAIT_MS = 5_000;

/** What the caller asked for; address and hex letter case do not change the transaction, so they do not count. */
export function txRequestFingerprint(request: EvmTxRequest): Promise<string> {
  return sha256Hex({
    chain_id: request.chain_id,
    to: request.to.toLowerCase(),
    value_wei: request.value_wei,
    data: request.data?.toLowerCase() ?? null,
  });
}

/** The promise's value if it settles successfully within waitMs, otherwise undefined. */
async function answerWithin<T>(promise: Promise<T>, waitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const signAndSendTxTool = defineTool(signAndSendTx, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const request: EvmTxRequest = {
    idempotency_key: input.idempotency_key,
    chain_id: input.chain_id,
    to: input.to,
    value_wei: input.value_wei,
    data: input.data ?? null,
  };
  const started = await startIdempotent(client, {
    workflowType: EVM_TX_WORKFLOW,
    workflowId: evmTxWorkflowId(input.idempotency_key),
    taskQueue: temporal.env.taskQueue,
    args: [request],
    fingerprint: await txRequestFingerprint(request),
    keyName: 'idempotency_key',
  });
  const workflowId = started.handle.workflowId;

  let view: EvmTxView | undefined = await resultWithin<EvmTxRecord>(started.handle, SEND_WAIT_SEC * 1000, signal);
  if (view === undefined) {
    // Still under way: report how far it got. Without a worker the query cannot be answered.
    const state = await answerWithin(started.handle.query(evmTxStateQuery), STATE_QUERY_WAIT_MS);
    view = state ?? {
      ...request,
      status: 'queued',
      reason_code: null,
      reason: 'no worker has picked the transaction up yet; it will be processed when one does',
      from: null,
      nonce: null,
      tx_hash: null,
      receipt: null,
    };
  }
  const unsent = unsentError(view, workflowId);
  if (unsent) throw unsent;
  return {
    idempotency_key: input.idempotency_key,
    ...txViewFields(view),
    duplicate: started.duplicate,
    workflow_id: workflowId,
    run_id: started.runId,
  };
});
