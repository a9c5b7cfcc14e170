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
  type AgentStateInput,
  type NudgeRecord,
  type PairSelection,
} from '../../schemas/temporal/ensemble.js';
import type { agentStateWorkflow } from '../../worker/workflows/agents/agent-state.js';
import { queryIfRunning } from '../query-if-running.js';

/** How the state workflow is created if this signal is its first; a running one keeps its own input. */
export interface AgentStateStart {
  /** Signals a run handles before it continues as new (the worker's AGENT_STATE_CONTINUE_AS_NEW_AFTER). */
  continueAsNewAfter: number;
}

/**
 * Signal-with-start addresses the workflow by id alone, so a signal always reaches the current run
 * whatever the number of hand-overs; the handle it returns is not kept.
 */
function startOptions(taskQueue: string, agent: string, start: AgentStateStart) {
  const input: AgentStateInput = { agent, continue_as_new_after: start.continueAsNewAfter };
  return { workflowId: agentStateWorkflowId(agent), taskQueue, args: [input] as Parameters<typeof agentStateWorkflow> };
}

export async function recordPairSelection(client: Client, taskQueue: string, agent: string, selection: PairSelection, start: AgentStateStart): Promise<void> {
  await client.workflow.signalWithStart<typeof agentStateWorkflow, [PairSelection]>(AGENT_STATE_WORKFLOW, {
    ...startOptions(taskQueue, agent, start),
    signal: selectedPairsSignal,
    signalArgs: [selection],
  });
}

export async function recordNudge(client: Client, taskQueue: string, agent: string, nudge: NudgeRecord, start: AgentStateStart): Promise<void> {
  await client.workflow.signalWithStart<typeof agentStateWorkflow, [NudgeRecord]>(AGENT_STATE_WORKFLOW, {
    ...startOptions(taskQueue, agent, start),
    signal: nudgedSignal,
    signalArgs: [nudge],
  });
}

/** The agent's selection and nudge counters, or null when nothing was ever recorded for it. */
export function readAgentState(client: Client, agent: string): Promise<AgentState | null> {
  return queryIfRunning(client, agentStateWorkflowId(agent), agentStateQuery);
}
