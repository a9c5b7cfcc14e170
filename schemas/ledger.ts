import type { ToolContract } from './contract.js';

/** The ledger server's tool contracts (filled in by the ledger issue). */
export const ledgerContracts: readonly ToolContract[] = [];
