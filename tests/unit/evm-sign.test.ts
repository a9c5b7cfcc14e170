/**
 * The signing activity: deterministic (the same fields always give the same bytes and hash, so a
 * retried signature can never be a second transaction), recoverable to the worker's address, and
 * unwilling to sign outside the configured limits whoever asks.
 */
import { ApplicationFailure } from '@temporalio/common';
import { keccak256, parseTransaction, recoverTransactionAddress, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import type { EvmUnsignedTx } from '../../schemas/temporal/transactions.js';
import { SIGNER_MISSING, SIGNING_OUTSIDE_POLICY, signEvmTx, type SigningLimits } from '../../worker/activities/execution/transactions/sign.js';

const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const limits: SigningLimits = { allowedChainIds: [31337], allowedRecipients: [RECIPIENT.toLowerCase()], maxValueWei: 1000n, maxGas: 100_000n };
const tx: EvmUnsignedTx = {
  chain_id: 31337,
  to: RECIPIENT,
  value_wei: '1000',
  data: '0xabcdef',
  nonce: 7,
  gas_limit: '50000',
  fees: { type: 'eip1559', max_fee_per_gas_wei: '2000000000', max_priority_fee_per_gas_wei: '1000000000' },
};

describe('signEvmTx', () => {
  const account = privateKeyToAccount(generatePrivateKey());

  it('signs the same fields to the same bytes, whose hash is the transaction hash and whose sender is the worker', async () => {
    const first = await signEvmTx(account, limits, tx);
    const again = await signEvmTx(account, limits, structuredClone(tx));
    expect(again).toEqual(first);
    expect(first.from).toBe(account.address);
    expect(first.tx_hash).toBe(keccak256(first.raw_tx as Hex));
    expect(await recoverTransactionAddress({ serializedTransaction: first.raw_tx as `0x02${string}` })).toBe(account.address);
    expect(parseTransaction(first.raw_tx as Hex)).toMatchObject({
      chainId: 31337,
      nonce: 7,
      to: RECIPIENT.toLowerCase(),
      value: 1000n,
      data: '0xabcdef',
      gas: 50_000n,
      maxFeePerGas: 2_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
      type: 'eip1559',
    });
  });

  it('signs a legacy transaction where the chain has no base fee', async () => {
    const signed = await signEvmTx(account, limits, { ...tx, fees: { type: 'legacy', max_fee_per_gas_wei: '3', max_priority_fee_per_gas_wei: null } });
    expect(parseTransaction(signed.raw_tx as Hex)).toMatchObject({ type: 'legacy', gasPrice: 3n, chainId: 31337 });
  });

  it.each([
    ['a chain outside the allowlist', { chain_id: 1 }, 'refusing to sign: chain 1 is not allowed'],
    ['a recipient outside the allowlist', { to: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }, 'refusing to sign: recipient 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is not allowed'],
    ['a value above the cap', { value_wei: '1001' }, 'refusing to sign: value 1001 wei is above EVM_MAX_VALUE_WEI'],
    ['a gas limit above the cap', { gas_limit: '100001' }, 'refusing to sign: gas limit 100001 is above EVM_MAX_GAS'],
  ])('refuses %s, for good', async (_label, change, message) => {
    const refusal = await signEvmTx(account, limits, { ...tx, ...change }).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect(refusal).toMatchObject({ type: SIGNING_OUTSIDE_POLICY, nonRetryable: true, message });
  });

  it('refuses for good when the worker holds no key', async () => {
    const refusal = await signEvmTx(null, limits, tx).catch((err: unknown) => err);
    expect(refusal).toMatchObject({ type: SIGNER_MISSING, nonRetryable: true });
  });
});
