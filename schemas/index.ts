import type { ToolContract, ToolGroup } from './contract.js';
import { agentsContracts } from './agents.js';

export * from './contract.js';

/** Every tool of every group. A group whose issue has not landed yet serves an empty list. */
export const contractsByGroup: Record<ToolGroup, readonly ToolContract[]> = {
  market: [],
  risk: [],
  execution: [],
  ledger: [],
  agents: agentsContracts,
};
