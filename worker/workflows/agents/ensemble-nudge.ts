/**
 * One run per schedule tick: prompts the agent to review its portfolio and the prices of its
 * pairs, through the same durable delivery as prompt_agent (a child delivery workflow keyed by
 * this run's id, so a retried nudge never prompts twice). A nudge is skipped while an earlier one
 * still waits unread, so an agent that is away does not come back to a pile of stale prompts.
 */
import { ChildWorkflowFailure, ParentClosePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import {
  INBOX_FULL,
  PROMPT_DELIVERY_WORKFLOW,
  promptDeliveryWorkflowId,
  type PromptDeliveryRequest,
} from '../../../schemas/temporal/agents.js';
import { nudgeMessageId, type NudgeInput } from '../../../schemas/temporal/ensemble.js';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import { fnv1a64Hex } from '../../../schemas/temporal/market.js';
import type { AgentsActivities } from '../../activities/agents/index.js';
import type { promptDeliveryWorkflow } from './prompt-delivery.js';

export const NUDGE_SENDER = 'nudge-schedule';

const { readNudgeContext, recordNudge } = proxyActivities<AgentsActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 5 },
});

export interface EnsembleNudgeResult {
  status: 'delivered' | 'skipped';
  reason: string;
  message_id: string | null;
  prompt_workflow_id: string | null;
  symbols: string[];
}

export function nudgeText(symbols: readonly string[], exchange: string | null): string {
  const pairs = symbols.length ? `${symbols.join(', ')} on ${exchange}` : 'your pairs (none selected yet: use select_pairs)';
  return `Nudge: review the portfolio (get_portfolio_status) and current prices (get_historical_ticks, get_market_snapshot) for ${pairs}. If your strategy calls for a trade, submit it with submit_intent and say why in one line.`;
}

export async function ensembleNudgeWorkflow(input: NudgeInput): Promise<EnsembleNudgeResult> {
  const { workflowId } = workflowInfo();
  const context = await readNudgeContext(input.agent, NUDGE_SENDER);
  const symbols = context.selection?.symbols ?? [];
  if (context.pendingNudges > 0) {
    return { status: 'skipped', reason: `${context.pendingNudges} earlier nudge(s) still unread`, message_id: null, prompt_workflow_id: null, symbols };
  }
  const messageId = nudgeMessageId(workflowId);
  const text = nudgeText(symbols, context.selection?.exchange ?? null);
  const request: PromptDeliveryRequest = {
    target: input.agent,
    message_id: messageId,
    from: NUDGE_SENDER,
    text,
    text_digest: `fnv1a64:${fnv1a64Hex(text)}`,
  };
  const deliveryId = promptDeliveryWorkflowId(input.agent, messageId);
  try {
    await executeChild<typeof promptDeliveryWorkflow>(PROMPT_DELIVERY_WORKFLOW, {
      workflowId: deliveryId,
      args: [request],
      // The delivery is its own durable record; it completes even if this run is cut short.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (err) {
    if (err instanceof ChildWorkflowFailure && failureType(err) === INBOX_FULL) {
      return { status: 'skipped', reason: 'the inbox is full', message_id: null, prompt_workflow_id: deliveryId, symbols };
    }
    throw err;
  }
  await recordNudge(input.agent, { message_id: messageId, workflow_id: workflowId, at: new Date().toISOString() });
  return { status: 'delivered', reason: 'prompted', message_id: messageId, prompt_workflow_id: deliveryId, symbols };
}
