import type { ToolDefinition } from '../../kit/define-tool.js';
import { getAgentStatusTool } from './get-agent-status.js';
import { getConversationTool } from './get-conversation.js';
import { nextPromptTool } from './next-prompt.js';
import { promptAgentTool } from './prompt-agent.js';
import { saveConversationTurnTool } from './save-conversation-turn.js';
import { selectPairsTool } from './select-pairs.js';
import { setNudgeScheduleTool } from './set-nudge-schedule.js';

export const agentsTools: readonly ToolDefinition[] = [
  promptAgentTool,
  nextPromptTool,
  selectPairsTool,
  setNudgeScheduleTool,
  getAgentStatusTool,
  saveConversationTurnTool,
  getConversationTool,
];
