import type { ToolContract } from './contract.js';

/** The risk server's tool contracts (filled in by the risk issue). */
export const riskContracts: readonly ToolContract[] = [];
