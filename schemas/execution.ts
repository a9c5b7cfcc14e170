import type { ToolContract } from './contract.js';
import { executionIntentContracts } from './execution-intents.js';
import { executionOrderContracts } from './execution-orders.js';
import { executionTxContracts } from './execution-tx.js';

/** The execution server's tools: paper orders, intents and on-chain transactions. */
export const executionContracts: readonly ToolContract[] = [
  ...executionOrderContracts,
  ...executionIntentContracts,
  ...executionTxContracts,
];
