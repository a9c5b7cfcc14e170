/**
 * get_tx_status's read: the tx workflow's own record (found by idempotency key, or by hash through
 * the nonce allocator's index of the hashes it has seen), brought up to date with the chain's
 * receipt; or, for a hash this stack did not send, what the chain alone knows about it.
 */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { TransactionNotFoundError, type Hash } from 'viem';
import { evmTxWorkflowId, type EvmTxLookupRequest, type EvmTxLookupResult, type EvmTxRecord, type EvmTxView } from '../../../../schemas/temporal/transactions.js';
import { readEvmTxRecord } from '../../../../temporal/clients/evm-transaction.js';
import { findAllocationByHash } from '../../../../temporal/clients/nonce-allocator.js';
import type { ChainClients } from './chain-clients.js';
import { fetchReceipt, receiptView } from './receipt.js';
import { rpcDecisionOrThrow } from './rpc-errors.js';

const TERMINAL = new Set(['confirmed', 'reverted', 'refused', 'failed']);

function notFound(reason: string): EvmTxLookupResult {
  return { found: false, not_found_reason: reason, view: null, confirmations: null, tx_workflow_id: null, tx_run_id: null };
}

async function txWorkflowRecord(client: Client, key: string): Promise<{ record: EvmTxRecord; runId: string } | null> {
  const found = await readEvmTxRecord(client, key);
  if (!found) return null;
  const { record, runId, executionStatus } = found;
  const ended = executionStatus !== 'RUNNING' && executionStatus !== 'COMPLETED';
  // A run stopped from outside (terminated, timed out) never reached its own verdict.
  if (ended && !TERMINAL.has(record.status)) {
    return {
      record: { ...record, status: 'failed', reason_code: 'WORKFLOW_ENDED', reason: `the transaction workflow ended ${executionStatus.toLowerCase()} while ${record.status}` },
      runId,
    };
  }
  return { record, runId };
}

async function confirmationsOf(clients: ChainClients, view: EvmTxView): Promise<number | null> {
  if (!view.receipt) return null;
  // Uncached: viem otherwise answers from its block-number cache, which lags the chain.
  const head = await clients.client(view.chain_id).getBlockNumber({ cacheTime: 0 });
  // A node behind a load balancer may lag the one that gave the receipt; a receipt is at least one.
  return Math.max(1, Number(head) - view.receipt.block_number + 1);
}

/** A record still waiting on the chain is checked against it now. */
async function withChainState(clients: ChainClients, record: EvmTxRecord): Promise<EvmTxView> {
  if (!record.tx_hash || (record.status !== 'pending' && record.status !== 'signed')) return record;
  const receipt = await fetchReceipt(clients.client(record.chain_id), record.chain_id, record.tx_hash);
  if (!receipt) return record;
  const view = receiptView(receipt);
  return { ...record, status: view.status === 'success' ? 'confirmed' : 'reverted', reason: null, receipt: view };
}

async function foundRecord(clients: ChainClients, client: Client, key: string): Promise<EvmTxLookupResult | null> {
  const found = await txWorkflowRecord(client, key);
  if (!found) return null;
  const view = await withChainState(clients, found.record);
  return {
    found: true,
    not_found_reason: null,
    view,
    confirmations: await confirmationsOf(clients, view),
    tx_workflow_id: evmTxWorkflowId(key),
    tx_run_id: found.runId,
  };
}

async function keyForHash(client: Client, chainId: number, signer: string, hash: string): Promise<string | null> {
  const allocation = await findAllocationByHash(client, { chain_id: chainId, address: signer }, hash);
  return allocation?.idempotency_key ?? null;
}

async function onChainOnly(clients: ChainClients, chainId: number, hash: string): Promise<EvmTxLookupResult | null> {
  const client = clients.client(chainId);
  let tx;
  try {
    tx = await client.getTransaction({ hash: hash as Hash });
  } catch (err) {
    if (err instanceof TransactionNotFoundError) return null;
    rpcDecisionOrThrow(err, chainId, 'eth_getTransactionByHash');
    return null;
  }
  const receipt = tx.blockNumber === null ? null : await fetchReceipt(client, chainId, hash);
  const view: EvmTxView = {
    idempotency_key: null,
    chain_id: chainId,
    status: receipt ? (receipt.status === 'success' ? 'confirmed' : 'reverted') : 'pending',
    reason_code: null,
    reason: 'not sent through this stack (or no longer remembered by it): the chain is the only source',
    from: tx.from,
    to: tx.to ?? null,
    value_wei: tx.value.toString(),
    nonce: tx.nonce,
    tx_hash: tx.hash,
    receipt: receipt ? receiptView(receipt) : null,
  };
  return { found: true, not_found_reason: null, view, confirmations: await confirmationsOf(clients, view), tx_workflow_id: null, tx_run_id: null };
}

export async function lookupEvmTx(clients: ChainClients, signer: string | null, req: EvmTxLookupRequest): Promise<EvmTxLookupResult> {
  const { client } = Context.current();
  if (req.idempotency_key !== null) {
    return (await foundRecord(clients, client, req.idempotency_key)) ?? notFound(`no transaction was sent with idempotency_key ${req.idempotency_key}`);
  }
  const hash = (req.tx_hash ?? '').toLowerCase();
  const configured = clients.endpoints.map((e) => e.chainId);
  if (req.chain_id !== null && !configured.includes(req.chain_id)) {
    return notFound(`chain ${req.chain_id} has no RPC in the worker's EVM_CHAINS (configured: ${configured.join(', ') || 'none'})`);
  }
  const chainIds = req.chain_id !== null ? [req.chain_id] : configured;
  if (signer) {
    for (const chainId of chainIds) {
      const key = await keyForHash(client, chainId, signer, hash);
      const found = key === null ? null : await foundRecord(clients, client, key);
      if (found) return found;
    }
  }
  for (const chainId of chainIds) {
    const found = await onChainOnly(clients, chainId, hash);
    if (found) return found;
  }
  const where = chainIds.length ? `chain${chainIds.length > 1 ? 's' : ''} ${chainIds.join(', ')}` : 'any chain (the worker has no EVM_CHAINS)';
  return notFound(`transaction ${hash} is neither remembered by this stack nor found on ${where}`);
}
