/** subscribe_intents and unsubscribe_intents: an agent's subscription on the intent bus (started on first use). */
import { subscribeIntents, unsubscribeIntents } from '../../../../schemas/execution-intents.js';
import { inboxWorkflowId } from '../../../../schemas/temporal/agents.js';
import { agentSubscriber, intentBusWorkflowId, intentSubscriberWorkflowId } from '../../../../schemas/temporal/intents.js';
import { subscribeAgent, unsubscribeAgent } from '../../../../temporal/clients/intent-bus.js';
import { defineTool } from '../../../kit/define-tool.js';

export const subscribeIntentsTool = defineTool(subscribeIntents, async (input, { temporal }) => {
  const { taskQueue } = temporal.env;
  const subscriber = agentSubscriber(input.agent);
  const { result, runId } = await subscribeAgent(await temporal.client(), taskQueue, input.agent, input.from);
  return {
    agent: input.agent,
    subscriber,
    from_seq: result.from_seq,
    already: result.already,
    bus_workflow_id: intentBusWorkflowId(taskQueue),
    subscriber_workflow_id: intentSubscriberWorkflowId(taskQueue, subscriber),
    inbox_workflow_id: inboxWorkflowId(input.agent),
    workflow_id: intentBusWorkflowId(taskQueue),
    run_id: runId,
  };
});

export const unsubscribeIntentsTool = defineTool(unsubscribeIntents, async (input, { temporal }) => {
  const { taskQueue } = temporal.env;
  const { result, runId } = await unsubscribeAgent(await temporal.client(), taskQueue, input.agent);
  return { agent: input.agent, removed: result.removed, acked_seq: result.acked_seq, bus_workflow_id: intentBusWorkflowId(taskQueue), workflow_id: intentBusWorkflowId(taskQueue), run_id: runId };
});
