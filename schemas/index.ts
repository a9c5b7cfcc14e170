import type { ToolContract, ToolGroup } from './contract.js';
import { agentsContracts } from './agents.js';
import { executionContracts } from './execution.js';
import { ledgerContracts } from './ledger.js';
import { marketContracts } from './market.js';
import { riskContracts } from './risk.js';

export * from './contract.js';

/** Every tool of every group. */
export const contractsByGroup: Record<ToolGroup, readonly ToolContract[]> = {
  market: marketContracts,
  risk: riskContracts,
  execution: executionContracts,
  ledger: ledgerContracts,
  agents: agentsContracts,
};
