import type { ToolDefinition } from '../../kit/define-tool.js';
import { nextPromptTool } from './next-prompt.js';
import { promptAgentTool } from './prompt-agent.js';

export const agentsTools: readonly ToolDefinition[] = [promptAgentTool, nextPromptTool];
