/**
 * One long-lived conversation per agent: the messages its model host exchanged with the model,
 * kept durably so a restarted host continues where it left off. Turns enter through an update
 * whose validator refuses a malformed turn or a reused turn_id before anything reaches history;
 * the handler appends synchronously once the limits are known, so each update completes in the
 * workflow task that accepts it and a hand-over never strands one. The run continues as new on a
 * turn count, a history length or the server's suggestion, carrying bounded (trimmed) state.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  INVALID_TURN,
  TURN_CONFLICT,
  appendTurnUpdate,
  conversationViewQuery,
  type ConversationInput,
  type ConversationState,
} from '../../../schemas/temporal/conversation.js';
import type { ConversationActivities } from '../../activities/agents/conversation.js';
import { TurnRejection, appendTurn, carryConversation, checkTurn, newConversation, viewConversation } from '../../../domain/agents/conversation-state.js';

const { loadConversationLimits } = proxyLocalActivities<ConversationActivities>({ startToCloseTimeout: '10 seconds' });

function asFailure(err: unknown): unknown {
  if (!(err instanceof TurnRejection)) return err;
  return ApplicationFailure.create({ type: err.kind === 'conflict' ? TURN_CONFLICT : INVALID_TURN, message: err.message, nonRetryable: true });
}

export async function conversationWorkflow(input: ConversationInput): Promise<void> {
  let state: ConversationState | undefined = input.carried;
  let appendedThisRun = 0;

  setHandler(
    appendTurnUpdate,
    async (req) => {
      // Only a brand-new conversation waits here, for its limits; afterwards the append completes
      // in the workflow task that accepted it.
      if (state === undefined) await condition(() => state !== undefined);
      try {
        const result = appendTurn(state as ConversationState, req, new Date().toISOString());
        if (!result.duplicate) appendedThisRun += 1;
        return result;
      } catch (err) {
        throw asFailure(err);
      }
    },
    {
      validator: (req) => {
        try {
          checkTurn(state, req);
        } catch (err) {
          throw asFailure(err);
        }
      },
    },
  );

  setHandler(conversationViewQuery, (req) => viewConversation(input.agent, state, req ?? {}));

  if (!state) state = newConversation(await loadConversationLimits());
  const conversation = state;

  await condition(
    () =>
      appendedThisRun >= conversation.limits.continueAsNewAfter ||
      workflowInfo().historyLength >= conversation.limits.historyLimit ||
      workflowInfo().continueAsNewSuggested,
  );
  // Limits may have been changed in the worker's environment since this run started.
  const limits = await loadConversationLimits();
  await condition(allHandlersFinished);
  await continueAsNew<typeof conversationWorkflow>({ agent: input.agent, carried: carryConversation(conversation, limits) });
}
