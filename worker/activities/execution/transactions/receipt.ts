/**
 * Waits for a transaction's receipt until an absolute deadline chosen by the workflow, so that a
 * retry after a worker crash waits only for what is left. Heartbeats on every poll: a dead worker
 * is noticed within the heartbeat timeout, not after the whole wait.
 */
import { Context } from '@temporalio/activity';
import { TransactionReceiptNotFoundError, type Hash, type TransactionReceipt } from 'viem';
import type { EvmReceiptView } from '../../../../schemas/temporal/transactions.js';
import type { ChainClient, ChainClients } from './chain-clients.js';
import { rpcDecisionOrThrow } from './rpc-errors.js';

export interface WaitForEvmReceiptRequest {
  chain_id: number;
  tx_hash: string;
  /** Epoch milliseconds after which the activity stops waiting and returns null. */
  deadline_ms: number;
  confirmations: number;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;

export function receiptView(receipt: TransactionReceipt): EvmReceiptView {
  return {
    block_number: Number(receipt.blockNumber),
    gas_used: Number(receipt.gasUsed),
    effective_gas_price_wei: receipt.effectiveGasPrice.toString(),
    status: receipt.status,
  };
}

/** The receipt, or null while the transaction is not mined. Throws only when the RPC is unreachable. */
export async function fetchReceipt(client: ChainClient, chainId: number, hash: string): Promise<TransactionReceipt | null> {
  try {
    return await client.getTransactionReceipt({ hash: hash as Hash });
  } catch (err) {
    if (err instanceof TransactionReceiptNotFoundError) return null;
    rpcDecisionOrThrow(err, chainId, 'eth_getTransactionReceipt');
    return null;
  }
}

export async function waitForEvmReceipt(clients: ChainClients, req: WaitForEvmReceiptRequest): Promise<EvmReceiptView | null> {
  const ctx = Context.current();
  const client = clients.client(req.chain_id);
  let pollMs = FIRST_POLL_MS;
  for (;;) {
    ctx.heartbeat();
    try {
      const receipt = await fetchReceipt(client, req.chain_id, req.tx_hash);
      if (receipt) {
        if (req.confirmations <= 1) return receiptView(receipt);
        const head = await client.getBlockNumber({ cacheTime: 0 });
        if (head - receipt.blockNumber + 1n >= BigInt(req.confirmations)) return receiptView(receipt);
      }
    } catch {
      // An RPC hiccup while waiting is not a verdict on the transaction: keep polling until the deadline.
    }
    const left = req.deadline_ms - Date.now();
    if (left <= 0) return null;
    await ctx.sleep(Math.min(pollMs, left));
    pollMs = Math.min(pollMs * 2, MAX_POLL_MS);
  }
}
