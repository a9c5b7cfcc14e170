/** Every activity the worker runs, built from the worker's configuration, one factory per tool group. */
import type { WorkerConfig } from '../config/worker-config.js';
import { createAgentsActivities } from './agents/index.js';
import { createConversationActivities } from './agents/conversation.js';
import { createExecutionActivities } from './execution/index.js';
import { createLedgerActivities } from './ledger/index.js';
import { createMarketActivities } from './market/index.js';
import { createRiskActivities } from './risk/index.js';
import { boundToCancellation } from './bound-to-cancellation.js';

export function createActivities(config: WorkerConfig) {
  return boundToCancellation({
    ...createAgentsActivities({ inboxLimits: config.inboxLimits, nudge: config.nudge, agentState: config.agentState }),
    ...createConversationActivities({ conversationLimits: config.conversationLimits }),
    ...createMarketActivities(config),
    ...createRiskActivities(config),
    ...createExecutionActivities(config),
    ...createLedgerActivities(config),
  });
}

export type Activities = ReturnType<typeof createActivities>;
