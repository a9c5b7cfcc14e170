import { getAgentStatus } from '../../../schemas/agents.js';
import { inboxWorkflowId } from '../../../schemas/temporal/agents.js';
import { agentStateWorkflowId } from '../../../schemas/temporal/ensemble.js';
import { readAgentState } from '../../../temporal/clients/agent-state.js';
import { readInboxStatus } from '../../../temporal/clients/inbox.js';
import { describeNudgeSchedule } from '../../../temporal/clients/nudge-schedule.js';
import { defineTool } from '../../kit/define-tool.js';
import { scheduleState } from './schedule-state.js';

export const getAgentStatusTool = defineTool(getAgentStatus, async ({ agent }, { temporal }) => {
  const client = await temporal.client();
  const [state, inbox, schedule] = await Promise.all([readAgentState(client, agent), readInboxStatus(client, agent), describeNudgeSchedule(client, agent)]);
  return {
    agent,
    exchange: state?.selection?.exchange ?? null,
    selected_pairs: state?.selection?.symbols ?? [],
    selected_at: state?.selection?.selected_at ?? null,
    inbox_depth: inbox?.depth ?? 0,
    inbox_delivered: inbox?.delivered ?? 0,
    nudges: state?.nudges ?? 0,
    last_nudge: state?.last_nudge ?? null,
    schedule: schedule ? scheduleState(schedule) : null,
    workflow_id: agentStateWorkflowId(agent),
    inbox_workflow_id: inboxWorkflowId(agent),
  };
});
