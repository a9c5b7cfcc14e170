/**
 * The activity side of the nonce allocator: workflows cannot send updates to other workflows, so
 * these activities do it through the worker's Temporal client (temporal/clients/nonce-allocator.ts),
 * and read the chain's own count when the allocator asks for it.
 */
import { Context } from '@temporalio/activity';
import type { Address } from 'viem';
import type { AllocateNonceRequest, AllocateNonceResult, NonceAllocatorLimits, RecordTxHashRequest, ReleaseNonceRequest } from '../../../../schemas/temporal/transactions.js';
import { allocateNonce, recordTxHash, releaseNonce, type AllocatorAddress } from '../../../../temporal/clients/nonce-allocator.js';
import type { ChainClients } from './chain-clients.js';
import { rpcDecisionOrThrow } from './rpc-errors.js';

export type { AllocatorAddress } from '../../../../temporal/clients/nonce-allocator.js';

export async function allocateEvmNonce(req: AllocatorAddress & { limits: NonceAllocatorLimits; request: AllocateNonceRequest }): Promise<AllocateNonceResult> {
  const { client, info } = Context.current();
  return allocateNonce(client, info.taskQueue, req);
}

export async function releaseEvmNonce(req: AllocatorAddress & { request: ReleaseNonceRequest }): Promise<void> {
  await releaseNonce(Context.current().client, req);
}

export async function recordEvmTxHash(req: AllocatorAddress & { request: RecordTxHashRequest }): Promise<void> {
  await recordTxHash(Context.current().client, req);
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
