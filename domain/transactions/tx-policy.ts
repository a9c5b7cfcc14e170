/**
 * The static half of the transaction policy: decided from the request and the worker's
 * configuration alone, before the chain is asked anything. Pure, so the rules are unit-tested and
 * the workflow only orchestrates. (The daily budget is enforced by the nonce allocator, which
 * sees every transaction of the address in order.)
 */
import type { EvmTxPolicy, EvmTxRequest, RefusalCode, TxDecision } from '../../schemas/temporal/transactions.js';

export const MISSING_SIGNER_REASON =
  "the worker holds no signing key: set EVM_PRIVATE_KEY, or EVM_KEYSTORE_PATH and EVM_KEYSTORE_PASSWORD, in the worker's environment and restart it";

function list(values: readonly (string | number)[]): string {
  return values.length ? values.join(', ') : 'none';
}

export function checkTxPolicy(req: EvmTxRequest, policy: EvmTxPolicy): TxDecision<RefusalCode> | null {
  if (!policy.signer_address) return { code: 'SIGNER_NOT_CONFIGURED', reason: MISSING_SIGNER_REASON };

  const allowedChains = policy.chains.filter((c) => c.allowed).map((c) => c.chain_id);
  const chain = policy.chains.find((c) => c.chain_id === req.chain_id);
  if (!chain) {
    return {
      code: 'CHAIN_NOT_ALLOWED',
      reason: `chain ${req.chain_id} is not configured: EVM_CHAINS has no RPC for it (allowed chains: ${list(allowedChains)})`,
    };
  }
  if (!chain.allowed) {
    return {
      code: 'CHAIN_NOT_ALLOWED',
      reason: `chain ${req.chain_id} (${chain.name}) is not in EVM_ALLOWED_CHAINS (allowed chains: ${list(allowedChains)})`,
    };
  }

  if (!policy.allowed_recipients.includes(req.to.toLowerCase())) {
    return {
      code: 'RECIPIENT_NOT_ALLOWED',
      reason: policy.allowed_recipients.length
        ? `recipient ${req.to} is not in EVM_ALLOWED_RECIPIENTS (allowed: ${list(policy.allowed_recipients)})`
        : `recipient ${req.to} is not allowed: EVM_ALLOWED_RECIPIENTS is empty, so no recipient is`,
    };
  }

  const value = BigInt(req.value_wei);
  const cap = BigInt(policy.max_value_wei);
  if (value > cap) {
    return {
      code: 'VALUE_ABOVE_CAP',
      reason: `value ${value} wei is above the per-transaction cap EVM_MAX_VALUE_WEI=${cap}${cap === 0n ? ' (unset: value transfers are off)' : ''}`,
    };
  }
  if (policy.max_daily_value_wei !== null && value > BigInt(policy.max_daily_value_wei)) {
    return {
      code: 'DAILY_CAP_EXCEEDED',
      reason: `value ${value} wei alone is above the daily cap EVM_MAX_DAILY_VALUE_WEI=${policy.max_daily_value_wei}`,
    };
  }
  return null;
}

/** Checked once the simulation has said how much gas the transaction needs. */
export function checkGasCap(gasLimit: string, policy: EvmTxPolicy): TxDecision<RefusalCode> | null {
  if (BigInt(gasLimit) <= BigInt(policy.max_gas)) return null;
  return { code: 'GAS_ABOVE_CAP', reason: `the transaction needs a gas limit of ${gasLimit}, above the cap EVM_MAX_GAS=${policy.max_gas}` };
}
