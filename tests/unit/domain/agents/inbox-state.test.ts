/**
 * The inbox's pure transitions: what the inbox workflow relies on for exactly-once hand-out,
 * de-duplication and backpressure, checked on fixed cases and on random operation sequences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnqueueRequest, InboxCarriedState, InboxLimits } from '../../../../schemas/temporal/agents.js';
import { InboxFullError, emptyInbox, enqueue, take } from '../../../../domain/agents/inbox-state.js';

const NOW = '2025-01-01T00:00:00.000Z';

function request(messageId: string, text = `text of ${messageId}`): EnqueueRequest {
  return { message_id: messageId, from: 'tester', text, prompt_workflow_id: `prompt:agent:${messageId}` };
}

function inbox(limits: Partial<InboxLimits> = {}): InboxCarriedState {
  return emptyInbox({ maxMessages: 100, dedupeWindow: 100, continueAsNewAfter: 1_000, ...limits });
}

describe('inbox state: fixed cases', () => {
  it('starts empty with the limits it was given', () => {
    const limits = { maxMessages: 3, dedupeWindow: 4, continueAsNewAfter: 5 };
    expect(emptyInbox(limits)).toEqual({ limits, queue: [], recent: [], nextSeq: 0, delivered: 0 });
  });

  it('hands messages out oldest first, with increasing seq and every field of the request', () => {
    const state = inbox();
    expect(enqueue(state, request('a'), NOW)).toEqual({ seq: 0, duplicate: false });
    expect(enqueue(state, request('b'), NOW)).toEqual({ seq: 1, duplicate: false });
    expect(take(state)).toEqual({
      message_id: 'a',
      seq: 0,
      from: 'tester',
      text: 'text of a',
      enqueued_at: NOW,
      prompt_workflow_id: 'prompt:agent:a',
    });
    expect(take(state)?.message_id).toBe('b');
    expect(take(state)).toBeUndefined();
    expect(state.delivered).toBe(2);
  });

  it('refuses a repeated message id, reporting the first seq, even after it was taken', () => {
    const state = inbox();
    enqueue(state, request('a'), NOW);
    enqueue(state, request('b'), NOW);
    expect(enqueue(state, request('a', 'other text'), NOW)).toEqual({ seq: 0, duplicate: true });
    take(state);
    expect(enqueue(state, request('a'), NOW)).toEqual({ seq: 0, duplicate: true });
    expect(state.queue.map((m) => m.message_id)).toEqual(['b']);
    expect(state.nextSeq).toBe(2);
  });

  it('forgets the oldest ids beyond the dedupe window', () => {
    const state = inbox({ dedupeWindow: 2 });
    for (const id of ['a', 'b', 'c']) enqueue(state, request(id), NOW);
    expect(state.recent).toEqual([
      { message_id: 'b', seq: 1 },
      { message_id: 'c', seq: 2 },
    ]);
    // 'a' fell out of the window, so it is a new message again; 'c' is still remembered.
    expect(enqueue(state, request('a'), NOW)).toEqual({ seq: 3, duplicate: false });
    expect(enqueue(state, request('c'), NOW)).toEqual({ seq: 2, duplicate: true });
  });

  it('throws InboxFullError when full and leaves the state untouched', () => {
    const state = inbox({ maxMessages: 2 });
    enqueue(state, request('a'), NOW);
    enqueue(state, request('b'), NOW);
    const before = structuredClone(state);
    expect(() => enqueue(state, request('c'), NOW)).toThrow(InboxFullError);
    expect(() => enqueue(state, request('c'), NOW)).toThrow(/2 undelivered messages \(limit 2\)/);
    expect(state).toEqual(before);
  });

  it('still answers a duplicate while full, and accepts again once a message is taken', () => {
    const state = inbox({ maxMessages: 1 });
    enqueue(state, request('a'), NOW);
    expect(enqueue(state, request('a'), NOW)).toEqual({ seq: 0, duplicate: true });
    take(state);
    expect(enqueue(state, request('b'), NOW)).toEqual({ seq: 1, duplicate: false });
  });
});

type Op = { kind: 'enqueue'; id: string } | { kind: 'take' };

const ID_POOL = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ID_POOL).map((id): Op => ({ kind: 'enqueue', id })) },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'take' }) },
);

const limitsArb = (dedupeWindow: fc.Arbitrary<number>) =>
  fc.record({ maxMessages: fc.integer({ min: 1, max: 6 }), dedupeWindow, continueAsNewAfter: fc.constant(1_000) });

/** Applies the operations, recording what each one did so properties can be stated over the trace. */
function run(limits: InboxLimits, ops: Op[]) {
  const state = emptyInbox(limits);
  const accepted: string[] = [];
  const handedOut: Array<{ message_id: string; seq: number }> = [];
  let refusedFull = 0;
  for (const op of ops) {
    if (op.kind === 'take') {
      const message = take(state);
      if (message) handedOut.push({ message_id: message.message_id, seq: message.seq });
      continue;
    }
    const before = structuredClone(state);
    try {
      const outcome = enqueue(state, request(op.id), NOW);
      if (outcome.duplicate) {
        // A duplicate reports the seq the id was first given and changes nothing.
        expect(state).toEqual(before);
        expect(before.recent).toContainEqual({ message_id: op.id, seq: outcome.seq });
      } else {
        expect(outcome.seq).toBe(before.nextSeq);
        accepted.push(op.id);
      }
    } catch (err) {
      expect(err).toBeInstanceOf(InboxFullError);
      expect(state).toEqual(before);
      expect(before.queue).toHaveLength(limits.maxMessages);
      expect(before.recent.some((r) => r.message_id === op.id)).toBe(false);
      refusedFull += 1;
    }
    expect(state.queue.length).toBeLessThanOrEqual(limits.maxMessages);
    expect(state.recent.length).toBeLessThanOrEqual(limits.dedupeWindow);
  }
  return { state, accepted, handedOut, refusedFull };
}

