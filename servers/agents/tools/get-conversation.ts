import { getConversation } from '../../../schemas/agents-conversation.js';
import { conversationViewQuery, conversationWorkflowId, type ConversationView } from '../../../schemas/temporal/conversation.js';
import { defineTool } from '../../kit/define-tool.js';

export const getConversationTool = defineTool(getConversation, async (input, { temporal }) => {
  const client = await temporal.client();
  const { WorkflowNotFoundError } = await import('@temporalio/client');
  const workflowId = conversationWorkflowId(input.agent);
  const handle = client.workflow.getHandle(workflowId);
  let view: ConversationView;
  let runId: string;
  try {
    const [description, queried] = await Promise.all([
      handle.describe(),
      handle.query(conversationViewQuery, input.max_messages === undefined ? {} : { max_messages: input.max_messages }),
    ]);
    runId = description.runId;
    view = queried;
  } catch (err) {
    // Reading must not create anything: an agent that never saved a turn has an empty conversation.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return {
      agent: input.agent,
      messages: [],
      omitted_messages: 0,
      stored_messages: 0,
      dropped_messages: 0,
      turn_count: 0,
      last_turn_id: null,
      updated_at: null,
      workflow_id: workflowId,
      run_id: null,
    };
  }
  return {
    agent: input.agent,
    messages: view.system ? [view.system, ...view.messages] : view.messages,
    omitted_messages: view.omitted_messages,
    stored_messages: view.stored_messages,
    dropped_messages: view.dropped_messages,
    turn_count: view.turn_count,
    last_turn_id: view.last_turn_id,
    updated_at: view.updated_at,
    workflow_id: workflowId,
    run_id: runId,
  };
});
