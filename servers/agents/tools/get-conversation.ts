import { getConversation } from '../../../schemas/agents-conversation.js';
import { conversationWorkflowId } from '../../../schemas/temporal/conversation.js';
import { readConversation } from '../../../temporal/clients/conversation.js';
import { defineTool } from '../../kit/define-tool.js';

export const getConversationTool = defineTool(getConversation, async (input, { temporal }) => {
  const workflowId = conversationWorkflowId(input.agent);
  const read = await readConversation(await temporal.client(), input.agent, input.max_messages === undefined ? {} : { max_messages: input.max_messages });
  if (!read) {
    // Reading must not create anything: an agent that never saved a turn has an empty conversation.
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
  const { view, runId } = read;
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
