import type { ToolContract } from './contract.js';
import { executionOrderContracts } from './execution-orders.js';
import { executionTxContracts } from './execution-tx.js';

/** The execution server's tools: paper orders and on-chain transactions. */
export const executionContracts: readonly ToolContract[] = [...executionOrderContracts, ...executionTxContracts];
