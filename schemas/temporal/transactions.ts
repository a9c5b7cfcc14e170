/**
 * The Temporal side of the on-chain transaction tools: workflow types, workflow ids, the messages
 * the nonce allocator accepts, and the records the workflows keep. Shared by the execution server
 * (client) and the worker (implementation). Pure definitions only: this module is bundled into
 * workflow code. Amounts in wei are decimal strings (uint256 does not fit a JSON number).
 *
 * Nothing here ever carries key material: the signing key stays inside the worker's activities.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const EVM_TX_WORKFLOW = 'evmTransactionWorkflow';
export const NONCE_ALLOCATOR_WORKFLOW = 'nonceAllocatorWorkflow';
export const EVM_TX_LOOKUP_WORKFLOW = 'evmTxLookupWorkflow';

export const evmTxWorkflowId = (idempotencyKey: string): string => `tx:${idempotencyKey}`;
/** One allocator per signing address and chain: nonces are a per-(chain, address) sequence. */
export const nonceAllocatorWorkflowId = (chainId: number, address: string): string =>
  `evm-nonce:${chainId}:${address.toLowerCase()}`;
export const evmTxLookupWorkflowId = (lookupId: string): string => `tx-lookup:${lookupId}`;

/** What sign_and_send_tx asks for; the key is the workflow id, so it is also part of the record. */
export interface EvmTxRequest {
  idempotency_key: string;
  chain_id: number;
  /** 0x-prefixed 20-byte address as the caller wrote it. */
  to: string;
  value_wei: string;
  /** 0x-prefixed call data, or null for a plain transfer. */
  data: string | null;
}

/**
 * Why a request was refused before anything was signed. A refusal is a decision recorded as the
 * workflow's result, never a crash; the same idempotency_key keeps answering with it.
 */
