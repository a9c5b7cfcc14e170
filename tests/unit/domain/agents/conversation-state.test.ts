/**
 * The conversation's pure state: which turns are accepted, de-duplication by turn_id (and refusal
 * of a reused one), the system prompt, trimming on append, the read view and the carried state.
 */
import { describe, expect, it } from 'vitest';
import {
  turnProblems,
  type AppendTurnRequest,
  type ConversationLimits,
  type ConversationMessage,
} from '../../../../schemas/temporal/conversation.js';
import {
  TurnRejection,
  appendTurn,
  carryConversation,
  newConversation,
  viewConversation,
} from '../../../../domain/agents/conversation-state.js';

const limits: ConversationLimits = { maxMessages: 6, maxChars: 10_000, dedupeWindow: 3, continueAsNewAfter: 100, historyLimit: 9_000 };
const NOW = '2025-01-01T00:00:00.000Z';

const user = (content: string): ConversationMessage => ({ role: 'user', content });
const answer = (content: string): ConversationMessage => ({ role: 'assistant', content });
const call = (...ids: string[]): ConversationMessage => ({
  role: 'assistant',
  content: '',
  tool_calls: ids.map((id) => ({ id, name: 'get_portfolio_status', arguments: '{}' })),
});
const result = (id: string): ConversationMessage => ({ role: 'tool', tool_call_id: id, content: `result of ${id}` });
const turn = (turn_id: string, messages: ConversationMessage[], digest = `d-${turn_id}`): AppendTurnRequest => ({ turn_id, digest, messages });

describe('turnProblems', () => {
  it('accepts whole exchanges in any mix', () => {
    expect(turnProblems([{ role: 'system', content: 's' }, user('u'), call('a', 'b'), result('b'), result('a'), call('c'), result('c'), answer('done')])).toEqual([]);
  });

  it.each([
    ['an empty turn', [], /at least one message/],
    ['a tool call without its result', [user('u'), call('a')], /tool calls of messages\[1\] \(a\) are unanswered/],
    ['a result missing for one of two calls', [call('a', 'b'), result('a'), answer('x')], /messages\[2\]: the tool calls of messages\[0\] \(b\) must each be answered/],
    ['a result without its call', [user('u'), result('a')], /messages\[1\]: tool_call_id a answers no unanswered call/],
    ['a result answering a call twice', [call('a'), result('a'), result('a')], /messages\[2\]: tool_call_id a answers no unanswered call/],
    ['a result separated from its call by a user message', [call('a'), user('u'), result('a')], /must each be answered by a tool message directly after it/],
    ['a tool message without tool_call_id', [call('a'), { role: 'tool', content: 'x' }], /needs the tool_call_id/],
    ['tool_calls on a user message', [{ ...user('u'), tool_calls: [{ id: 'a', name: 'n', arguments: '{}' }] }], /only assistant messages carry tool_calls/],
    ['tool_call_id on an assistant message', [{ ...answer('a'), tool_call_id: 'a' }], /only tool messages carry tool_call_id/],
    ['an empty tool_calls list', [{ ...answer('a'), tool_calls: [] }], /tool_calls is empty/],
    ['duplicate call ids', [call('a', 'a'), result('a')], /unique within a message/],
    ['two system messages', [{ role: 'system', content: 'a' }, { role: 'system', content: 'b' }], /at most one system message/],
  ] as const)('refuses %s', (_label, messages, expected) => {
    expect(turnProblems(messages as readonly ConversationMessage[]).join('; ')).toMatch(expected);
  });
});

