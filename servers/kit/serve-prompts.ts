/** Wires prompt templates into an MCP server: prompts/list and prompts/get with validated arguments. */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ErrorCode, GetPromptRequestSchema, ListPromptsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { PromptDefinition } from './define-resource.js';
import type { ToolContext } from './define-tool.js';
import { describeZodError } from './map-error.js';

export function servePrompts(server: Server, prompts: readonly PromptDefinition[], ctx: ToolContext): void {
  const byName = new Map(prompts.map((p) => [p.name, p]));
  server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: prompts.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      arguments: Object.entries(p.args.shape).map(([name, schema]) => ({
        name,
        description: (schema as { description?: string }).description ?? name,
        required: !(schema as { safeParse(v: unknown): { success: boolean } }).safeParse(undefined).success,
      })),
    })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = byName.get(request.params.name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `no prompt ${request.params.name}; prompts: ${[...byName.keys()].join(', ')}`);
    const parsed = prompt.args.safeParse(request.params.arguments ?? {});
    if (!parsed.success) throw new McpError(ErrorCode.InvalidParams, describeZodError(parsed.error));
    const text = await prompt.render(parsed.data, ctx);
    return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text } }] };
  });
}
