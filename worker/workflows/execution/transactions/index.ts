/** Execution workflows: on-chain transactions. */
export { evmTransactionWorkflow } from './evm-transaction.js';
export { evmTxLookupWorkflow } from './evm-tx-lookup.js';
export { nonceAllocatorWorkflow } from './nonce-allocator.js';
