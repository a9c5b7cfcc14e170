/**
 * The MCP tools offered to the model as functions, with the JSON Schema each server serves in
 * tools/list. The tools the host itself drives (reading its inbox, keeping its conversation) are
 * not offered: a model calling next_prompt would take its own next prompt out of turn.
 */
import type { HostedTool } from '../host/mcp-host.js';
import type { FunctionTool } from './providers/model-provider.js';

export const HOST_ONLY_TOOLS: ReadonlySet<string> = new Set(['next_prompt', 'save_conversation_turn', 'get_conversation']);

/** OpenAI limits function descriptions; the first part of a tool description carries its meaning. */
const MAX_DESCRIPTION_CHARS = 1_000;

export function functionTools(tools: readonly HostedTool[]): FunctionTool[] {
  return tools
    .filter(({ tool }) => !HOST_ONLY_TOOLS.has(tool.name))
    .map(({ tool }) => {
      // "$schema" is not part of a function's parameters for either API.
      const { $schema: _dialect, ...parameters } = tool.inputSchema as Record<string, unknown>;
      const description = [tool.title, tool.description].filter(Boolean).join(': ') || tool.name;
      return { name: tool.name, description: description.slice(0, MAX_DESCRIPTION_CHARS), parameters };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
