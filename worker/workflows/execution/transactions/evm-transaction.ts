/**
 * One workflow per sign_and_send_tx idempotency key: policy, simulation, a durable nonce, the
 * signature, the broadcast, the receipt. The order is the safety argument:
 *
 * 1. Nothing is signed until the policy and the chain's own simulation have said yes; a "no" is
 *    the workflow's recorded result (status refused), never a crash.
 * 2. The nonce comes from the per-address allocator workflow, keyed by the idempotency key.
 * 3. Signing is an activity whose result (the raw transaction and its hash) is in the history
 *    before the broadcast activity is even scheduled. After a crash, replay hands back those same
 *    bytes: the broadcast re-sends them, and nothing is signed again.
 * 4. A new signature happens only when the chain proves the old one can never be mined (its nonce
 *    was used by another transaction), and then with a fresh nonce.
 */
import { ActivityFailure, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import {
  evmTxStateQuery,
  type EvmTxRecord,
  type EvmTxRequest,
  type EvmTxStatus,
  type TxDecision,
} from '../../../../schemas/temporal/transactions.js';
import type { TransactionActivities } from '../../../activities/execution/transactions/index.js';
import { checkGasCap, checkTxPolicy } from '../../../../domain/transactions/tx-policy.js';

const { loadEvmTxPolicy } = proxyLocalActivities<TransactionActivities>({ startToCloseTimeout: '10 seconds' });

/** The chain is asked a few times before the request is refused as unreachable (nothing signed yet). */
const { prepareEvmTx } = proxyActivities<TransactionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** Once a nonce is taken or a transaction signed, the work is finished however long the RPC is away. */
const { allocateEvmNonce, recordEvmTxHash, releaseEvmNonce, signEvmTx } = proxyActivities<TransactionActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
/** Heartbeats while the RPC call is in flight: a worker that dies mid-send is replaced within seconds. */
const { broadcastEvmTx } = proxyActivities<TransactionActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** A nonce consumed elsewhere is survivable a few times; beyond that something else is using the key. */
const MAX_NONCE_ATTEMPTS = 3;
const RECEIPT_HEARTBEAT = '15 seconds';

function decide(record: EvmTxRecord, status: EvmTxStatus, decision: TxDecision): EvmTxRecord {
  record.status = status;
  record.reason_code = decision.code;
  record.reason = decision.reason;
  return record;
}

function failureMessage(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function evmTransactionWorkflow(request: EvmTxRequest): Promise<EvmTxRecord> {
  const record: EvmTxRecord = {
    idempotency_key: request.idempotency_key,
    chain_id: request.chain_id,
    status: 'preparing',
    reason_code: null,
    reason: null,
    from: null,
    to: request.to,
    value_wei: request.value_wei,
    data: request.data,
    nonce: null,
    tx_hash: null,
    gas_limit: null,
    receipt: null,
    submitted_at: null,
  };
  setHandler(evmTxStateQuery, () => record);

  const policy = await loadEvmTxPolicy();
  const refusal = checkTxPolicy(request, policy);
  if (refusal) return decide(record, 'refused', refusal);
  const from = policy.signer_address as string;
  record.from = from;

  let prepared;
  try {
    prepared = await prepareEvmTx({ chain_id: request.chain_id, from, to: request.to, value_wei: request.value_wei, data: request.data });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return decide(record, 'refused', {
      code: 'RPC_UNAVAILABLE',
      reason: `the simulation could not be run, so nothing was signed: ${failureMessage(err)}`,
    });
  }
  if (!prepared.ok) return decide(record, 'refused', prepared.refusal);
  const gasRefusal = checkGasCap(prepared.gas_limit, policy);
  if (gasRefusal) return decide(record, 'refused', gasRefusal);
  record.gas_limit = prepared.gas_limit;

  const allocator = { chain_id: request.chain_id, address: from };
  for (let attempt = 0; ; attempt += 1) {
    const allocation = await allocateEvmNonce({
      ...allocator,
      limits: policy.allocator,
      request: {
        idempotency_key: request.idempotency_key,
        value_wei: request.value_wei,
        max_daily_value_wei: policy.max_daily_value_wei,
        attempt,
      },
    });
    if (!allocation.ok) return decide(record, 'refused', allocation.refusal);
    record.nonce = allocation.nonce;

    const signed = await signEvmTx({
      chain_id: request.chain_id,
      to: request.to,
      value_wei: request.value_wei,
      data: request.data,
      nonce: allocation.nonce,
      gas_limit: prepared.gas_limit,
      fees: prepared.fees,
    });
    // From here on the hash is in the history: these bytes are the transaction, whatever happens next.
    record.tx_hash = signed.tx_hash;
    record.status = 'signed';
    record.submitted_at ??= new Date().toISOString();

    const [sent] = await Promise.all([
      broadcastEvmTx({ chain_id: request.chain_id, raw_tx: signed.raw_tx, tx_hash: signed.tx_hash, nonce: allocation.nonce }),
      recordEvmTxHash({ ...allocator, request: { idempotency_key: request.idempotency_key, nonce: allocation.nonce, tx_hash: signed.tx_hash } }),
    ]);
    if (sent.outcome === 'sent' || sent.outcome === 'already_known' || sent.outcome === 'already_mined') break;

    const release = () => releaseEvmNonce({ ...allocator, request: { idempotency_key: request.idempotency_key, nonce: allocation.nonce } });
    if (sent.outcome === 'rejected') {
      // The allocator takes the nonce back (and re-reads the chain before handing out the next one).
      await release();
      return decide(record, 'failed', sent.rejection);
    }
    // nonce_consumed: these bytes can never be mined, so a fresh nonce and signature are safe.
    if (attempt + 1 < MAX_NONCE_ATTEMPTS) continue;
    await release();
    return decide(record, 'failed', {
      code: 'NONCE_CONFLICT',
      reason: `${sent.reason}; gave up after ${MAX_NONCE_ATTEMPTS} nonces: another wallet is sending from this key`,
    });
  }

  record.status = 'pending';
  const { waitForEvmReceipt } = proxyActivities<TransactionActivities>({
    startToCloseTimeout: policy.receipt_timeout_ms + 30_000,
    heartbeatTimeout: RECEIPT_HEARTBEAT,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });
  // An absolute deadline: a retry after a crash waits only for what is left of it.
  const deadline = Date.now() + policy.receipt_timeout_ms;
  let receipt = null;
  try {
    receipt = await waitForEvmReceipt({
      chain_id: request.chain_id,
      tx_hash: record.tx_hash as string,
      deadline_ms: deadline,
      confirmations: policy.confirmations,
    });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
  }
  if (!receipt) {
    record.reason = `no receipt within ${policy.receipt_timeout_ms / 1000} s; the transaction was sent and may still be mined: get_tx_status asks the chain again`;
    return record;
  }
  record.receipt = receipt;
  record.status = receipt.status === 'success' ? 'confirmed' : 'reverted';
  if (record.status === 'reverted') record.reason = 'mined, but the call reverted: the value did not move and the gas was spent';
  return record;
}