export const REFUSAL_CODES = [
  'SIGNER_NOT_CONFIGURED',
  'CHAIN_NOT_ALLOWED',
  'RECIPIENT_NOT_ALLOWED',
  'VALUE_ABOVE_CAP',
  'DAILY_CAP_EXCEEDED',
  'GAS_ABOVE_CAP',
  'INVALID_ADDRESS_CHECKSUM',
  'RPC_CHAIN_MISMATCH',
  'RPC_UNAVAILABLE',
  'INSUFFICIENT_FUNDS',
  'SIMULATION_REVERTED',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why a signed transaction never reached the chain (the node said no, definitively). */
export const FAILURE_CODES = ['TX_REJECTED', 'NONCE_CONFLICT'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface TxDecision<C extends string = RefusalCode | FailureCode> {
  code: C;
  reason: string;
}

/**
 * - queued: no worker has started on it yet (reported by the server; the worker never records it)
 * - preparing: policy, simulation and nonce allocation under way; nothing signed yet
 * - signed: the signed transaction and its hash are recorded; broadcasting
 * - pending: the node accepted it; no receipt yet (or none within the receipt timeout)
 * - confirmed / reverted: mined, with that receipt status
 * - refused: stopped before signing (reason_code says why)
 * - failed: signed, but the node rejected it for good; it never reached the chain
 */
export type EvmTxStatus = 'queued' | 'preparing' | 'signed' | 'pending' | 'confirmed' | 'reverted' | 'refused' | 'failed';

export interface EvmReceiptView {
  block_number: number;
  gas_used: number;
  effective_gas_price_wei: string;
  status: 'success' | 'reverted';
}

/** What get_tx_status reports: a transaction of this stack, or one only the chain knows about. */
export interface EvmTxView {
  /** Null for a transaction found on chain that this stack did not send (or no longer remembers). */
  idempotency_key: string | null;
  chain_id: number;
  status: EvmTxStatus;
  reason_code: string | null;
  reason: string | null;
  from: string | null;
  to: string | null;
  value_wei: string | null;
  nonce: number | null;
  tx_hash: string | null;
  receipt: EvmReceiptView | null;
}

/** The tx workflow's state: its query answer while running, its result once done. */
export interface EvmTxRecord extends EvmTxView {
  idempotency_key: string;
  to: string;
  value_wei: string;
  data: string | null;
  gas_limit: string | null;
  /** Workflow time of the first broadcast attempt, ISO-8601. */
  submitted_at: string | null;
}

/** The public part of the worker's chain configuration, recorded in the tx workflow's history. */
export interface EvmTxPolicy {
  /** The worker's signing address, or null when it holds no key. */
  signer_address: string | null;
  /** Configured chains (those with an RPC in EVM_CHAINS) and whether each is allowed. */
  chains: Array<{ chain_id: number; name: string; allowed: boolean }>;
  /** Lowercase addresses; empty means no recipient is allowed. */
  allowed_recipients: string[];
  max_value_wei: string;
  max_daily_value_wei: string | null;
  max_gas: string;
  receipt_timeout_ms: number;
  confirmations: number;
  allocator: NonceAllocatorLimits;
}

export interface NonceAllocatorLimits {
  /** Allocations remembered (for de-duplication and lookup by hash), carried across continue-as-new. */
  remembered: number;
  /** Updates handled before the run continues as new. */
  continueAsNewAfter: number;
}

/** Transaction fields the signer needs; everything public, nothing secret. */
export interface EvmFees {
  type: 'eip1559' | 'legacy';
  /** EIP-1559 fee cap, or the legacy gas price. */
  max_fee_per_gas_wei: string;
  max_priority_fee_per_gas_wei: string | null;
}

export interface EvmUnsignedTx {
  chain_id: number;
  to: string;
  value_wei: string;
  data: string | null;
  nonce: number;
  gas_limit: string;
  fees: EvmFees;
}

export interface EvmSignedTx {
  from: string;
  /** The serialized signed transaction: re-sending these exact bytes is always safe. */
  raw_tx: string;
  tx_hash: string;
}

// ---- nonce allocator ----

export interface NonceAllocatorInput {
  chain_id: number;
  address: string;
  limits: NonceAllocatorLimits;
  carried?: NonceAllocatorState;
}

export interface NonceAllocation {
  idempotency_key: string;
  nonce: number;
  /** 0 for the first allocation of a key; higher after the chain consumed the nonce elsewhere. */
  attempt: number;
  value_wei: string;
  /** UTC day (YYYY-MM-DD) whose spending budget this allocation counts against. */
  day: string;
  tx_hash: string | null;
  released: boolean;
}

export interface NonceAllocatorState {
  /** Next fresh nonce; null until the chain has been asked once. */
  next: number | null;
  /** Nonces handed back by transactions the node rejected, reused lowest first. */
  released: number[];
  /** Ask the chain for its pending nonce before the next allocation (after a release or conflict). */
  resync: boolean;
  /** Most recent allocations, oldest first, bounded by limits.remembered. */
  allocations: NonceAllocation[];
  spent: { day: string; value_wei: string };
}

export interface AllocateNonceRequest {
  idempotency_key: string;
  value_wei: string;
  /** Per-UTC-day total value cap for this address on this chain; null for none. */
  max_daily_value_wei: string | null;
  attempt: number;
}

export type AllocateNonceResult = { ok: true; nonce: number } | { ok: false; refusal: TxDecision<'DAILY_CAP_EXCEEDED'> };

export interface ReleaseNonceRequest {
  idempotency_key: string;
  nonce: number;
}

export interface RecordTxHashRequest {
  idempotency_key: string;
  nonce: number;
  tx_hash: string;
}

export interface NonceAllocatorStatus {
  chain_id: number;
  address: string;
  next: number | null;
  released: number[];
  remembered: number;
  spent_today: { day: string; value_wei: string };
}

export const allocateNonceUpdate = defineUpdate<AllocateNonceResult, [AllocateNonceRequest]>('allocateNonce');
export const releaseNonceUpdate = defineUpdate<void, [ReleaseNonceRequest]>('releaseNonce');
export const recordTxHashUpdate = defineUpdate<void, [RecordTxHashRequest]>('recordTxHash');
export const nonceAllocatorStatusQuery = defineQuery<NonceAllocatorStatus>('nonceAllocatorStatus');
/** The allocation that produced a transaction hash, if still remembered. */
export const allocationByHashQuery = defineQuery<NonceAllocation | null, [string]>('allocationByHash');

export const evmTxStateQuery = defineQuery<EvmTxRecord>('evmTxState');

// ---- get_tx_status ----

export interface EvmTxLookupRequest {
  idempotency_key: string | null;
  tx_hash: string | null;
  chain_id: number | null;
}

export interface EvmTxLookupResult {
  found: boolean;
  /** Why nothing was found, when found is false. */
  not_found_reason: string | null;
  view: EvmTxView | null;
  /** Blocks on top of the receipt's block, including it; null without a receipt. */
  confirmations: number | null;
  tx_workflow_id: string | null;
  tx_run_id: string | null;
}
