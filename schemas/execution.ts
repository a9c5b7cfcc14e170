import type { ToolContract } from './contract.js';

/** The execution server's tool contracts (filled in by the execution issue). */
export const executionContracts: readonly ToolContract[] = [];
