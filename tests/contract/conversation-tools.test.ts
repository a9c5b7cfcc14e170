/**
 * save_conversation_turn and get_conversation through the spawned agents server, with a real
 * worker behind it whose conversation bounds are small: results match the output contract, a turn
 * is appended once per turn_id (and a reused id is refused), the conversation is trimmed by whole
 * exchanges, it continues as new carrying its state, and bad input gets a clear isError.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { getConversation, saveConversationTurn } from '../../schemas/agents-conversation.js';
import { conversationWorkflowId, type ConversationMessage } from '../../schemas/temporal/conversation.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';

const MAX_MESSAGES = 6;
const CONTINUE_AS_NEW_AFTER = 4;

let worker: RunningWorker;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('conversation-tools');
  worker = await startTestWorker(taskQueue, {
    CONVERSATION_MAX_MESSAGES: String(MAX_MESSAGES),
    CONVERSATION_CONTINUE_AS_NEW_AFTER: String(CONTINUE_AS_NEW_AFTER),
  });
  temporal = await testClient();
  server = await connectServer('agents', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
});

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  await temporal?.close();
});

const { succeed, fail } = toolCaller(() => server.client);

const save = (agent: string, turn_id: string, messages: ConversationMessage[]) =>
  succeed('save_conversation_turn', { agent, turn_id, messages }, saveConversationTurn.output);
const read = (agent: string, extra: Record<string, unknown> = {}) => succeed('get_conversation', { agent, ...extra }, getConversation.output);

const system: ConversationMessage = { role: 'system', content: 'You are the ensemble agent.' };
const user = (content: string): ConversationMessage => ({ role: 'user', content });
const answer = (content: string): ConversationMessage => ({ role: 'assistant', content });
const toolRound = (id: string): ConversationMessage[] => [
  { role: 'assistant', content: '', tool_calls: [{ id, name: 'get_portfolio_status', arguments: '{}' }] },
  { role: 'tool', tool_call_id: id, content: `{"cash":"100000","call":"${id}"}` },
];

describe('save_conversation_turn and get_conversation', () => {
  it('reads an agent that never saved a turn as an empty conversation, creating nothing', async () => {
    const agent = uniqueAgent('empty');
    expect(await read(agent)).toEqual({
      agent,
      messages: [],
      omitted_messages: 0,
      stored_messages: 0,
      dropped_messages: 0,
      turn_count: 0,
      last_turn_id: null,
      updated_at: null,
      workflow_id: conversationWorkflowId(agent),
      run_id: null,
    });
    await expect(temporal.client.workflow.getHandle(conversationWorkflowId(agent)).describe()).rejects.toThrow(/not found/i);
  });

  it('saves turns in order, once per turn_id, and reads them back with the system prompt first', async () => {
    const agent = uniqueAgent('turns');
    const first = await save(agent, 'turn-1', [system, user('nudge 1')]);
    expect(first).toMatchObject({ agent, turn_id: 'turn-1', turn_seq: 1, duplicate: false, stored_messages: 1, dropped_messages: 0, workflow_id: conversationWorkflowId(agent) });
    const run = await temporal.client.workflow.getHandle(first.workflow_id, first.run_id).describe();
    expect(run.status.name).toBe('RUNNING');

    const round = await save(agent, 'turn-2', [...toolRound('c1'), answer('holding')]);
    expect(round).toMatchObject({ turn_seq: 2, duplicate: false, stored_messages: 4 });
    // A save repeated after a lost answer appends nothing and reports the first position.
    expect(await save(agent, 'turn-1', [system, user('nudge 1')])).toEqual({ ...first, duplicate: true, stored_messages: 4 });

    const conversation = await read(agent);
    expect(conversation.messages).toEqual([system, user('nudge 1'), ...toolRound('c1'), answer('holding')]);
    expect(conversation).toMatchObject({ turn_count: 2, stored_messages: 4, last_turn_id: 'turn-2', run_id: first.run_id });
    expect(Number.isNaN(Date.parse(conversation.updated_at ?? ''))).toBe(false);
  });

  it('refuses a turn_id reused for different messages, saying what to do', async () => {
    const agent = uniqueAgent('conflict');
    await save(agent, 'turn-1', [user('buy')]);
    const message = await fail('save_conversation_turn', { agent, turn_id: 'turn-1', messages: [user('sell')] });
    expect(message).toMatch(/^TURN_CONFLICT: turn_id turn-1 was already saved \(turn 1\) with different messages; use a new turn_id/);
    expect(message).toContain('Retrying the same call will not help.');
    expect((await read(agent)).messages).toEqual([user('buy')]);
  });

  it('trims old exchanges to the worker’s bound without separating a tool call from its result', async () => {
    const agent = uniqueAgent('trim');
    await save(agent, 'turn-1', [system]);
    for (let i = 1; i <= 3; i += 1) {
      await save(agent, `prompt-${i}`, [user(`nudge ${i}`)]);
      await save(agent, `round-${i}`, [...toolRound(`c${i}`), answer(`done ${i}`)]);
    }
    const conversation = await read(agent);
    // Each exchange has four messages; two would be eight, over the bound of six.
    expect(conversation.messages).toEqual([system, user('nudge 3'), ...toolRound('c3'), answer('done 3')]);
    expect(conversation).toMatchObject({ stored_messages: 4, dropped_messages: 8, turn_count: 7 });

    const limited = await read(agent, { max_messages: 2 });
    // Two messages cannot hold the tool round whole: only the newest prompt and the final answer remain.
    expect(limited.messages).toEqual([system, user('nudge 3'), answer('done 3')]);
    expect(limited.omitted_messages).toBe(2);
  });

  it('continues as new after its turn bound, carrying the conversation and the remembered turn ids', async () => {
    const agent = uniqueAgent('rollover');
    const first = await save(agent, 'turn-1', [system, user('one')]);
    for (let i = 2; i <= CONTINUE_AS_NEW_AFTER + 1; i += 1) await save(agent, `turn-${i}`, [answer(`a${i}`)]);
    const handle = temporal.client.workflow.getHandle(conversationWorkflowId(agent));
    await expect.poll(async () => (await handle.describe()).runId, { timeout: 30_000 }).not.toBe(first.run_id);
    const firstRun = await temporal.client.workflow.getHandle(first.workflow_id, first.run_id).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');

    // A turn saved before the hand-over is still recognised, and the conversation is whole.
    expect(await save(agent, 'turn-1', [system, user('one')])).toMatchObject({ turn_seq: 1, duplicate: true });
    const after = await save(agent, 'turn-next', [user('two')]);
    expect(after).toMatchObject({ turn_seq: CONTINUE_AS_NEW_AFTER + 2, duplicate: false });
    const conversation = await read(agent);
    expect(conversation.run_id).not.toBe(first.run_id);
    expect(conversation.messages[0]).toEqual(system);
    expect(conversation.messages.at(-1)).toEqual(user('two'));
    expect(conversation.turn_count).toBe(CONTINUE_AS_NEW_AFTER + 2);
  });
});

describe('bad input is answered with a clear isError', () => {
  const agent = 'bad-conversation-agent';
  const call = { id: 'c1', name: 'get_portfolio_status', arguments: '{}' };
  it.each([
    ['no messages', { agent, turn_id: 't', messages: [] }, /messages: .*>=1 items/],
    ['65 messages', { agent, turn_id: 't', messages: Array.from({ length: 65 }, () => user('x')) }, /messages: .*<=64 items/],
    ['a tool call saved without its result', { agent, turn_id: 't', messages: [user('u'), { role: 'assistant', content: '', tool_calls: [call] }] }, /messages: the tool calls of messages\[1\] \(c1\) are unanswered; save the assistant message together with its tool results in one turn/],
    ['a result saved without its call', { agent, turn_id: 't', messages: [{ role: 'tool', tool_call_id: 'c1', content: 'r' }] }, /messages: messages\[0\]: tool_call_id c1 answers no unanswered call/],
    ['an unknown role', { agent, turn_id: 't', messages: [{ role: 'function', content: 'x' }] }, /messages\.0\.role: Invalid option: expected one of "system"\|"user"\|"assistant"\|"tool"/],
    ['a misspelt field inside a message', { agent, turn_id: 't', messages: [{ role: 'assistant', content: '', toolCalls: [call] }] }, /messages\.0: Unrecognized key: "toolCalls"/],
    ['arguments as an object instead of JSON text', { agent, turn_id: 't', messages: [{ role: 'assistant', content: '', tool_calls: [{ ...call, arguments: {} }] }, { role: 'tool', tool_call_id: 'c1', content: 'r' }] }, /messages\.0\.tool_calls\.0\.arguments: .*expected string/],
    ['a turn_id with spaces', { agent, turn_id: 'turn one', messages: [user('x')] }, /turn_id: use 1-128 characters/],
    ['a missing agent', { turn_id: 't', messages: [user('x')] }, /^INVALID_INPUT: agent: /],
  ] as const)('save_conversation_turn with %s', async (_label, args, expected) => {
    const message = await fail('save_conversation_turn', args);
    expect(message).toMatch(/^INVALID_INPUT: /);
    expect(message).toMatch(expected);
    expect(message).toContain('Fix the arguments as described and call again.');
  });

  it.each([
    ['max_messages 0', { agent, max_messages: 0 }, /max_messages: .*>=1/],
    ['max_messages as text', { agent, max_messages: '10' }, /max_messages: .*number/],
    ['an agent name with capitals', { agent: 'Ensemble' }, /agent: use 1-64 characters/],
  ] as const)('get_conversation with %s', async (_label, args, expected) => {
    expect(await fail('get_conversation', args)).toMatch(expected);
  });

  it('leaves nothing behind for a refused turn', async () => {
    await fail('save_conversation_turn', { agent, turn_id: 't', messages: [] });
    await expect(temporal.client.workflow.getHandle(conversationWorkflowId(agent)).describe()).rejects.toThrow(/not found/i);
  });
});
