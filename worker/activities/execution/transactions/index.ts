/**
 * On-chain transaction activities: all the I/O behind sign_and_send_tx and get_tx_status. The
 * signing key is opened here once, at worker start-up, and never leaves: every activity returns
 * only public data (addresses, signed bytes, hashes, receipts).
 */
import type { WorkerConfig } from '../../../config/worker-config.js';
import type { EvmTxLookupRequest, EvmUnsignedTx } from '../../../../schemas/temporal/transactions.js';
import { broadcastEvmTx, type BroadcastEvmTxRequest } from './broadcast.js';
import { createChainClients } from './chain-clients.js';
import { withCleanErrors } from './clean-errors.js';
import { lookupEvmTx } from './lookup.js';
import { allocateEvmNonce, fetchEvmPendingNonce, recordEvmTxHash, releaseEvmNonce, type AllocatorAddress } from './allocator.js';
import { evmTxPolicy } from './policy.js';
import { prepareEvmTx, type PrepareEvmTxRequest } from './prepare.js';
import { waitForEvmReceipt, type WaitForEvmReceiptRequest } from './receipt.js';
import { signEvmTx } from './sign.js';
import { openSigner } from './signer.js';

export function createTransactionActivities(config: WorkerConfig) {
  // Throws at start-up, naming the variable, when a key is configured but unusable.
  const signer = openSigner(config.chain.signer);
  const clients = createChainClients(config.chain.chains);
  const policy = evmTxPolicy(config.chain, signer);

  return {
    loadEvmTxPolicy: withCleanErrors('loadEvmTxPolicy', async () => policy),
    prepareEvmTx: withCleanErrors('prepareEvmTx', (req: PrepareEvmTxRequest) => prepareEvmTx(clients, req)),
    allocateEvmNonce: withCleanErrors('allocateEvmNonce', allocateEvmNonce),
    fetchEvmPendingNonce: withCleanErrors('fetchEvmPendingNonce', (req: AllocatorAddress) => fetchEvmPendingNonce(clients, req)),
    signEvmTx: withCleanErrors('signEvmTx', (tx: EvmUnsignedTx) => signEvmTx(signer, config.chain, tx)),
    broadcastEvmTx: withCleanErrors('broadcastEvmTx', (req: BroadcastEvmTxRequest) => broadcastEvmTx(clients, req)),
    recordEvmTxHash: withCleanErrors('recordEvmTxHash', recordEvmTxHash),
    releaseEvmNonce: withCleanErrors('releaseEvmNonce', releaseEvmNonce),
    waitForEvmReceipt: withCleanErrors('waitForEvmReceipt', (req: WaitForEvmReceiptRequest) => waitForEvmReceipt(clients, req)),
    lookupEvmTx: withCleanErrors('lookupEvmTx', (req: EvmTxLookupRequest) => lookupEvmTx(clients, policy.signer_address, req)),
  };
}

export type TransactionActivities = ReturnType<typeof createTransactionActivities>;
