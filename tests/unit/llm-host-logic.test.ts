/**
 * The LLM host's pure decisions: its configuration from the environment, which tools the model is
 * offered, when the model owes an answer, how tool results are cut, and how a model reply is
 * brought within what a conversation turn accepts before any of its tools run.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { owesAnswer, promptMessage, toolRoundsSincePrompt } from '../../agents/llm/agent-loop.js';
import { DEFAULT_MODELS, llmHostConfigFromEnv } from '../../agents/llm/config.js';
import { boundReply } from '../../agents/llm/reply-bounds.js';
import { DEFAULT_SYSTEM_PROMPT } from '../../agents/llm/system-prompt.js';
import { HOST_ONLY_TOOLS, functionTools } from '../../agents/llm/tool-catalog.js';
import { truncate } from '../../agents/llm/tool-runner.js';
import { MAX_MESSAGE_CHARS, MAX_TOOL_CALLS_PER_MESSAGE, turnProblems, type ConversationMessage } from '../../schemas/temporal/conversation.js';

describe('llmHostConfigFromEnv', () => {
  it('needs only a key, and defaults everything else', () => {
    const config = llmHostConfigFromEnv({ OPENAI_API_KEY: 'sk-a' });
    expect(config).toEqual({
      agent: 'ensemble',
      provider: {
        name: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-a',
        model: DEFAULT_MODELS.openai,
        timeoutMs: 120_000,
        maxRetries: 4,
        retryBaseMs: 1_000,
        maxOutputTokens: 4_096,
        maxOutputTokensExplicit: false,
      },
      systemPrompt: DEFAULT_SYSTEM_PROMPT,
      maxToolRounds: 8,
      waitSec: 30,
      toolResultMaxChars: 16_000,
    });
  });

  it('chooses the provider by key, OpenAI when both are set unless LLM_PROVIDER says otherwise', () => {
    expect(llmHostConfigFromEnv({ ANTHROPIC_API_KEY: 'sk-ant' }).provider).toMatchObject({
      name: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      apiKey: 'sk-ant',
      model: DEFAULT_MODELS.anthropic,
    });
    expect(llmHostConfigFromEnv({ OPENAI_API_KEY: 'sk-a', ANTHROPIC_API_KEY: 'sk-ant' }).provider.name).toBe('openai');
    expect(llmHostConfigFromEnv({ OPENAI_API_KEY: 'sk-a', ANTHROPIC_API_KEY: 'sk-ant', LLM_PROVIDER: 'anthropic' }).provider.apiKey).toBe('sk-ant');
  });

  it('reads the optional settings', () => {
    const config = llmHostConfigFromEnv({
      OPENAI_API_KEY: 'sk-a',
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1/',
      LLM_MODEL: 'qwen2.5',
      LLM_AGENT: 'night-shift',
      LLM_TEMPERATURE: '0.3',
      LLM_MAX_OUTPUT_TOKENS: '512',
      LLM_CONTEXT_MAX_MESSAGES: '40',
      LLM_MCP_SERVERS: 'agents, ledger',
      LLM_SYSTEM_PROMPT: 'Trade carefully.',
    });
    expect(config).toMatchObject({
      agent: 'night-shift',
      contextMaxMessages: 40,
      servers: ['agents', 'ledger'],
      systemPrompt: 'Trade carefully.',
      provider: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5', temperature: 0.3, maxOutputTokens: 512, maxOutputTokensExplicit: true },
    });
  });

  it.each([
    ['no key at all', {}, /no model API key is set/],
    ['an agent name with capitals', { OPENAI_API_KEY: 'sk-a', LLM_AGENT: 'Night Shift' }, /LLM_AGENT=Night Shift is not an agent name/],
    ['an ftp base URL', { OPENAI_API_KEY: 'sk-a', LLM_BASE_URL: 'ftp://example.com' }, /LLM_BASE_URL=ftp:\/\/example\.com must be an http or https URL/],
    ['credentials in the base URL', { OPENAI_API_KEY: 'sk-a', LLM_BASE_URL: 'https://user:pw@example.com/v1' }, /LLM_BASE_URL must not carry credentials or a query string/],
    ['a temperature that is not a number', { OPENAI_API_KEY: 'sk-a', LLM_TEMPERATURE: 'hot' }, /LLM_TEMPERATURE=hot is not a number between 0 and 2/],
    ['a wait longer than next_prompt allows', { OPENAI_API_KEY: 'sk-a', LLM_WAIT_SEC: '51' }, /LLM_WAIT_SEC=51 is not an integer between 1 and 50/],
    ['a system prompt file that does not exist', { OPENAI_API_KEY: 'sk-a', LLM_SYSTEM_PROMPT_FILE: '/nonexistent/prompt.txt' }, /LLM_SYSTEM_PROMPT_FILE=\/nonexistent\/prompt\.txt cannot be read/],
    ['a system prompt over the message bound', { OPENAI_API_KEY: 'sk-a', LLM_SYSTEM_PROMPT: 'x'.repeat(MAX_MESSAGE_CHARS + 1) }, /the system prompt has 100001 characters; keep it under 100000/],
    ['a key carrying a header break', { OPENAI_API_KEY: 'sk-a\r\nX-Injected: 1' }, /OPENAI_API_KEY contains spaces or control characters/],
  ])('refuses %s with a message naming what to fix', (_label, env, expected) => {
    expect(() => llmHostConfigFromEnv(env)).toThrow(expected);
  });
});

describe('functionTools', () => {
  const tool = (name: string, extra: Partial<Tool> = {}): { server: string; tool: Tool } => ({
    server: 'agents',
    tool: { name, description: `does ${name}`, inputSchema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { a: { type: 'string' } } }, ...extra },
  });

  it('offers every server tool but the host’s own, with its schema minus the dialect marker, sorted by name', () => {
    const offered = functionTools([tool('submit_intent', { title: 'Submit an intent' }), ...[...HOST_ONLY_TOOLS].map((n) => tool(n)), tool('get_portfolio_status')]);
    expect(offered).toEqual([
      { name: 'get_portfolio_status', description: 'does get_portfolio_status', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
      { name: 'submit_intent', description: 'Submit an intent: does submit_intent', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
    ]);
  });
});

describe('the host’s reading of the conversation', () => {
  const user = (content: string): ConversationMessage => ({ role: 'user', content });
  const round = (id: string): ConversationMessage[] => [
    { role: 'assistant', content: '', tool_calls: [{ id, name: 't', arguments: '{}' }] },
    { role: 'tool', tool_call_id: id, content: 'r' },
  ];

  it('owes an answer after a prompt or tool results, not after its own answer', () => {
    expect(owesAnswer([])).toBe(false);
    expect(owesAnswer([user('p')])).toBe(true);
    expect(owesAnswer([user('p'), ...round('a')])).toBe(true);
    expect(owesAnswer([user('p'), ...round('a'), { role: 'assistant', content: 'done' }])).toBe(false);
  });

  it('counts the tool rounds since the latest prompt only', () => {
    expect(toolRoundsSincePrompt([user('p1'), ...round('a'), ...round('b'), { role: 'assistant', content: 'x' }, user('p2'), ...round('c')])).toBe(1);
    expect(toolRoundsSincePrompt([user('p1')])).toBe(0);
  });

  it('heads a prompt with its id, sender and time', () => {
    expect(promptMessage({ message_id: 'nudge-7', from: null, text: 'Review.', enqueued_at: '2025-01-01T00:00:30.000Z' })).toEqual({
      role: 'user',
      content: '[prompt nudge-7 from unknown sender at 2025-01-01T00:00:30.000Z]\nReview.',
    });
  });

  it('cuts a long tool result to the bound, saying how much was left out', () => {
    const cut = truncate('x'.repeat(1_000), 200);
    expect(cut.length).toBeLessThanOrEqual(200);
    const kept = cut.indexOf('\n');
    expect(cut.slice(kept)).toBe(`\n[truncated: ${1_000 - kept} more characters]`);
    expect(truncate('short', 200)).toBe('short');
  });
});

describe('boundReply', () => {
  const call = (id: string, name = 'get_portfolio_status', args = '{}') => ({ id, name, arguments: args });
  const savable = (reply: ReturnType<typeof boundReply>['reply']) =>
    turnProblems([
      { role: 'assistant', content: reply.content, tool_calls: reply.tool_calls },
      ...reply.tool_calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: 'r' })),
    ]);

  it('leaves a well-formed reply alone', () => {
    const reply = { content: 'ok', tool_calls: [call('a'), call('b')], stop_reason: 'tool_calls' };
    expect(boundReply(reply)).toEqual({ reply, repairs: [] });
  });

  it('gives repeated, missing and overlong call ids fresh ones, so every result names its own call', () => {
    const { reply, repairs } = boundReply({ content: '', tool_calls: [call('a'), call('a'), call(''), call('i'.repeat(129))], stop_reason: 'tool_calls' });
    expect(reply.tool_calls[0]?.id).toBe('a');
    expect(new Set(reply.tool_calls.map((c) => c.id)).size).toBe(4);
    expect(repairs).toEqual([
      expect.stringMatching(/^tool call 1 had a repeated id a; it is call_1_[0-9a-f]{8} now$/),
      expect.stringMatching(/^tool call 2 had no id; it is call_2_/),
      expect.stringMatching(/^tool call 3 had an overlong id; it is call_3_/),
    ]);
    expect(savable(reply)).toEqual([]);
  });

  it('runs at most the bound of calls and cuts runaway text, so the turn can always be saved', () => {
    const many = Array.from({ length: MAX_TOOL_CALLS_PER_MESSAGE + 3 }, (_, i) => call(`c${i}`, 'n'.repeat(200), 'a'.repeat(MAX_MESSAGE_CHARS + 1)));
    const { reply, repairs } = boundReply({ content: 'z'.repeat(MAX_MESSAGE_CHARS + 10), tool_calls: many, stop_reason: 'length' });
    expect(reply.tool_calls).toHaveLength(MAX_TOOL_CALLS_PER_MESSAGE);
    expect(reply.content).toHaveLength(MAX_MESSAGE_CHARS);
    expect(repairs).toContain(`only the first ${MAX_TOOL_CALLS_PER_MESSAGE} of ${MAX_TOOL_CALLS_PER_MESSAGE + 3} tool calls are run`);
    expect(savable(reply)).toEqual([]);
  });
});
