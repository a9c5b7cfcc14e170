/**
 * Sends recorded signed bytes to the chain's RPC. Re-sending the same bytes is always safe, so
 * this runs as often as it takes; the node's answer is read so that "I already have it" (in the
 * pool, or mined before a crash) counts as sent, and only a definite refusal counts as failure.
 */
import { TransactionNotFoundError, type Hash, type Hex } from 'viem';
import type { FailureCode, TxDecision } from '../../../../schemas/temporal/transactions.js';
import type { ChainClient, ChainClients } from './chain-clients.js';
import { heartbeatingWhile } from './heartbeat.js';
import { ALREADY_KNOWN, NONCE_TAKEN, NONCE_TOO_LOW, rpcDecisionOrThrow } from './rpc-errors.js';

export interface BroadcastEvmTxRequest {
  chain_id: number;
  raw_tx: string;
  tx_hash: string;
  nonce: number;
}

export type BroadcastEvmTxResult =
  | { outcome: 'sent' }
  /** The node holds these exact bytes already (in its pool, or mined): as good as sent. */
  | { outcome: 'already_known' }
  | { outcome: 'already_mined' }
  /** The chain moved past this nonce with another transaction: these bytes can never be mined. */
  | { outcome: 'nonce_consumed'; reason: string }
  | { outcome: 'rejected'; rejection: TxDecision<FailureCode> };

async function findOnChain(client: ChainClient, chainId: number, hash: string): Promise<{ mined: boolean } | null> {
  try {
    const tx = await client.getTransaction({ hash: hash as Hash });
    return { mined: tx.blockNumber !== null };
  } catch (err) {
    if (err instanceof TransactionNotFoundError) return null;
    rpcDecisionOrThrow(err, chainId, 'eth_getTransactionByHash');
    return null;
  }
}

export async function broadcastEvmTx(clients: ChainClients, req: BroadcastEvmTxRequest): Promise<BroadcastEvmTxResult> {
  const client = clients.client(req.chain_id);
  let said: string;
  try {
    await heartbeatingWhile(client.sendRawTransaction({ serializedTransaction: req.raw_tx as Hex }));
    return { outcome: 'sent' };
  } catch (err) {
    said = rpcDecisionOrThrow(err, req.chain_id, 'eth_sendRawTransaction');
  }
  if (ALREADY_KNOWN.test(said)) return { outcome: 'already_known' };
  // Whatever the node said, the chain may already hold these exact bytes (sent before a crash).
  const existing = await heartbeatingWhile(findOnChain(client, req.chain_id, req.tx_hash));
  if (existing) return existing.mined ? { outcome: 'already_mined' } : { outcome: 'already_known' };
  if (NONCE_TOO_LOW.test(said)) {
    return { outcome: 'nonce_consumed', reason: `nonce ${req.nonce} was used by another transaction of this address (${said})` };
  }
  if (NONCE_TAKEN.test(said)) {
    return {
      outcome: 'rejected',
      rejection: { code: 'NONCE_CONFLICT', reason: `another pending transaction of this address holds nonce ${req.nonce}: ${said}` },
    };
  }
  return { outcome: 'rejected', rejection: { code: 'TX_REJECTED', reason: `the node rejected the signed transaction: ${said}` } };
}
