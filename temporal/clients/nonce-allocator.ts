/**
 * The activity side of the nonce allocator: workflows cannot send updates to other workflows, so
 * these activities do it through the worker's Temporal client. Every update carries an id derived
 * from the idempotency key, so a retried activity gets the answer already given, never a second
 * nonce.
 */
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Address } from 'viem';
import {
  NONCE_ALLOCATOR_WORKFLOW,
  allocateNonceUpdate,
  nonceAllocatorWorkflowId,
  recordTxHashUpdate,
  releaseNonceUpdate,
  type AllocateNonceRequest,
  type AllocateNonceResult,
  type NonceAllocatorLimits,
  type RecordTxHashRequest,
  type ReleaseNonceRequest,
} from '../../schemas/temporal/transactions.js';
import type { ChainClients } from '../../worker/activities/execution/transactions/chain-clients.js';
import { rpcDecisionOrThrow } from '../../worker/activities/execution/transactions/rpc-errors.js';

export interface AllocatorAddress {
  chain_id: number;
  address: string;
}

export async function allocateEvmNonce(
  req: AllocatorAddress & { limits: NonceAllocatorLimits; request: AllocateNonceRequest },
): Promise<AllocateNonceResult> {
  const { client, info } = Context.current();
  // The allocator is created by its first allocation and lives on (continuing as new) from then on.
  const startAllocator = new WithStartWorkflowOperation(NONCE_ALLOCATOR_WORKFLOW, {
    workflowId: nonceAllocatorWorkflowId(req.chain_id, req.address),
    taskQueue: info.taskQueue,
    args: [{ chain_id: req.chain_id, address: req.address, limits: req.limits }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(allocateNonceUpdate, {
    args: [req.request],
    updateId: `allocate:${req.request.idempotency_key}:${req.request.attempt}`,
    startWorkflowOperation: startAllocator,
  });
}

export async function releaseEvmNonce(req: AllocatorAddress & { request: ReleaseNonceRequest }): Promise<void> {
  const { client } = Context.current();
  await client.workflow.getHandle(nonceAllocatorWorkflowId(req.chain_id, req.address)).executeUpdate(releaseNonceUpdate, {
    args: [req.request],
    updateId: `release:${req.request.idempotency_key}:${req.request.nonce}`,
  });
}

export async function recordEvmTxHash(req: AllocatorAddress & { request: RecordTxHashRequest }): Promise<void> {
  const { client } = Context.current();
  await client.workflow.getHandle(nonceAllocatorWorkflowId(req.chain_id, req.address)).executeUpdate(recordTxHashUpdate, {
    args: [req.request],
    updateId: `hash:${req.request.tx_hash}`,
  });
}

/** The chain's count of this address's transactions including its pending ones: the next free nonce. */
export async function fetchEvmPendingNonce(clients: ChainClients, req: AllocatorAddress): Promise<number> {
  try {
    return await clients.client(req.chain_id).getTransactionCount({ address: req.address as Address, blockTag: 'pending' });
  } catch (err) {
    const said = rpcDecisionOrThrow(err, req.chain_id, 'eth_getTransactionCount');
    throw new Error(`the RPC of chain ${req.chain_id} answered eth_getTransactionCount with an error: ${said}`);
  }
}