describe('appendTurn', () => {
  it('appends turns in order and numbers them from 1', () => {
    const state = newConversation(limits);
    expect(appendTurn(state, turn('t1', [user('nudge 1')]), NOW)).toEqual({
      turn_id: 't1',
      turn_seq: 1,
      duplicate: false,
      stored_messages: 1,
      dropped_messages: 0,
    });
    expect(appendTurn(state, turn('t2', [call('c1'), result('c1'), answer('holding')]), NOW).turn_seq).toBe(2);
    expect(state.messages).toEqual([user('nudge 1'), call('c1'), result('c1'), answer('holding')]);
    expect(state).toMatchObject({ turnCount: 2, lastTurnId: 't2', updatedAt: NOW });
  });

  it('answers a repeated turn with its first position and appends nothing', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('t1', [user('a')]), NOW);
    appendTurn(state, turn('t2', [answer('b')]), NOW);
    expect(appendTurn(state, turn('t1', [user('a')]), NOW)).toMatchObject({ turn_id: 't1', turn_seq: 1, duplicate: true, stored_messages: 2 });
    expect(state.messages).toHaveLength(2);
    expect(state.turnCount).toBe(2);
  });

  it('refuses a turn_id reused for different messages, saying what to do', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('t1', [user('a')], 'digest-a'), NOW);
    const reuse = () => appendTurn(state, turn('t1', [user('b')], 'digest-b'), NOW);
    expect(reuse).toThrow(TurnRejection);
    expect(reuse).toThrow(/turn_id t1 was already saved \(turn 1\) with different messages; use a new turn_id/);
    expect(state.messages).toEqual([user('a')]);
  });

  it('refuses a malformed turn without changing anything', () => {
    const state = newConversation(limits);
    expect(() => appendTurn(state, turn('t1', [user('u'), call('a')]), NOW)).toThrow(/turn t1 is malformed: .*unanswered/);
    expect(state).toEqual(newConversation(limits));
  });

  it('remembers only the newest dedupeWindow turn ids', () => {
    const state = newConversation(limits);
    for (const id of ['t1', 't2', 't3', 't4']) appendTurn(state, turn(id, [user(id)]), NOW);
    expect(state.recent.map((r) => r.turn_id)).toEqual(['t2', 't3', 't4']);
  });

  it('keeps the latest system message as the system prompt, outside the trimmed messages', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('s1', [{ role: 'system', content: 'first' }, user('hi')]), NOW);
    appendTurn(state, turn('s2', [{ role: 'system', content: 'second' }]), NOW);
    expect(state.system).toEqual({ role: 'system', content: 'second' });
    expect(state.messages).toEqual([user('hi')]);
  });

  it('trims old exchanges on append and counts what it dropped', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('t1', [user('one'), call('a'), result('a'), answer('x')]), NOW);
    const second = appendTurn(state, turn('t2', [user('two'), call('b'), result('b')]), NOW);
    expect(second).toMatchObject({ stored_messages: 3, dropped_messages: 4 });
    expect(state.messages).toEqual([user('two'), call('b'), result('b')]);
  });
});

describe('viewConversation and carryConversation', () => {
  it('shows an agent without a conversation as empty', () => {
    expect(viewConversation('ensemble', undefined, {})).toEqual({
      agent: 'ensemble',
      system: null,
      messages: [],
      omitted_messages: 0,
      stored_messages: 0,
      dropped_messages: 0,
      turn_count: 0,
      last_turn_id: null,
      updated_at: null,
    });
  });

  it('trims the view by whole exchanges when fewer messages are asked for', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('t1', [{ role: 'system', content: 'sys' }, user('one'), answer('x')]), NOW);
    appendTurn(state, turn('t2', [user('two'), call('b'), result('b')]), NOW);
    const view = viewConversation('ensemble', state, { max_messages: 4 });
    expect(view.system).toEqual({ role: 'system', content: 'sys' });
    expect(view.messages).toEqual([user('two'), call('b'), result('b')]);
    expect(view).toMatchObject({ omitted_messages: 2, stored_messages: 5, turn_count: 2, last_turn_id: 't2' });
  });

  it('carries state into the next run, re-trimmed to tightened limits', () => {
    const state = newConversation(limits);
    appendTurn(state, turn('t1', [user('one'), answer('x')]), NOW);
    appendTurn(state, turn('t2', [user('two'), answer('y')]), NOW);
    const carried = carryConversation(state, { ...limits, maxMessages: 2, dedupeWindow: 1 });
    expect(carried.messages).toEqual([user('two'), answer('y')]);
    expect(carried).toMatchObject({ droppedMessages: 2, turnCount: 2, lastTurnId: 't2', recent: [{ turn_id: 't2', turn_seq: 2 }] });
    expect(carried.limits.maxMessages).toBe(2);
  });
});
