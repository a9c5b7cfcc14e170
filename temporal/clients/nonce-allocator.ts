/**
 * Owns the client side of the nonce allocator (one long-lived workflow per chain and signing
 * address, created by its first allocation and continuing as new): allocating, releasing and
 * recording the hash of a nonce, and the reads, a transaction found by hash and the allocator's
 * status. Every update carries an id derived from the idempotency key, so a retried activity gets
 * the answer already given, never a second nonce.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  NONCE_ALLOCATOR_WORKFLOW,
  allocateNonceUpdate,
  allocationByHashQuery,
  nonceAllocatorStatusQuery,
  nonceAllocatorWorkflowId,
  recordTxHashUpdate,
  releaseNonceUpdate,
  type AllocateNonceRequest,
  type AllocateNonceResult,
  type NonceAllocation,
  type NonceAllocatorLimits,
  type NonceAllocatorStatus,
  type RecordTxHashRequest,
  type ReleaseNonceRequest,
} from '../../schemas/temporal/transactions.js';
import type { nonceAllocatorWorkflow } from '../../worker/workflows/execution/transactions/nonce-allocator.js';

export interface AllocatorAddress {
  chain_id: number;
  address: string;
}

function allocator(client: Client, at: AllocatorAddress): WorkflowHandle<typeof nonceAllocatorWorkflow> {
  return client.workflow.getHandle<typeof nonceAllocatorWorkflow>(nonceAllocatorWorkflowId(at.chain_id, at.address));
}

export async function allocateNonce(
  client: Client,
  taskQueue: string,
  req: AllocatorAddress & { limits: NonceAllocatorLimits; request: AllocateNonceRequest },
): Promise<AllocateNonceResult> {
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  // The allocator is created by its first allocation and lives on (continuing as new) from then on.
  const startAllocator = new WithStartWorkflowOperation<typeof nonceAllocatorWorkflow>(NONCE_ALLOCATOR_WORKFLOW, {
    workflowId: nonceAllocatorWorkflowId(req.chain_id, req.address),
    taskQueue,
    args: [{ chain_id: req.chain_id, address: req.address, limits: req.limits }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(allocateNonceUpdate, {
    args: [req.request],
    updateId: `allocate:${req.request.idempotency_key}:${req.request.attempt}`,
    startWorkflowOperation: startAllocator,
  });
}

export async function releaseNonce(client: Client, req: AllocatorAddress & { request: ReleaseNonceRequest }): Promise<void> {
  await allocator(client, req).executeUpdate(releaseNonceUpdate, {
    args: [req.request],
    updateId: `release:${req.request.idempotency_key}:${req.request.nonce}`,
  });
}

export async function recordTxHash(client: Client, req: AllocatorAddress & { request: RecordTxHashRequest }): Promise<void> {
  await allocator(client, req).executeUpdate(recordTxHashUpdate, {
    args: [req.request],
    updateId: `hash:${req.request.tx_hash}`,
  });
}

function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || (err instanceof Error && /not found/i.test(err.message));
}

/** The allocation a hash was recorded for, or null when this allocator never saw it (or does not exist). */
export async function findAllocationByHash(client: Client, at: AllocatorAddress, txHash: string): Promise<NonceAllocation | null> {
  try {
    return await allocator(client, at).query(allocationByHashQuery, txHash);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export function readAllocatorStatus(client: Client, at: AllocatorAddress): Promise<NonceAllocatorStatus> {
  return allocator(client, at).query(nonceAllocatorStatusQuery);
}
