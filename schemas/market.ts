import type { ToolContract } from './contract.js';

/** The market server's tool contracts (filled in by the market issue). */
export const marketContracts: readonly ToolContract[] = [];
