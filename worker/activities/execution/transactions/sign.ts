/**
 * Signs one fully specified transaction. Signing is deterministic (RFC 6979 nonces), so running
 * this again for the same fields yields the same bytes and hash: even a retry of this activity
 * cannot produce a second, different transaction.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { keccak256, type Address, type Hex, type TransactionSerializable } from 'viem';
import type { EvmSignedTx, EvmUnsignedTx } from '../../../../schemas/temporal/transactions.js';
import type { EvmSigner } from './signer.js';

export const SIGNER_MISSING = 'SignerMissing';
export const SIGNING_OUTSIDE_POLICY = 'SigningOutsidePolicy';

/** What the signer itself will never sign, whatever workflow asks: the static limits, checked again. */
export interface SigningLimits {
  allowedChainIds: readonly number[];
  allowedRecipients: readonly string[];
  maxValueWei: bigint;
  maxGas: bigint;
}

function outsidePolicy(tx: EvmUnsignedTx, limits: SigningLimits): string | null {
  if (!limits.allowedChainIds.includes(tx.chain_id)) return `chain ${tx.chain_id} is not allowed`;
  if (!limits.allowedRecipients.includes(tx.to.toLowerCase())) return `recipient ${tx.to} is not allowed`;
  if (BigInt(tx.value_wei) > limits.maxValueWei) return `value ${tx.value_wei} wei is above EVM_MAX_VALUE_WEI`;
  if (BigInt(tx.gas_limit) > limits.maxGas) return `gas limit ${tx.gas_limit} is above EVM_MAX_GAS`;
  return null;
}

function serializable(tx: EvmUnsignedTx): TransactionSerializable {
  const common = {
    chainId: tx.chain_id,
    to: tx.to as Address,
    value: BigInt(tx.value_wei),
    nonce: tx.nonce,
    gas: BigInt(tx.gas_limit),
    ...(tx.data ? { data: tx.data as Hex } : {}),
  };
  if (tx.fees.type === 'legacy') return { ...common, type: 'legacy', gasPrice: BigInt(tx.fees.max_fee_per_gas_wei) };
  return {
    ...common,
    type: 'eip1559',
    maxFeePerGas: BigInt(tx.fees.max_fee_per_gas_wei),
    maxPriorityFeePerGas: BigInt(tx.fees.max_priority_fee_per_gas_wei ?? '0'),
  };
}

export async function signEvmTx(signer: EvmSigner | null, limits: SigningLimits, tx: EvmUnsignedTx): Promise<EvmSignedTx> {
  if (!signer) {
    throw ApplicationFailure.create({
      type: SIGNER_MISSING,
      message: 'the worker holds no signing key (EVM_PRIVATE_KEY or EVM_KEYSTORE_PATH)',
      nonRetryable: true,
    });
  }
  // The workflow has already applied the policy; this guards the key against any other caller.
  const violation = outsidePolicy(tx, limits);
  if (violation) {
    throw ApplicationFailure.create({ type: SIGNING_OUTSIDE_POLICY, message: `refusing to sign: ${violation}`, nonRetryable: true });
  }
  const raw = await signer.signTransaction(serializable(tx));
  return { from: signer.address, raw_tx: raw, tx_hash: keccak256(raw) };
}
