/**
 * One long-lived workflow per agent holding what the agent was told to watch (the selected pairs)
 * and the record of its nudges. Signals only: it is written by select_pairs and by the nudge
 * schedule, read by get_agent_status and by the nudges themselves.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  agentStateQuery,
  nudgedSignal,
  selectedPairsSignal,
  type AgentStateCarried,
  type AgentStateInput,
} from '../../../schemas/temporal/ensemble.js';

/** Signals handled before the run hands over, for runs whose input names no threshold. */
const SIGNALS_BEFORE_CONTINUE = 2_000;

export async function agentStateWorkflow(input: AgentStateInput): Promise<void> {
  const state: AgentStateCarried = input.carried ?? { selection: null, nudges: 0, last_nudge: null };
  const continueAfter = input.continue_as_new_after ?? SIGNALS_BEFORE_CONTINUE;
  let handled = 0;

  setHandler(selectedPairsSignal, (selection) => {
    state.selection = selection;
    handled += 1;
  });
  setHandler(nudgedSignal, (nudge) => {
    state.nudges += 1;
    state.last_nudge = nudge;
    handled += 1;
  });
  setHandler(agentStateQuery, () => ({ agent: input.agent, ...state }));

  await condition(() => handled >= continueAfter || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await continueAsNew<typeof agentStateWorkflow>({ ...input, carried: state });
}
