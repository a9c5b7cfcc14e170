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

export async function signEvmTx(signer: EvmSigner | null, tx: EvmUnsignedTx): Promise<EvmSignedTx> {
  if (!signer) {
    throw ApplicationFailure.create({
      type: SIGNER_MISSING,
      message: 'the worker holds no signing key (EVM_PRIVATE_KEY or EVM_KEYSTORE_PATH)',
      nonRetryable: true,
    });
  }
  const raw = await signer.signTransaction(serializable(tx));
  return { from: signer.address, raw_tx: raw, tx_hash: keccak256(raw) };
}
