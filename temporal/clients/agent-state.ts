/**
 * Owns the client side of an agent's state workflow (one long-lived workflow per agent, created
 * by its first signal): the pair selection select_pairs records, the nudges the nudge workflow
 * records, and the state the agents tools and prompts read back.
 */
import type { Client } from '@temporalio/client';
import {
  AGENT_STATE_WORKFLOW,
  agentStateQuery,
  agentStateWorkflowId,
  nudgedSignal,
  selectedPairsSignal,
  type AgentState,
  type NudgeRecord,
  type PairSelection,
} from '../../schemas/temporal/ensemble.js';
import type { agentStateWorkflow } from '../../worker/workflows/agents/agent-state.js';
import { queryIfRunning } from '../query-if-running.js';

function startOptions(taskQueue: string, agent: string) {
  return { workflowId: agentStateWorkflowId(agent), taskQueue, args: [{ agent }] as Parameters<typeof agentStateWorkflow> };
}

export async function recordPairSelection(client: Client, taskQueue: string, agent: string, selection: PairSelection): Promise<void> {
  await client.workflow.signalWithStart<typeof agentStateWorkflow, [PairSelection]>(AGENT_STATE_WORKFLOW, {
    ...startOptions(taskQueue, agent),
    signal: selectedPairsSignal,
    signalArgs: [selection],
  });
}

export async function recordNudge(client: Client, taskQueue: string, agent: string, nudge: NudgeRecord): Promise<void> {
  await client.workflow.signalWithStart<typeof agentStateWorkflow, [NudgeRecord]>(AGENT_STATE_WORKFLOW, {
    ...startOptions(taskQueue, agent),
    signal: nudgedSignal,
    signalArgs: [nudge],
  });
}

/** The agent's selection and nudge counters, or null when nothing was ever recorded for it. */
export function readAgentState(client: Client, agent: string): Promise<AgentState | null> {
  return queryIfRunning(client, agentStateWorkflowId(agent), agentStateQuery);
}
