/**
 * The static transaction policy: each refusal names its rule and the variable behind it, checked
 * in a fixed order (key, chain, recipient, value) so a request hears about the first thing wrong.
 */
import { describe, expect, it } from 'vitest';
import type { EvmTxPolicy, EvmTxRequest } from '../../../../schemas/temporal/transactions.js';
import { MISSING_SIGNER_REASON, checkGasCap, checkTxPolicy } from '../../../../domain/transactions/tx-policy.js';

const RECIPIENT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

const policy: EvmTxPolicy = {
  signer_address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  chains: [
    { chain_id: 1, name: 'mainnet', allowed: false },
    { chain_id: 31337, name: 'anvil', allowed: true },
  ],
  allowed_recipients: [RECIPIENT.toLowerCase()],
  max_value_wei: '1000',
  max_daily_value_wei: '5000',
  max_gas: '100000',
  receipt_timeout_ms: 60_000,
  confirmations: 1,
  allocator: { remembered: 100, continueAsNewAfter: 50 },
};

const request = (overrides: Partial<EvmTxRequest> = {}): EvmTxRequest => ({
  idempotency_key: 'k',
  chain_id: 31337,
  to: RECIPIENT,
  value_wei: '1000',
  data: null,
  ...overrides,
});

describe('checkTxPolicy', () => {
  it('lets an allowed request through, whatever the recipient letter case', () => {
    expect(checkTxPolicy(request(), policy)).toBeNull();
    expect(checkTxPolicy(request({ to: RECIPIENT.toUpperCase().replace('0X', '0x') }), policy)).toBeNull();
  });

  it.each([
    ['no signing key', request(), { ...policy, signer_address: null }, 'SIGNER_NOT_CONFIGURED', MISSING_SIGNER_REASON],
    ['a chain without an RPC', request({ chain_id: 10 }), policy, 'CHAIN_NOT_ALLOWED', 'chain 10 is not configured: EVM_CHAINS has no RPC for it (allowed chains: 31337)'],
    ['a configured chain that is not allowed', request({ chain_id: 1 }), policy, 'CHAIN_NOT_ALLOWED', 'chain 1 (mainnet) is not in EVM_ALLOWED_CHAINS (allowed chains: 31337)'],
    ['a recipient outside the allowlist', request({ to: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }), policy, 'RECIPIENT_NOT_ALLOWED', `recipient 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC is not in EVM_ALLOWED_RECIPIENTS (allowed: ${RECIPIENT.toLowerCase()})`],
    ['any recipient when the allowlist is empty', request(), { ...policy, allowed_recipients: [] }, 'RECIPIENT_NOT_ALLOWED', `recipient ${RECIPIENT} is not allowed: EVM_ALLOWED_RECIPIENTS is empty, so no recipient is`],
    ['one wei above the cap', request({ value_wei: '1001' }), policy, 'VALUE_ABOVE_CAP', 'value 1001 wei is above the per-transaction cap EVM_MAX_VALUE_WEI=1000'],
    ['any value when no cap is set', request({ value_wei: '1' }), { ...policy, max_value_wei: '0' }, 'VALUE_ABOVE_CAP', 'value 1 wei is above the per-transaction cap EVM_MAX_VALUE_WEI=0 (unset: value transfers are off)'],
    ['a value above the whole daily cap', request({ value_wei: '900' }), { ...policy, max_daily_value_wei: '800' }, 'DAILY_CAP_EXCEEDED', 'value 900 wei alone is above the daily cap EVM_MAX_DAILY_VALUE_WEI=800'],
    ['no chains at all', request(), { ...policy, chains: [] }, 'CHAIN_NOT_ALLOWED', 'chain 31337 is not configured: EVM_CHAINS has no RPC for it (allowed chains: none)'],
  ])('refuses %s', (_label, req, p, code, reason) => {
    expect(checkTxPolicy(req, p)).toEqual({ code, reason });
  });

  it('compares values as 256-bit integers, not floats', () => {
    const cap = (2n ** 255n).toString();
    expect(checkTxPolicy(request({ value_wei: cap }), { ...policy, max_value_wei: cap, max_daily_value_wei: null })).toBeNull();
    expect(checkTxPolicy(request({ value_wei: (2n ** 255n + 1n).toString() }), { ...policy, max_value_wei: cap, max_daily_value_wei: null })?.code).toBe('VALUE_ABOVE_CAP');
  });
});

describe('checkGasCap', () => {
  it('allows up to the cap and refuses above it with the figure', () => {
    expect(checkGasCap('100000', policy)).toBeNull();
    expect(checkGasCap('100001', policy)).toEqual({
      code: 'GAS_ABOVE_CAP',
      reason: 'the transaction needs a gas limit of 100001, above the cap EVM_MAX_GAS=100000',
    });
  });
});
