/**
 * Drives the transaction workflows the way the execution server does, through the same clients
 * (idempotent start by key, then the recorded result: temporal/clients/evm-transaction.ts), and
 * reads back what a test asserts on: the activities a run scheduled, the allocator's state.
 */
import type { Client } from '@temporalio/client';
import type { EvmTxRecord, EvmTxRequest, NonceAllocatorStatus } from '../../schemas/temporal/transactions.js';
import { startEvmTransaction } from '../../temporal/clients/evm-transaction.js';
import { readAllocatorStatus } from '../../temporal/clients/nonce-allocator.js';
import type { Anvil } from '../../scripts/chain/anvil.js';

export interface EvmWorkerSettings {
  anvil: Anvil;
  privateKey?: string;
  recipients?: string[];
  maxValueWei?: bigint;
  maxDailyValueWei?: bigint;
  receiptTimeoutSec?: number;
  /** Extra chains: id -> RPC URL (to test configured-but-not-allowed chains). */
  extraChains?: Record<number, string>;
  allowedChains?: number[];
  rpcUrl?: string;
  /** Any further worker variables (e.g. EVM_NONCE_CONTINUE_AS_NEW_AFTER). */
  extra?: Record<string, string>;
}

/** The worker environment for a chain test, in the same variables an operator sets. */
export function evmWorkerEnv(s: EvmWorkerSettings): Record<string, string> {
  const chains: Record<string, { rpc_url: string; name: string }> = {
    [s.anvil.chainId]: { rpc_url: s.rpcUrl ?? s.anvil.rpcUrl, name: 'anvil' },
  };
  for (const [id, url] of Object.entries(s.extraChains ?? {})) chains[id] = { rpc_url: url, name: `extra ${id}` };
  return {
    EVM_CHAINS: JSON.stringify(chains),
    ...(s.allowedChains ? { EVM_ALLOWED_CHAINS: s.allowedChains.join(',') } : {}),
    ...(s.privateKey ? { EVM_PRIVATE_KEY: s.privateKey } : {}),
    ...(s.recipients ? { EVM_ALLOWED_RECIPIENTS: s.recipients.join(',') } : {}),
    ...(s.maxValueWei !== undefined ? { EVM_MAX_VALUE_WEI: s.maxValueWei.toString() } : {}),
    ...(s.maxDailyValueWei !== undefined ? { EVM_MAX_DAILY_VALUE_WEI: s.maxDailyValueWei.toString() } : {}),
    ...(s.receiptTimeoutSec !== undefined ? { EVM_RECEIPT_TIMEOUT_SEC: String(s.receiptTimeoutSec) } : {}),
    ...s.extra,
  };
}

export function txRequest(key: string, chainId: number, to: string, valueWei: bigint, data: string | null = null): EvmTxRequest {
  return { idempotency_key: key, chain_id: chainId, to, value_wei: valueWei.toString(), data };
}

/** Starts (or joins) the workflow of this key exactly as sign_and_send_tx does and waits for its record. */
export async function sendTx(client: Client, taskQueue: string, request: EvmTxRequest): Promise<EvmTxRecord & { duplicate: boolean }> {
  const started = await startEvmTransaction(client, taskQueue, request);
  const record = await started.handle.result();
  return { ...record, duplicate: started.duplicate };
}

/** Activity types scheduled by one workflow run, in order (retries of one activity count once). */
export async function scheduledActivities(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((name): name is string => typeof name === 'string');
}

export async function allocatorStatus(client: Client, chainId: number, address: string): Promise<NonceAllocatorStatus> {
  return readAllocatorStatus(client, { chain_id: chainId, address });
}
