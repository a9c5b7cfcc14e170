/** The public part of the chain configuration, as the tx workflow records it in its history. */
import type { EvmTxPolicy } from '../../../../schemas/temporal/transactions.js';
import type { ChainConfig } from '../../../config/chain-config.js';
import type { EvmSigner } from './signer.js';

export function evmTxPolicy(config: ChainConfig, signer: EvmSigner | null): EvmTxPolicy {
  return {
    signer_address: signer?.address ?? null,
    chains: config.chains.map((c) => ({ chain_id: c.chainId, name: c.name, allowed: config.allowedChainIds.includes(c.chainId) })),
    allowed_recipients: [...config.allowedRecipients],
    max_value_wei: config.maxValueWei.toString(),
    max_daily_value_wei: config.maxDailyValueWei === null ? null : config.maxDailyValueWei.toString(),
    max_gas: config.maxGas.toString(),
    receipt_timeout_ms: config.receiptTimeoutMs,
    confirmations: config.confirmations,
    allocator: { ...config.allocator },
  };
}
