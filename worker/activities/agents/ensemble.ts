/**
 * Ensemble activities: reading and writing the agent's state workflow, and creating or reading
 * its nudge schedule. All Temporal client calls (through temporal/clients/), hence activities.
 */
import { Context } from '@temporalio/activity';
import type { NudgeRecord, PairSelection } from '../../../schemas/temporal/ensemble.js';
import * as agentState from '../../../temporal/clients/agent-state.js';
import { readInboxStatus } from '../../../temporal/clients/inbox.js';
import * as nudgeSchedule from '../../../temporal/clients/nudge-schedule.js';
import type { AgentStateSettings, NudgeConfig } from '../../config/agents-config.js';

export interface NudgeContext {
  selection: PairSelection | null;
  pendingNudges: number;
}

export function createEnsembleActivities(deps: { nudge: NudgeConfig; agentState: AgentStateSettings }) {
  return {
    async readNudgeContext(agent: string, nudgeSender: string): Promise<NudgeContext> {
      const { client } = Context.current();
      const state = await agentState.readAgentState(client, agent);
      const inbox = await readInboxStatus(client, agent);
      return { selection: state?.selection ?? null, pendingNudges: inbox?.pending_by_sender[nudgeSender] ?? 0 };
    },

    async recordNudge(agent: string, nudge: NudgeRecord): Promise<void> {
      const { client, info } = Context.current();
      await agentState.recordNudge(client, info.taskQueue, agent, nudge, deps.agentState);
    },

    async recordPairSelection(agent: string, selection: PairSelection): Promise<void> {
      const { client, info } = Context.current();
      await agentState.recordPairSelection(client, info.taskQueue, agent, selection, deps.agentState);
    },

    /** Creates the agent's nudge schedule unless it exists; repeated calls leave exactly one. */
    async ensureNudgeSchedule(agent: string): Promise<nudgeSchedule.EnsuredSchedule> {
      const { client, info } = Context.current();
      return nudgeSchedule.ensureNudgeSchedule(client, info.taskQueue, agent, deps.nudge.intervalSec);
    },
  };
}
