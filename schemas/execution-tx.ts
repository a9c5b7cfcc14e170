import { z } from 'zod';
import { defineContract, type ToolContract } from './contract.js';
import { idempotencyKey, workflowRef } from './common.js';

/** Call data above this size is refused at the door (128 KiB, the usual node limit for a transaction). */
export const MAX_TX_DATA_BYTES = 131_072;
/** Seconds sign_and_send_tx waits for the outcome before answering with the status so far. */
export const SEND_WAIT_SEC = 30;

const UINT256_MAX = (1n << 256n) - 1n;

const chainId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('EVM chain id, e.g. 1 (Ethereum), 8453 (Base), 31337 (a local node)');

const address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'use a 0x-prefixed 20-byte hex address (42 characters)');

const WEI_DIGITS = /^(0|[1-9][0-9]*)$/;
const weiAmount = z
  .string()
  .regex(WEI_DIGITS, 'use a whole number of wei as a decimal string without sign or decimals, e.g. "1000000000000000" for 0.001 ETH')
  // Only digits reach BigInt; anything else has already been reported by the pattern.
  .refine((v) => !WEI_DIGITS.test(v) || BigInt(v) <= UINT256_MAX, 'must fit in 256 bits');

const callData = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'use 0x-prefixed hex with an even number of digits')
  .max(2 + 2 * MAX_TX_DATA_BYTES, `must be at most ${MAX_TX_DATA_BYTES} bytes`);

const txHash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'use a 0x-prefixed 32-byte hex transaction hash (66 characters)');

const txStatus = z
  .enum(['queued', 'preparing', 'signed', 'pending', 'confirmed', 'reverted', 'refused', 'failed'])
  .describe(
    'queued: no worker has picked it up yet; preparing: policy, simulation and nonce; signed: hash recorded, being broadcast; pending: accepted by the node, no receipt yet; confirmed / reverted: mined with that outcome; refused: stopped before signing; failed: signed but rejected by the node, never on chain',
  );

/** What both tools report about one transaction. */
const txView = {
  chain_id: z.number().int(),
  status: txStatus,
  reason_code: z.string().nullable().describe('Why it was refused or failed, as a code (e.g. RECIPIENT_NOT_ALLOWED); null otherwise'),
  reason: z.string().nullable().describe('The reason in words, or a note on the status'),
  from: z.string().nullable().describe("The worker's signing address"),
  to: z.string().nullable(),
  value_wei: z.string().nullable(),
  nonce: z.number().int().nonnegative().nullable(),
  tx_hash: z.string().nullable().describe('Known (and recorded) from the moment the transaction is signed, before it is sent'),
  block_number: z.number().int().nonnegative().nullable(),
  gas_used: z.number().int().nonnegative().nullable(),
  effective_gas_price_wei: z.string().nullable(),
};

export const signAndSendTx = defineContract({
  name: 'sign_and_send_tx',
  group: 'execution',
  title: 'Sign and send an EVM transaction',
  description: `Sign a transaction with the worker's key (never passed in or returned) and broadcast it on the chain's configured RPC, then wait up to ${SEND_WAIT_SEC} s for its receipt. The operator's allowlists and caps apply: chains (EVM_ALLOWED_CHAINS), recipients (EVM_ALLOWED_RECIPIENTS), value per transaction and per day; anything outside them, or anything that fails simulation, is refused before signing with a reason. Exactly once per idempotency_key: a repeat returns the same transaction, never a second one. A status of 'pending' means sent but not yet mined: ask get_tx_status later.`,
  input: z.object({
    idempotency_key: idempotencyKey.describe('Names this transaction: the same key always means the same transaction, however often it is sent'),
    chain_id: chainId,
    to: address.describe('Recipient (or contract) address; must be in the allowlist'),
    value_wei: weiAmount.describe('Amount of the native coin to send, in wei, as a decimal string ("0" for a pure contract call)'),
    data: callData.optional().describe('Call data for a contract call, 0x-prefixed hex; omit for a plain transfer'),
  }),
  output: z.object({
    idempotency_key: z.string(),
    ...txView,
    duplicate: z.boolean().describe('True when this idempotency_key had been used before: nothing new was signed or sent'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
});

export const getTxStatus = defineContract({
  name: 'get_tx_status',
  group: 'execution',
  title: 'Get an EVM transaction status',
  description:
    'The status of a transaction sent with sign_and_send_tx, by its idempotency_key or tx_hash, checked against the chain now (a pending transaction may have been mined since). A hash this stack did not send is looked up on the configured chains. Give exactly one of idempotency_key or tx_hash.',
  input: z
    .object({
      idempotency_key: idempotencyKey.optional().describe('The key the transaction was sent with'),
      tx_hash: txHash.optional().describe('The transaction hash'),
      chain_id: chainId.optional().describe('Where to look for a tx_hash; every configured chain when omitted'),
    })
    .refine((v) => (v.idempotency_key === undefined) !== (v.tx_hash === undefined), 'give exactly one of idempotency_key or tx_hash'),
  output: z.object({
    idempotency_key: z.string().nullable().describe('Null for a transaction this stack did not send'),
    ...txView,
    confirmations: z.number().int().nonnegative().nullable().describe('Blocks including and after the one that mined it'),
    workflow_id: z.string().nullable().describe('The transaction workflow behind it; null when the stack did not send it'),
    run_id: z.string().nullable(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

/** On-chain transaction tools (sign_and_send_tx, get_tx_status). */
export const executionTxContracts: readonly ToolContract[] = [signAndSendTx, getTxStatus];
