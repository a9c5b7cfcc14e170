/**
 * One long-lived inbox per agent. Messages enter through an update (deduplicated by message_id)
 * and leave through another update that hands each message to exactly one caller: the workflow
 * processes updates one at a time, so two callers waiting at once never take the same message.
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
  INBOX_FULL,
  claimNextMessageUpdate,
  enqueueMessageUpdate,
  inboxPeekQuery,
  inboxStatusQuery,
  type ClaimResult,
  type InboxCarriedState,
  type InboxInput,
  type InboxMessage,
} from '../../../schemas/temporal/agents.js';
import type { AgentsActivities } from '../../activities/agents/index.js';
import { InboxFullError, emptyInbox, enqueue, take } from '../../../domain/agents/inbox-state.js';

const { loadInboxLimits } = proxyLocalActivities<AgentsActivities>({ startToCloseTimeout: '10 seconds' });

/** History length past which the run hands over, well below the server's hard limits. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 9_000;

function countBySender(queue: readonly InboxMessage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of queue) if (m.from) counts[m.from] = (counts[m.from] ?? 0) + 1;
  return counts;
}

export async function agentInboxWorkflow(input: InboxInput): Promise<void> {
  let state: InboxCarriedState | undefined = input.carried;
  let handled = 0;
  let draining = false;

  setHandler(
    enqueueMessageUpdate,
    async (req) => {
      await condition(() => state !== undefined);
      const inbox = state as InboxCarriedState;
      try {
        const outcome = enqueue(inbox, req, new Date().toISOString());
        handled += 1;
        return outcome;
      } catch (err) {
        if (err instanceof InboxFullError) {
          throw ApplicationFailure.create({ type: INBOX_FULL, message: err.message, nonRetryable: true });
        }
        throw err;
      }
    },
    {
      validator: (req) => {
        if (!req.message_id || typeof req.text !== 'string') throw new Error('message_id and text are required');
      },
    },
  );

  setHandler(
    claimNextMessageUpdate,
    async ({ wait_ms }): Promise<ClaimResult> => {
      await condition(() => state !== undefined);
      const inbox = state as InboxCarriedState;
      const deadline = Date.now() + Math.max(0, wait_ms);
      // Several waiting claims can wake on the same arrival; whoever runs second loops and waits again.
      for (;;) {
        const message = take(inbox);
        if (message) {
          handled += 1;
          return { message, remaining: inbox.queue.length, rolled_over: false, run_id: workflowInfo().runId };
        }
        if (draining) return { message: null, remaining: 0, rolled_over: true, run_id: workflowInfo().runId };
        const left = deadline - Date.now();
        if (left <= 0) return { message: null, remaining: 0, rolled_over: false, run_id: workflowInfo().runId };
        await condition(() => inbox.queue.length > 0 || draining, left);
      }
    },
    {
      validator: ({ wait_ms }) => {
        if (!Number.isFinite(wait_ms) || wait_ms < 0) throw new Error('wait_ms must be a non-negative number');
      },
    },
  );

  setHandler(inboxPeekQuery, (limit) => (state?.queue ?? []).slice(0, Math.max(0, Math.min(limit, 100))));

  setHandler(inboxStatusQuery, () => ({
    agent: input.agent,
    depth: state?.queue.length ?? 0,
    next_seq: state?.nextSeq ?? 0,
    delivered: state?.delivered ?? 0,
    oldest_enqueued_at: state?.queue[0]?.enqueued_at ?? null,
    pending_by_sender: countBySender(state?.queue ?? []),
  }));

  if (!state) state = emptyInbox(await loadInboxLimits());
  const inbox = state;

  await condition(
    () =>
      handled >= inbox.limits.continueAsNewAfter ||
      workflowInfo().historyLength >= HISTORY_EVENTS_BEFORE_CONTINUE ||
      workflowInfo().continueAsNewSuggested,
  );
  // Waiting claims return (rolled_over) so that every handler finishes before the hand-over.
  draining = true;
  await condition(allHandlersFinished);
  await continueAsNew<typeof agentInboxWorkflow>({ agent: input.agent, carried: inbox });
}
