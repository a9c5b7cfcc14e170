/**
 * Agents activities: the I/O behind the inbox workflows. Delivery goes through Temporal itself
 * (update-with-start on the inbox, temporal/clients/inbox.ts), so the inbox exists the first time
 * anyone writes to it.
 */
import { Context } from '@temporalio/activity';
import type { EnqueueResult, InboxLimits, PromptDeliveryRequest } from '../../../schemas/temporal/agents.js';
import { enqueueMessage } from '../../../temporal/clients/inbox.js';
import type { AgentStateSettings, NudgeConfig } from '../../config/agents-config.js';
import { createEnsembleActivities } from './ensemble.js';

export function createAgentsActivities(deps: { inboxLimits: InboxLimits; nudge: NudgeConfig; agentState: AgentStateSettings }) {
  return {
    ...createEnsembleActivities({ nudge: deps.nudge, agentState: deps.agentState }),

    async loadInboxLimits(): Promise<InboxLimits> {
      return deps.inboxLimits;
    },

    async deliverToInbox(req: PromptDeliveryRequest): Promise<EnqueueResult> {
      const { client, info } = Context.current();
      return enqueueMessage(client, info.taskQueue, req);
    },
  };
}

export type AgentsActivities = ReturnType<typeof createAgentsActivities>;
