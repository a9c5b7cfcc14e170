/**
 * The LLM host end to end, offline: the real host process (which launches the MCP servers of
 * mcp.json), a real worker on the run's dev server, and a scripted OpenAI-compatible responder on
 * 127.0.0.1 in place of the model. A prompt sent with prompt_agent reaches the model with the MCP
 * tools offered as functions; the model's tool calls run through MCP (an isError result goes back
 * as a tool result); every turn is saved; a killed and restarted host continues the conversation.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT } from '../../agents/llm/system-prompt.js';
import { getConversation, saveConversationTurn } from '../../schemas/agents-conversation.js';
import { nextPrompt, promptAgent } from '../../schemas/agents.js';
import { conversationWorkflowId } from '../../schemas/temporal/conversation.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { spawnLlmHost, type LlmHostProcess } from '../helpers/llm-host-process.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { ScriptedLlmServer, errorReply, textReply, toolCallReply, type RecordedRequest } from '../helpers/scripted-llm-server.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const API_KEY = `sk-test-${crypto.randomUUID()}`;
const HOST_ONLY = ['next_prompt', 'save_conversation_turn', 'get_conversation'];

let worker: RunningWorker;
let agents: ConnectedServer;
let model: ScriptedLlmServer;
let temporalEnv: Record<string, string>;
const hosts: LlmHostProcess[] = [];

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('llm-host');
  temporalEnv = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  worker = await startTestWorker(taskQueue);
  agents = await connectServer('agents', temporalEnv);
  model = await ScriptedLlmServer.start();
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.kill()));
  await agents?.close();
  await model?.close();
  await worker?.stop();
});

async function call<T>(name: string, args: Record<string, unknown>, output: { parse(v: unknown): T }): Promise<T> {
  const result = await agents.client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return output.parse(result.structuredContent);
}

const conversationOf = (agent: string) => call('get_conversation', { agent }, getConversation.output);

function startHost(agent: string, extra: Record<string, string> = {}): LlmHostProcess {
  const host = spawnLlmHost({
    ...temporalEnv,
    OPENAI_API_KEY: API_KEY,
    LLM_BASE_URL: model.baseUrl,
    LLM_MODEL: 'scripted-model',
    LLM_AGENT: agent,
    LLM_WAIT_SEC: '5',
    // The scripted 429 asks for no wait; backoff without Retry-After stays short in tests.
    LLM_RETRY_BASE_MS: '50',
    ...extra,
  });
  hosts.push(host);
  return host;
}

/** The key may travel only in the Authorization header of a model request. */
function expectKeyOnlyInAuthorization(requests: readonly RecordedRequest[], host: LlmHostProcess, conversationJson: string): void {
  for (const request of requests) {
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.rawBody).not.toContain(API_KEY);
    expect(JSON.stringify({ ...request.headers, authorization: '' })).not.toContain(API_KEY);
  }
  expect(host.stdout()).not.toContain(API_KEY);
  expect(host.stderr()).not.toContain(API_KEY);
  expect(conversationJson).not.toContain(API_KEY);
}

