/**
 * Anthropic's Messages API: POST {ANTHROPIC_BASE_URL}/v1/messages. The conversation is mapped to
 * its shape: the system prompt apart, tool calls as tool_use blocks, tool results as tool_result
 * blocks in a user message, consecutive messages of one role merged, and the first message a
 * user message. The key travels only in Anthropic's authentication header (x-api-key).
 */
import type { ConversationMessage, ConversationToolCall } from '../../../schemas/temporal/conversation.js';
import type { ProviderConfig } from '../config.js';
import { ModelHttpError, postJson } from './http-json.js';
import type { ModelProvider, ModelReply, ModelRequest } from './model-provider.js';

export const ANTHROPIC_VERSION = '2023-06-01';

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** Anthropic accepts tool ids of [A-Za-z0-9_-] only; ids written by other providers are mapped consistently. */
function toolId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** tool_use input must be an object; arguments a model wrote as other JSON (or not JSON) are wrapped, not lost. */
function toolInput(args: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Wrapped below.
  }
  return { unparsed_arguments: args };
}

function toBlocks(m: ConversationMessage): AnthropicMessage {
  if (m.role === 'tool') return { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId(m.tool_call_id ?? ''), content: m.content }] };
  if (m.role === 'assistant') {
    const blocks: Block[] = m.content ? [{ type: 'text', text: m.content }] : [];
    for (const c of m.tool_calls ?? []) blocks.push({ type: 'tool_use', id: toolId(c.id), name: c.name, input: toolInput(c.arguments) });
    // An empty text block is refused; an assistant turn with nothing in it still has to hold the alternation.
    return { role: 'assistant', content: blocks.length ? blocks : [{ type: 'text', text: '(no reply)' }] };
  }
  return { role: 'user', content: [{ type: 'text', text: m.content || '(empty)' }] };
}

export function anthropicMessages(messages: readonly ConversationMessage[]): AnthropicMessage[] {
  const out: AnthropicMessage[] = [];
  /** Calls of leading assistant messages left out: their results must go too, or they answer nothing. */
  const skippedCalls = new Set<string>();
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool' && skippedCalls.has(m.tool_call_id ?? '')) continue;
    const next = toBlocks(m);
    const last = out[out.length - 1];
    if (!last && m.role === 'assistant') {
      for (const c of m.tool_calls ?? []) skippedCalls.add(c.id);
      continue;
    }
    if (last && last.role === next.role) last.content.push(...next.content);
    else out.push(next);
  }
  return out;
}

export function anthropicRequestBody(request: ModelRequest, config: Pick<ProviderConfig, 'model' | 'maxOutputTokens' | 'temperature'>): Record<string, unknown> {
  return {
    model: config.model,
    max_tokens: config.maxOutputTokens,
    ...(request.system ? { system: request.system } : {}),
    messages: anthropicMessages(request.messages),
    ...(request.tools.length ? { tools: request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters })) } : {}),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
  };
}

interface AnthropicResponse {
  content?: Array<{ type?: string; text?: string; id?: string; name?: string; input?: unknown }>;
  stop_reason?: string | null;
}

export function parseAnthropicReply(body: unknown, label: string): ModelReply {
  const content = (body as AnthropicResponse | null)?.content;
  if (!Array.isArray(content)) throw new ModelHttpError(`${label} answered without a content list; is ANTHROPIC_BASE_URL the Anthropic Messages API?`, 200, false);
  const texts: string[] = [];
  const calls: ConversationToolCall[] = [];
  for (const block of content) {
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
    if (block.type === 'tool_use') {
      if (!block.id || !block.name) throw new ModelHttpError(`${label} answered a tool_use block without id or name`, 200, false);
      calls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) });
    }
  }
  return { content: texts.join('\n'), tool_calls: calls, stop_reason: (body as AnthropicResponse).stop_reason ?? 'unknown' };
}

export function anthropicProvider(config: ProviderConfig): ModelProvider {
  const label = `Anthropic API at ${config.baseUrl}`;
  return {
    description: `anthropic model ${config.model} at ${config.baseUrl}`,
    async complete(request, signal) {
      const body = await postJson({
        label,
        url: `${config.baseUrl}/v1/messages`,
        headers: { 'x-api-key': config.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
        body: anthropicRequestBody(request, config),
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
        retryBaseMs: config.retryBaseMs,
        signal,
        secrets: [config.apiKey],
      });
      return parseAnthropicReply(body, label);
    },
  };
}
