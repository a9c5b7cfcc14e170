import { saveConversationTurn } from '../../../schemas/agents-conversation.js';
import { conversationWorkflowId } from '../../../schemas/temporal/conversation.js';
import { appendConversationTurn } from '../../../temporal/clients/conversation.js';
import { defineTool } from '../../kit/define-tool.js';

export const saveConversationTurnTool = defineTool(saveConversationTurn, async (input, { temporal, signal }) => {
  const turn = { agent: input.agent, turn_id: input.turn_id, messages: input.messages };
  const { result, runId } = await appendConversationTurn(await temporal.client(), temporal.env.taskQueue, turn, signal);
  return { agent: input.agent, ...result, workflow_id: conversationWorkflowId(input.agent), run_id: runId };
});
