/**
 * Owns the client side of on-chain transactions: the transaction workflow (one per idempotency
 * key, started exactly once) that sign_and_send_tx starts and waits on for a bounded time, its
 * recorded state, and get_tx_status's lookup, a short request workflow per call.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  EVM_TX_LOOKUP_WORKFLOW,
  EVM_TX_WORKFLOW,
  evmTxLookupWorkflowId,
  evmTxStateQuery,
  evmTxWorkflowId,
  type EvmTxLookupRequest,
  type EvmTxRecord,
  type EvmTxRequest,
} from '../../schemas/temporal/transactions.js';
import type { evmTransactionWorkflow } from '../../worker/workflows/execution/transactions/evm-transaction.js';
import type { evmTxLookupWorkflow } from '../../worker/workflows/execution/transactions/evm-tx-lookup.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../idempotent-start.js';
import { resultWithin, runRequestWorkflow, within, type RequestAnswer } from '../request-workflow.js';

/** How long to wait for a running workflow to answer a state query before reporting it as not picked up. */
const STATE_QUERY_WAIT_MS = 5_000;
/** A lookup is one activity; past this the worker is missing or the RPC is hanging. */
const LOOKUP_WAIT_MS = 30_000;

export type StartedTransaction = StartedWorkflow<typeof evmTransactionWorkflow>;

export interface SentTransaction extends Omit<StartedTransaction, 'handle'> {
  /** The final record, or how far the workflow got; null when no worker has answered at all. */
  record: EvmTxRecord | null;
  workflowId: string;
}

export interface TransactionRecord {
  record: EvmTxRecord;
  runId: string;
  /** The workflow's execution status (RUNNING, COMPLETED, TERMINATED, ...). */
  executionStatus: string;
}

/** What the caller asked for; address and hex letter case do not change the transaction, so they do not count. */
export function txRequestFingerprint(request: EvmTxRequest): Promise<string> {
  return sha256Hex({
    chain_id: request.chain_id,
    to: request.to.toLowerCase(),
    value_wei: request.value_wei,
    data: request.data?.toLowerCase() ?? null,
  });
}

/** Starts (or joins) the workflow of this idempotency key; the same key with another request is an IDEMPOTENCY_CONFLICT. */
export async function startEvmTransaction(client: Client, taskQueue: string, request: EvmTxRequest): Promise<StartedTransaction> {
  const workflowId = evmTxWorkflowId(request.idempotency_key);
  return startIdempotent<typeof evmTransactionWorkflow>(client, {
    workflowType: EVM_TX_WORKFLOW,
    workflowId,
    taskQueue,
    args: [request],
    fingerprint: await txRequestFingerprint(request),
    keyName: 'idempotency_key',
  });
}

/**
 * sign_and_send_tx: starts the transaction and waits up to waitMs for its final record. A
 * transaction still under way is reported as far as it got; without a worker the state query
 * cannot be answered, and the record is null.
 */
export async function sendEvmTransaction(client: Client, taskQueue: string, request: EvmTxRequest, waitMs: number, signal: AbortSignal): Promise<SentTransaction> {
  const started = await startEvmTransaction(client, taskQueue, request);
  const record = (await resultWithin(started.handle, waitMs, signal)) ?? (await within(started.handle.query(evmTxStateQuery).catch(() => undefined), STATE_QUERY_WAIT_MS));
  return { record: record ?? null, runId: started.runId, duplicate: started.duplicate, workflowId: started.handle.workflowId };
}

/** The transaction workflow's own record of this key, or null when no transaction was sent with it. */
export async function readEvmTxRecord(client: Client, idempotencyKey: string): Promise<TransactionRecord | null> {
  const handle = client.workflow.getHandle<typeof evmTransactionWorkflow>(evmTxWorkflowId(idempotencyKey));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err instanceof Error && /not found/i.test(err.message))) return null;
    throw err;
  }
  return { record: await handle.query(evmTxStateQuery), runId: description.runId, executionStatus: description.status.name };
}

/** get_tx_status: one short lookup workflow per call (a read has no idempotency key of its own). */
export function lookupEvmTransaction(
  client: Client,
  taskQueue: string,
  request: EvmTxLookupRequest,
  signal: AbortSignal,
): Promise<RequestAnswer<typeof evmTxLookupWorkflow>> {
  return runRequestWorkflow<typeof evmTxLookupWorkflow>(client, {
    workflowType: EVM_TX_LOOKUP_WORKFLOW,
    workflowId: evmTxLookupWorkflowId(crypto.randomUUID()),
    taskQueue,
    args: [request],
    what: 'get_tx_status',
    waitMs: LOOKUP_WAIT_MS,
    signal,
  });
}