describe('the LLM host with a scripted model', () => {
  const agent = uniqueAgent('llm');
  const observer = uniqueAgent('observer');
  let firstHost: LlmHostProcess;
  let firstExchange: RecordedRequest['body']['messages'];

  it('takes a prompt, offers the MCP tools, runs the model’s tool calls through MCP and saves every turn', async () => {
    model.reply(
      // A rate limit first: the host retries the same request.
      errorReply(429, 'rate limited, slow down', { 'retry-after': '0' }),
      toolCallReply([
        { id: 'call_note', name: 'prompt_agent', args: { target: observer, message: 'BTC/USDT looks stretched', message_id: 'llm-note-1' } },
        { id: 'call_bad', name: 'prompt_agent', args: { target: 'Not A Valid Name', message: 'hello' } },
        { id: 'call_own', name: 'next_prompt', args: { agent } },
        { id: 'call_garbled', name: 'prompt_agent', args: '{"target": "x", ' },
      ]),
      textReply('hold BTC/USDT: stretched above its mean, told the observer'),
    );
    firstHost = startHost(agent);
    await firstHost.waitForLine(/ready: openai-compatible model scripted-model at http:\/\/127\.0\.0\.1:\d+\/v1, \d+ tools offered/);

    await call('prompt_agent', { target: agent, message: 'Review the portfolio and current prices.', message_id: 'nudge-1', from: 'scheduler' }, promptAgent.output);
    await firstHost.waitForLine(/answer: hold BTC\/USDT/);
    const [rateLimited, first, second] = await model.receivedAtLeast(3);
    expect(model.unscripted).toEqual([]);
    expect(model.pending).toBe(0);

    // The retried request is the same request.
    expect(first?.body).toEqual(rateLimited?.body);
    const body = first?.body;
    expect(body?.model).toBe('scripted-model');
    expect(body?.messages).toEqual([
      { role: 'system', content: DEFAULT_SYSTEM_PROMPT },
      { role: 'user', content: expect.stringMatching(/^\[prompt nudge-1 from scheduler at \d{4}-\d\d-\d\dT[^\]]+\]\nReview the portfolio and current prices\.$/) },
    ]);

    // The tools are the servers' own, with the JSON Schema from tools/list; the host's own tools are not offered.
    const offered = new Map((body?.tools ?? []).map((t) => [t.function.name, t]));
    for (const name of HOST_ONLY) expect(offered.has(name)).toBe(false);
    const listed = (await agents.client.listTools()).tools.find((t) => t.name === 'prompt_agent');
    const { $schema: _dialect, ...parameters } = listed?.inputSchema as Record<string, unknown>;
    expect(offered.get('prompt_agent')).toEqual({ type: 'function', function: { name: 'prompt_agent', description: expect.stringContaining('inbox'), parameters } });

    // The second request carries the tool calls and their results: one delivered, one refused with a clear error.
    const [assistant, okResult, errorResult, ownResult, garbledResult] = second?.body.messages.slice(2) ?? [];
    expect(assistant).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_note' }, { id: 'call_bad' }, { id: 'call_own' }, { id: 'call_garbled', function: { arguments: '{"target": "x", ' } }],
    });
    expect(okResult).toMatchObject({ role: 'tool', tool_call_id: 'call_note' });
    expect(JSON.parse(okResult?.content ?? '')).toMatchObject({ message_id: 'llm-note-1', target: observer, status: 'delivered' });
    expect(errorResult).toMatchObject({ role: 'tool', tool_call_id: 'call_bad', content: expect.stringMatching(/^INVALID_INPUT: target: use 1-64 characters/) });
    // A host-only tool is not the model's to call (it would take the host's own next prompt).
    expect(ownResult).toMatchObject({ role: 'tool', tool_call_id: 'call_own', content: expect.stringMatching(/^UNKNOWN_TOOL: there is no tool named next_prompt\. Call one of: .*prompt_agent/) });
    expect(garbledResult).toMatchObject({ role: 'tool', tool_call_id: 'call_garbled', content: expect.stringMatching(/^INVALID_ARGUMENTS: the arguments are not valid JSON/) });

    // The tool call really ran through MCP: the observer's inbox holds the note.
    const note = await call('next_prompt', { agent: observer, wait_sec: 0 }, nextPrompt.output);
    expect(note.message).toMatchObject({ message_id: 'llm-note-1', text: 'BTC/USDT looks stretched' });

    // Every turn is saved: the system prompt, the prompt, the tool round, the answer.
    const saved = await eventually(async () => {
      const c = await conversationOf(agent);
      expect(c.turn_count).toBe(4);
      return c;
    });
    expect(saved.workflow_id).toBe(conversationWorkflowId(agent));
    expect(saved.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'tool', 'tool', 'assistant']);
    expect(saved.messages.at(-1)).toEqual({ role: 'assistant', content: 'hold BTC/USDT: stretched above its mean, told the observer' });
    expect(firstHost.stdout()).toMatch(/tool prompt_agent .* -> ok: /);
    expect(firstHost.stdout()).toMatch(/tool prompt_agent .* -> error: INVALID_INPUT/);
    expectKeyOnlyInAuthorization(model.requests, firstHost, JSON.stringify(saved));
    firstExchange = second?.body.messages ?? [];
  });

  it('continues the same conversation after the host is killed and started again', async () => {
    await firstHost.kill();
    model.reply(textReply('still holding: nothing changed since the last review'));
    const restarted = startHost(agent);
    await restarted.waitForLine(/ready: /);
    await call('prompt_agent', { target: agent, message: 'Review again.', message_id: 'nudge-2', from: 'scheduler' }, promptAgent.output);
    await restarted.waitForLine(/answer: still holding/);

    const [request] = (await model.receivedAtLeast(4)).slice(3);
    expect(model.unscripted).toEqual([]);
    const messages = request?.body.messages ?? [];
    // The earlier exchange, exactly as the model saw it, then its answer, then the new prompt.
    expect(messages.slice(0, firstExchange.length)).toEqual(firstExchange);
    expect(messages.slice(firstExchange.length)).toEqual([
      { role: 'assistant', content: 'hold BTC/USDT: stretched above its mean, told the observer' },
      { role: 'user', content: expect.stringMatching(/^\[prompt nudge-2 from scheduler at [^\]]+\]\nReview again\.$/) },
    ]);
    const saved = await eventually(async () => {
      const c = await conversationOf(agent);
      // No second system turn: the restarted host found its system prompt already saved.
      expect(c.turn_count).toBe(6);
      return c;
    });
    expectKeyOnlyInAuthorization(model.requests, restarted, JSON.stringify(saved));
    await restarted.stop();
    expect((await restarted.exited).code).toBe(0);
  });

  it('answers a prompt that a host had taken, but not yet saved, when it crashed', async () => {
    const crashed = uniqueAgent('crashed');
    // The conversation as a host leaves it after saving its system prompt (turn 1) ...
    const saved = await call(
      'save_conversation_turn',
      { agent: crashed, turn_id: 'turn-1', messages: [{ role: 'system', content: DEFAULT_SYSTEM_PROMPT }] },
      saveConversationTurn.output,
    );
    expect(saved).toMatchObject({ turn_seq: 1, duplicate: false });
    // ... and its claim of the next prompt, under the claim id it derives from the conversation.
    await call('prompt_agent', { target: crashed, message: 'Cut risk now.', message_id: 'nudge-9', from: 'operator' }, promptAgent.output);
    const taken = await call('next_prompt', { agent: crashed, wait_sec: 0, claim_id: `${crashed}-llm-t1-0` }, nextPrompt.output);
    expect(taken.message?.message_id).toBe('nudge-9');

    const requestsBefore = model.requests.length;
    model.reply(textReply('reduced: nothing open to cut'));
    const restarted = startHost(crashed, { LLM_MCP_SERVERS: 'agents' });
    await restarted.waitForLine(/answer: reduced/);
    const request = (await model.receivedAtLeast(requestsBefore + 1))[requestsBefore];
    expect(request?.body.messages).toEqual([
      { role: 'system', content: DEFAULT_SYSTEM_PROMPT },
      { role: 'user', content: expect.stringMatching(/^\[prompt nudge-9 from operator at [^\]]+\]\nCut risk now\.$/) },
    ]);
    expect(model.unscripted).toEqual([]);
    await restarted.stop();
  });
});

