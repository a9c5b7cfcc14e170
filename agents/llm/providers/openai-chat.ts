/**
 * OpenAI-compatible chat completions (OpenAI, and the many servers that speak the same API):
 * POST {LLM_BASE_URL}/chat/completions with the MCP tools as functions. The key travels only in
 * the Authorization header.
 */
import type { ConversationMessage, ConversationToolCall } from '../../../schemas/temporal/conversation.js';
import type { ProviderConfig } from '../config.js';
import { ModelHttpError, postJson } from './http-json.js';
import type { ModelProvider, ModelReply, ModelRequest } from './model-provider.js';

type OpenAiMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

function toOpenAiMessage(m: ConversationMessage): OpenAiMessage {
  switch (m.role) {
    case 'assistant':
      if (!m.tool_calls?.length) return { role: 'assistant', content: m.content };
      return {
        role: 'assistant',
        // Some compatible servers refuse an empty string next to tool calls; null is what OpenAI itself sends.
        content: m.content === '' ? null : m.content,
        tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: m.tool_call_id ?? '', content: m.content };
    default:
      return { role: m.role, content: m.content };
  }
}

export function openAiRequestBody(request: ModelRequest, config: Pick<ProviderConfig, 'model' | 'maxOutputTokens' | 'maxOutputTokensExplicit' | 'temperature'>): Record<string, unknown> {
  return {
    model: config.model,
    messages: [
      ...(request.system ? [{ role: 'system', content: request.system }] : []),
      ...request.messages.filter((m) => m.role !== 'system').map(toOpenAiMessage),
    ],
    ...(request.tools.length
      ? { tools: request.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } })) }
      : {}),
    ...(config.maxOutputTokensExplicit ? { max_tokens: config.maxOutputTokens } : {}),
    ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
  };
}

interface OpenAiResponse {
  choices?: Array<{
    finish_reason?: string | null;
    message?: { content?: string | null; tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string | null } }> | null };
  }>;
}

export function parseOpenAiReply(body: unknown, label: string): ModelReply {
  const choice = (body as OpenAiResponse | null)?.choices?.[0];
  if (!choice?.message) throw new ModelHttpError(`${label} answered without choices[0].message; is LLM_BASE_URL an OpenAI-compatible chat completions API?`, 200, false);
  const calls: ConversationToolCall[] = (choice.message.tool_calls ?? []).map((c, i) => {
    if (!c.function?.name) throw new ModelHttpError(`${label} answered a tool call without a function name`, 200, false);
    // A few compatible servers omit call ids; one is made up so the result can name its call.
    return { id: c.id || `call_${i}_${crypto.randomUUID().slice(0, 8)}`, name: c.function.name, arguments: c.function.arguments || '{}' };
  });
  return { content: choice.message.content ?? '', tool_calls: calls, stop_reason: choice.finish_reason ?? 'unknown' };
}

export function openAiProvider(config: ProviderConfig): ModelProvider {
  const label = `OpenAI-compatible API at ${config.baseUrl}`;
  return {
    description: `openai-compatible model ${config.model} at ${config.baseUrl}`,
    async complete(request, signal) {
      const body = await postJson({
        label,
        url: `${config.baseUrl}/chat/completions`,
        headers: { authorization: `Bearer ${config.apiKey}` },
        body: openAiRequestBody(request, config),
        timeoutMs: config.timeoutMs,
        maxRetries: config.maxRetries,
        retryBaseMs: config.retryBaseMs,
        signal,
        secrets: [config.apiKey],
      });
      return parseOpenAiReply(body, label);
    },
  };
}
