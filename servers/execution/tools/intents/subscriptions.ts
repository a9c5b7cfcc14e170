/** subscribe_intents and unsubscribe_intents: an agent's subscription on the intent bus (started on first use). */
import type { Client, WithStartWorkflowOperation } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { subscribeIntents, unsubscribeIntents } from '../../../../schemas/execution-intents.js';
import { inboxWorkflowId } from '../../../../schemas/temporal/agents.js';
import {
  INTENT_BUS_WORKFLOW,
  agentSubscriber,
  intentBusWorkflowId,
  intentSubscriberWorkflowId,
  subscribeIntentsUpdate,
  unsubscribeIntentsUpdate,
  type IntentBusInput,
} from '../../../../schemas/temporal/intents.js';
import { defineTool, type ToolContext } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';

/** Sends an update to the bus, starting it when absent, and names the run that answered. */
async function onBus<T>(ctx: ToolContext, send: (client: Client, startBus: WithStartWorkflowOperation<Workflow>) => Promise<T>): Promise<{ result: T; runId: string }> {
  const client = await ctx.temporal.client();
  const { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  const input: IntentBusInput = {};
  const busId = intentBusWorkflowId(ctx.temporal.env.taskQueue);
  const startBus = new WithStartWorkflowOperation<Workflow>(INTENT_BUS_WORKFLOW, {
    workflowId: busId,
    taskQueue: ctx.temporal.env.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A closed bus is never replaced: a new one would number intents from 1 again.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  try {
    const result = await send(client, startBus);
    const { runId } = await (await startBus.workflowHandle()).describe();
    return { result, runId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ToolError('INTENT_BUS_CLOSED', `the intent bus ${busId} is closed`, 'An operator must look at why it ended before intents flow again.', false);
    }
    throw err;
  }
}

export const subscribeIntentsTool = defineTool(subscribeIntents, async (input, ctx) => {
  const subscriber = agentSubscriber(input.agent);
  const { result, runId } = await onBus(ctx, (client, startBus) =>
    client.workflow.executeUpdateWithStart(subscribeIntentsUpdate, { args: [{ subscriber, from: input.from }], startWorkflowOperation: startBus }),
  );
  return {
    agent: input.agent,
    subscriber,
    from_seq: result.from_seq,
    already: result.already,
    bus_workflow_id: intentBusWorkflowId(ctx.temporal.env.taskQueue),
    subscriber_workflow_id: intentSubscriberWorkflowId(ctx.temporal.env.taskQueue, subscriber),
    inbox_workflow_id: inboxWorkflowId(input.agent),
    workflow_id: intentBusWorkflowId(ctx.temporal.env.taskQueue),
    run_id: runId,
  };
});

export const unsubscribeIntentsTool = defineTool(unsubscribeIntents, async (input, ctx) => {
  const { result, runId } = await onBus(ctx, (client, startBus) =>
    client.workflow.executeUpdateWithStart(unsubscribeIntentsUpdate, { args: [{ subscriber: agentSubscriber(input.agent) }], startWorkflowOperation: startBus }),
  );
  return { agent: input.agent, removed: result.removed, acked_seq: result.acked_seq, bus_workflow_id: intentBusWorkflowId(ctx.temporal.env.taskQueue), workflow_id: intentBusWorkflowId(ctx.temporal.env.taskQueue), run_id: runId };
});