describe('the LLM host keeps going when an exchange cannot finish', () => {
  it('closes an exchange at the tool-round bound or on a refused model request, and answers the next prompt', async () => {
    const agent = uniqueAgent('bounded');
    const observer = uniqueAgent('bounded-observer');
    const requestsBefore = model.requests.length;
    const host = startHost(agent, { LLM_MCP_SERVERS: 'agents', LLM_MAX_TOOL_ROUNDS: '1' });
    await host.waitForLine(/ready: /);

    // One tool round is allowed: the model asks for a second one and is not called again.
    model.reply(toolCallReply([{ id: 'call_1', name: 'prompt_agent', args: { target: observer, message: 'first', message_id: 'b-1' } }]));
    await call('prompt_agent', { target: agent, message: 'Review.', message_id: 'nudge-1' }, promptAgent.output);
    await host.waitForLine(/stopped after 1 tool round without a final answer \(LLM_MAX_TOOL_ROUNDS=1\)/);

    // A request the API refuses for good (here 400) is not retried: the exchange is closed with the reason.
    model.reply(errorReply(400, 'maximum context length exceeded'));
    await call('prompt_agent', { target: agent, message: 'Review again.', message_id: 'nudge-2' }, promptAgent.output);
    await host.waitForLine(/model request refused: OpenAI-compatible API at .* answered 400: maximum context length exceeded/);

    model.reply(textReply('holding'));
    await call('prompt_agent', { target: agent, message: 'And again.', message_id: 'nudge-3' }, promptAgent.output);
    await host.waitForLine(/answer: holding/);

    const requests = (await model.receivedAtLeast(requestsBefore + 3)).slice(requestsBefore);
    expect(requests).toHaveLength(3);
    expect(model.unscripted).toEqual([]);
    const last = requests[2]?.body.messages ?? [];
    expect(last.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'user']);
    expect(last[4]).toEqual({ role: 'assistant', content: '[host] Stopped after 1 tool round without a final answer; waiting for the next prompt.' });
    expect(last[6]?.content).toMatch(/^\[host\] The model request failed and was not retried: .*answered 400: maximum context length exceeded\./);
    expect((await conversationOf(agent)).messages.at(-1)).toEqual({ role: 'assistant', content: 'holding' });
    await host.stop();
    expect((await host.exited).code).toBe(0);
  });
});