describe('inbox state: random operation sequences', () => {
  it('with a window covering every id, hands each id out at most once, in enqueue order', () => {
    fc.assert(
      fc.property(limitsArb(fc.integer({ min: ID_POOL.length, max: 20 })), fc.array(opArb, { maxLength: 60 }), (limits, ops) => {
        const { state, accepted, handedOut } = run(limits, ops);
        const ids = handedOut.map((m) => m.message_id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(accepted).size).toBe(accepted.length);
        // What was handed out is a prefix of what was accepted; the rest is still queued, in order.
        expect([...ids, ...state.queue.map((m) => m.message_id)]).toEqual(accepted);
        expect(handedOut.map((m) => m.seq)).toEqual(handedOut.map((_, i) => i));
        expect(state.delivered).toBe(handedOut.length);
        expect(state.nextSeq).toBe(accepted.length);
      }),
      { numRuns: 500 },
    );
  });

  it('with any window, never hands out a seq twice and keeps the window bounded to the newest ids', () => {
    fc.assert(
      fc.property(limitsArb(fc.integer({ min: 1, max: 4 })), fc.array(opArb, { maxLength: 80 }), (limits, ops) => {
        const { state, accepted, handedOut } = run(limits, ops);
        const seqs = handedOut.map((m) => m.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        expect(new Set(seqs).size).toBe(seqs.length);
        expect([...handedOut.map((m) => m.message_id), ...state.queue.map((m) => m.message_id)]).toEqual(accepted);
        const newest = accepted.slice(-limits.dedupeWindow);
        expect(state.recent.map((r) => r.message_id)).toEqual(newest);
        expect(state.recent.map((r) => r.seq)).toEqual(newest.map((_, i) => accepted.length - newest.length + i));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses only when full, and then changes nothing', () => {
    // Mostly enqueues of fresh ids so the inbox fills up and the full path is exercised often.
    const fillingOps = fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.nat({ max: 1_000 }).map((n): Op => ({ kind: 'enqueue', id: `f${n}` })) },
        { weight: 1, arbitrary: fc.constant<Op>({ kind: 'take' }) },
      ),
      { maxLength: 40 },
    );
    let sawRefusal = false;
    fc.assert(
      fc.property(limitsArb(fc.constant(2_000)), fillingOps, (limits, ops) => {
        const { refusedFull } = run(limits, ops);
        sawRefusal ||= refusedFull > 0;
      }),
      { numRuns: 300 },
    );
    expect(sawRefusal).toBe(true);
  });
});
