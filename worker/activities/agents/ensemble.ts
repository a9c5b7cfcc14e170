/**
 * Ensemble activities: reading and writing the agent's state workflow, and creating or reading
 * its nudge schedule. All Temporal client calls, hence activities.
 */
import { Context } from '@temporalio/activity';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowNotFoundError } from '@temporalio/client';
import { inboxStatusQuery, inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import {
  AGENT_STATE_WORKFLOW,
  ENSEMBLE_NUDGE_WORKFLOW,
  agentStateQuery,
  agentStateWorkflowId,
  nudgeScheduleId,
  nudgeWorkflowIdPrefix,
  nudgedSignal,
  selectedPairsSignal,
  type AgentState,
  type NudgeRecord,
  type PairSelection,
} from '../../../schemas/temporal/ensemble.js';
import type { NudgeConfig } from '../../config/agents-config.js';

export interface NudgeContext {
  selection: PairSelection | null;
  pendingNudges: number;
}

async function queryOrNull<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

export function createEnsembleActivities(deps: { nudge: NudgeConfig }) {
  return {
    async readNudgeContext(agent: string, nudgeSender: string): Promise<NudgeContext> {
      const { client } = Context.current();
      const state = await queryOrNull<AgentState>(() => client.workflow.getHandle(agentStateWorkflowId(agent)).query(agentStateQuery));
      const inbox = await queryOrNull(() => client.workflow.getHandle(inboxWorkflowId(agent)).query(inboxStatusQuery));
      return { selection: state?.selection ?? null, pendingNudges: inbox?.pending_by_sender[nudgeSender] ?? 0 };
    },

    async recordNudge(agent: string, nudge: NudgeRecord): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(AGENT_STATE_WORKFLOW, {
        workflowId: agentStateWorkflowId(agent),
        taskQueue: info.taskQueue,
        args: [{ agent }],
        signal: nudgedSignal,
        signalArgs: [nudge],
      });
    },

    async recordPairSelection(agent: string, selection: PairSelection): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(AGENT_STATE_WORKFLOW, {
        workflowId: agentStateWorkflowId(agent),
        taskQueue: info.taskQueue,
        args: [{ agent }],
        signal: selectedPairsSignal,
        signalArgs: [selection],
      });
    },

    /** Creates the agent's nudge schedule unless it exists; repeated calls leave exactly one. */
    async ensureNudgeSchedule(agent: string): Promise<{ scheduleId: string; created: boolean; intervalSec: number }> {
      const { client, info } = Context.current();
      const scheduleId = nudgeScheduleId(agent);
      try {
        await client.schedule.create({
          scheduleId,
          spec: { intervals: [{ every: `${deps.nudge.intervalSec}s` }] },
          action: {
            type: 'startWorkflow',
            workflowType: ENSEMBLE_NUDGE_WORKFLOW,
            workflowId: nudgeWorkflowIdPrefix(agent),
            taskQueue: info.taskQueue,
            args: [{ agent }],
          },
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
          memo: { agent },
        });
        return { scheduleId, created: true, intervalSec: deps.nudge.intervalSec };
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        const description = await client.schedule.getHandle(scheduleId).describe();
        const every = description.spec.intervals?.[0]?.every;
        const intervalSec = typeof every === 'number' ? every / 1000 : deps.nudge.intervalSec;
        return { scheduleId, created: false, intervalSec };
      }
    },
  };
}