describe('the LLM host and its servers', () => {
  /** Child processes of pid running the given script, read from /proc (the host may have other children, e.g. a compiler service). */
  function childrenRunning(pid: number, script: string): number[] {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          // The parent pid is the second field after the parenthesised command name.
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(script);
        } catch {
          return false;
        }
      })
      .map(Number);
  }

  it.skipIf(!existsSync('/proc'))('stops with exit code 1, saying a restart continues, when a server it launched dies', async () => {
    const agent = uniqueAgent('orphaned');
    const host = startHost(agent, { LLM_MCP_SERVERS: 'agents' });
    await host.waitForLine(/ready: /);
    const servers = childrenRunning(host.child.pid as number, 'servers/agents/server.ts');
    expect(servers).toHaveLength(1);
    process.kill(servers[0] as number, 'SIGKILL');
    expect((await host.exited).code).toBe(1);
    expect(host.stderr()).toContain('the connection to an MCP server was lost. Start the host again: it continues the conversation where it stopped.');
  });
});

describe('the LLM host refuses to run without what it needs', () => {
  it('says which variable to set when no key is set, and starts nothing', async () => {
    const host = spawnLlmHost({ ...temporalEnv, LLM_BASE_URL: 'http://127.0.0.1:9/v1' });
    hosts.push(host);
    expect((await host.exited).code).toBe(2);
    expect(host.stderr()).toContain('no model API key is set. Set OPENAI_API_KEY');
    expect(host.stderr()).toContain('ANTHROPIC_API_KEY');
  });

  it.each([
    ['an unknown provider', { OPENAI_API_KEY: API_KEY, LLM_PROVIDER: 'gemini' }, /LLM_PROVIDER=gemini is not supported; use openai .* or anthropic/],
    ['a provider without its key', { OPENAI_API_KEY: API_KEY, LLM_PROVIDER: 'anthropic' }, /LLM_PROVIDER=anthropic but ANTHROPIC_API_KEY is not set/],
    ['a base URL without a scheme', { OPENAI_API_KEY: API_KEY, LLM_BASE_URL: 'api.openai.com' }, /LLM_BASE_URL=api\.openai\.com is not a URL/],
    ['zero tool rounds', { OPENAI_API_KEY: API_KEY, LLM_MAX_TOOL_ROUNDS: '0' }, /LLM_MAX_TOOL_ROUNDS=0 is not an integer between 1 and 50/],
    ['a key with a space in it', { OPENAI_API_KEY: `${API_KEY} extra` }, /OPENAI_API_KEY contains spaces or control characters/],
  ])('%s', async (_label, env, expected) => {
    const host = spawnLlmHost({ ...temporalEnv, ...env });
    hosts.push(host);
    expect((await host.exited).code).toBe(2);
    expect(host.stderr()).toMatch(expected);
    expect(host.stderr()).not.toContain(API_KEY);
  });

  it('stops with exit code 1 when the model API refuses the key, without ever printing it', async () => {
    const agent = uniqueAgent('refused');
    const requestsBefore = model.requests.length;
    // Some APIs echo the key back in their error text.
    model.reply(errorReply(401, `Incorrect API key provided: ${API_KEY}`));
    const host = startHost(agent, { LLM_MCP_SERVERS: 'agents' });
    await host.waitForLine(/ready: /);
    await call('prompt_agent', { target: agent, message: 'Review the portfolio.', message_id: 'nudge-1' }, promptAgent.output);
    expect((await host.exited).code).toBe(1);
    expect(host.stderr()).toMatch(/answered 401: Incorrect API key provided: \[redacted\]\. Check the API key variable/);
    expect(host.stderr()).not.toContain(API_KEY);
    expect(host.stdout()).not.toContain(API_KEY);
    // Refused credentials are not retried.
    expect(model.requests.length - requestsBefore).toBe(1);
    expect(model.unscripted).toEqual([]);
  });
});
