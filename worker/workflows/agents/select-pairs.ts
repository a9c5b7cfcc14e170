/**
 * Behind select_pairs: starts (or attaches to) the market streams of the pairs, records the
 * selection in the agent's state workflow, tells the agent through the same durable delivery as
 * prompt_agent, and creates the nudge schedule the first time. Each step is keyed by this
 * workflow's id, so a retried run repeats nothing.
 */
import { ParentClosePolicy, executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { PROMPT_DELIVERY_WORKFLOW, promptDeliveryWorkflowId, type PromptDeliveryRequest } from '../../../schemas/temporal/agents.js';
import type { SelectPairsRequest, SelectPairsResult } from '../../../schemas/temporal/ensemble.js';
import { OPEN_MARKET_STREAM_WORKFLOW, fnv1a64Hex, marketRequestWorkflowId, type OpenMarketStreamRequest, type OpenMarketStreamResult } from '../../../schemas/temporal/market.js';
import type { AgentsActivities } from '../../activities/agents/index.js';

const { recordPairSelection, ensureNudgeSchedule } = proxyActivities<AgentsActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 5 },
});

/** The broker streams at one tick per second: the cadence the strategies are tuned for. */
const STREAM_INTERVAL_SEC = 1;
export const PAIRS_SENDER = 'select-pairs';

export async function selectPairsWorkflow(req: SelectPairsRequest): Promise<SelectPairsResult> {
  const { workflowId } = workflowInfo();
  const key = fnv1a64Hex(workflowId);
  const streamRequest: OpenMarketStreamRequest = { request_id: `select-pairs-${key}`, exchange: req.exchange, symbols: req.symbols, interval_sec: STREAM_INTERVAL_SEC };
  const stream = await executeChild<(r: OpenMarketStreamRequest) => Promise<OpenMarketStreamResult>>(OPEN_MARKET_STREAM_WORKFLOW, {
    workflowId: marketRequestWorkflowId('start_market_stream', streamRequest.request_id),
    args: [streamRequest],
  });
  await recordPairSelection(req.agent, { exchange: stream.exchange, symbols: stream.symbols, selected_at: new Date().toISOString(), selected_by: workflowId });

  const messageId = `pairs-${key}`;
  const text = `Pairs selected: ${stream.symbols.join(', ')} on ${stream.exchange}${stream.simulated ? ' (simulated venue)' : ''}. Trade them on each nudge.`;
  const deliveryId = promptDeliveryWorkflowId(req.agent, messageId);
  const delivery: PromptDeliveryRequest = { target: req.agent, message_id: messageId, from: PAIRS_SENDER, text, text_digest: `fnv1a64:${fnv1a64Hex(text)}` };
  await executeChild(PROMPT_DELIVERY_WORKFLOW, { workflowId: deliveryId, args: [delivery], parentClosePolicy: ParentClosePolicy.ABANDON });

  const schedule = await ensureNudgeSchedule(req.agent);
  return {
    agent: req.agent,
    exchange: stream.exchange,
    symbols: stream.symbols,
    stream_workflow_ids: [stream.stream_workflow_id],
    schedule_id: schedule.scheduleId,
    schedule_created: schedule.created,
    prompt_workflow_id: deliveryId,
  };
}
