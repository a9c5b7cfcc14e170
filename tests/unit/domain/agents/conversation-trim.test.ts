/**
 * Trimming a conversation: property tests over generated conversations (system prompt, preamble,
 * exchanges of user prompts, tool-call blocks and answers) and budgets, plus worked examples.
 * The invariant that matters most: a tool call and its results are kept or dropped together.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversationMessage } from '../../../../schemas/temporal/conversation.js';
import { messageChars, toBlocks, trimConversation, type TrimBudget } from '../../../../domain/agents/conversation-trim.js';

type BlockShape = { kind: 'text'; len: number } | { kind: 'tools'; lens: number[]; argLen: number; contentLen: number };
interface Shape {
  systemLen: number | null;
  preamble: BlockShape[];
  exchanges: Array<{ userLen: number; blocks: BlockShape[] }>;
}

const blockShape: fc.Arbitrary<BlockShape> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), len: fc.nat(60) }),
  fc.record({
    kind: fc.constant('tools' as const),
    lens: fc.array(fc.nat(80), { minLength: 1, maxLength: 3 }),
    argLen: fc.nat(30),
    contentLen: fc.nat(20),
  }),
);

const shape: fc.Arbitrary<Shape> = fc.record({
  systemLen: fc.option(fc.nat(200), { nil: null }),
  preamble: fc.array(blockShape, { maxLength: 2 }),
  exchanges: fc.array(fc.record({ userLen: fc.nat(80), blocks: fc.array(blockShape, { maxLength: 4 }) }), { maxLength: 6 }),
});

const budget: fc.Arbitrary<TrimBudget> = fc.record({ maxMessages: fc.integer({ min: 1, max: 40 }), maxChars: fc.nat(800) });

/** Builds concrete messages from a shape; every message has distinct content so positions can be traced. */
function build(s: Shape): ConversationMessage[] {
  let n = 0;
  const text = (len: number) => `#${n++}:${'x'.repeat(len)}`;
  const blocks = (b: BlockShape): ConversationMessage[] => {
    if (b.kind === 'text') return [{ role: 'assistant', content: text(b.len) }];
    const calls = b.lens.map(() => ({ id: `call_${n++}`, name: 'get_portfolio_status', arguments: `{"a":"${'y'.repeat(b.argLen)}"}` }));
    return [
      { role: 'assistant', content: text(b.contentLen), tool_calls: calls },
      ...calls.map((c, i) => ({ role: 'tool' as const, tool_call_id: c.id, content: text(b.lens[i] ?? 0) })),
    ];
  };
  return [
    ...(s.systemLen === null ? [] : [{ role: 'system' as const, content: text(s.systemLen) }]),
    ...s.preamble.flatMap(blocks),
    ...s.exchanges.flatMap((e) => [{ role: 'user' as const, content: text(e.userLen) }, ...e.blocks.flatMap(blocks)]),
  ];
}

const withoutSystem = (ms: readonly ConversationMessage[]) => (ms[0]?.role === 'system' ? ms.slice(1) : [...ms]);
const total = (ms: readonly ConversationMessage[]) => ms.reduce((sum, m) => sum + messageChars(m), 0);
const withinBudget = (ms: readonly ConversationMessage[], b: TrimBudget) => ms.length <= b.maxMessages && total(ms) <= b.maxChars;
const lastUserIndex = (ms: readonly ConversationMessage[]) => ms.map((m) => m.role).lastIndexOf('user');

/** Every tool call kept has its results right after it, and every tool result kept follows its call. */
function assertNoSplitToolExchange(kept: readonly ConversationMessage[]): void {
  for (let i = 0; i < kept.length; i += 1) {
    const m = kept[i] as ConversationMessage;
    if (m.role === 'assistant' && m.tool_calls) {
      const answers = kept.slice(i + 1, i + 1 + m.tool_calls.length);
      expect(answers.map((a) => a.role)).toEqual(m.tool_calls.map(() => 'tool'));
      expect(answers.map((a) => a.tool_call_id).sort()).toEqual(m.tool_calls.map((c) => c.id).sort());
    }
    if (m.role === 'tool') {
      let j = i - 1;
      while (j >= 0 && kept[j]?.role === 'tool') j -= 1;
      const caller = kept[j];
      expect(caller?.role).toBe('assistant');
      expect(caller?.tool_calls?.map((c) => c.id)).toContain(m.tool_call_id);
    }
  }
}

describe('trimConversation properties', () => {
  it('never separates an assistant tool call from the tool results answering it', () => {
    fc.assert(
      fc.property(shape, budget, (s, b) => {
        assertNoSplitToolExchange(trimConversation(build(s), b).kept);
      }),
      { numRuns: 2_000 },
    );
  });

  it('keeps the system prompt first, and keeps a suffix of the rest, led at most by the newest exchange’s user message', () => {
    fc.assert(
      fc.property(shape, budget, (s, b) => {
        const input = build(s);
        const { kept, dropped } = trimConversation(input, b);
        if (input[0]?.role === 'system') expect(kept[0]).toBe(input[0]);
        const rest = withoutSystem(input);
        const keptRest = withoutSystem(kept);
        expect(dropped).toBe(rest.length - keptRest.length);
        const suffixFrom = rest.length - keptRest.length;
        const isSuffix = keptRest.every((m, i) => m === rest[suffixFrom + i]);
        const isAnchoredSuffix =
          keptRest[0] === rest[lastUserIndex(rest)] && keptRest.slice(1).every((m, i) => m === rest[rest.length - keptRest.length + 1 + i]);
        expect(isSuffix || isAnchoredSuffix).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('stays within the budget, except for the newest user message, which is kept even when it alone is over', () => {
    fc.assert(
      fc.property(shape, budget, (s, b) => {
        const input = build(s);
        const rest = withoutSystem(input);
        const keptRest = withoutSystem(trimConversation(input, b).kept);
        if (!withinBudget(keptRest, b)) {
          expect(keptRest).toHaveLength(1);
          expect(keptRest[0]).toBe(rest[lastUserIndex(rest)]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('always keeps the newest user message, and starts with a user message once anything was dropped', () => {
    fc.assert(
      fc.property(shape, budget, (s, b) => {
        const input = build(s);
        const rest = withoutSystem(input);
        const keptRest = withoutSystem(trimConversation(input, b).kept);
        const last = lastUserIndex(rest);
        if (last < 0) return;
        expect(keptRest).toContain(rest[last]);
        if (keptRest.length < rest.length) expect(keptRest[0]?.role).toBe('user');
      }),
      { numRuns: 2_000 },
    );
  });

  it('drops only what does not fit: one more exchange (or block of the newest exchange) would break the budget', () => {
    fc.assert(
      fc.property(shape, budget, (s, b) => {
        const input = build(s);
        const rest = withoutSystem(input);
        const keptRest = withoutSystem(trimConversation(input, b).kept);
        if (keptRest.length === rest.length) return;
        const suffixFrom = rest.length - keptRest.length;
        const anchored = keptRest[0] !== rest[suffixFrom];
        if (!anchored) {
          // Whole exchanges: the exchange before the kept ones starts at the previous user message (or the start).
          const previousStart = Math.max(0, rest.slice(0, suffixFrom).map((m) => m.role).lastIndexOf('user'));
          expect(withinBudget([...rest.slice(previousStart, suffixFrom), ...keptRest], b)).toBe(false);
        } else {
          // Within the newest exchange: the block right before the kept blocks did not fit.
          const anchor = keptRest[0] as ConversationMessage;
          const anchorAt = rest.indexOf(anchor);
          const tailFrom = rest.length - (keptRest.length - 1);
          if (tailFrom === anchorAt + 1) return;
          const before = toBlocks(rest.slice(anchorAt + 1, tailFrom)).at(-1)?.messages ?? [];
          expect(withinBudget([anchor, ...before, ...keptRest.slice(1)], b)).toBe(false);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('is idempotent, and a larger budget keeps everything a smaller one keeps', () => {
    fc.assert(
      fc.property(shape, budget, fc.nat(20), fc.nat(400), (s, b, moreMessages, moreChars) => {
        const input = build(s);
        const once = trimConversation(input, b).kept;
        expect(trimConversation(once, b).kept).toEqual(once);
        const larger = trimConversation(input, { maxMessages: b.maxMessages + moreMessages, maxChars: b.maxChars + moreChars }).kept;
        for (const m of once) expect(larger).toContain(m);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('trimConversation examples', () => {
  const sys: ConversationMessage = { role: 'system', content: 'You are the ensemble agent.' };
  const user = (content: string): ConversationMessage => ({ role: 'user', content });
  const answer = (content: string): ConversationMessage => ({ role: 'assistant', content });
  const call = (id: string): ConversationMessage => ({ role: 'assistant', content: '', tool_calls: [{ id, name: 'get_portfolio_status', arguments: '{}' }] });
  const result = (id: string, content = 'ok'): ConversationMessage => ({ role: 'tool', tool_call_id: id, content });

  it('keeps everything that fits, untouched', () => {
    const input = [sys, user('nudge 1'), call('c1'), result('c1'), answer('holding')];
    expect(trimConversation(input, { maxMessages: 10, maxChars: 1_000 })).toEqual({ kept: input, dropped: 0 });
  });

  it('drops the oldest whole exchange, not the middle of one', () => {
    const input = [sys, user('nudge 1'), call('c1'), result('c1'), answer('holding'), user('nudge 2'), answer('buying')];
    // Five messages would fit, but the first exchange has four: dropping part of it would split or orphan it.
    const { kept, dropped } = trimConversation(input, { maxMessages: 5, maxChars: 1_000 });
    expect(kept).toEqual([sys, user('nudge 2'), answer('buying')]);
    expect(dropped).toBe(4);
  });

  it('does not count the system prompt against the budget', () => {
    const big: ConversationMessage = { role: 'system', content: 's'.repeat(5_000) };
    const input = [big, user('hi'), answer('hello')];
    expect(trimConversation(input, { maxMessages: 2, maxChars: 10 }).kept).toEqual(input);
  });

  it('keeps the newest prompt and the newest blocks of an exchange too large to keep whole', () => {
    const input = [user('old'), answer('old answer'), user('nudge'), call('c1'), result('c1', 'r'.repeat(500)), call('c2'), result('c2', 'small'), answer('done')];
    const { kept } = trimConversation(input, { maxMessages: 10, maxChars: 100 });
    expect(kept).toEqual([user('nudge'), call('c2'), result('c2', 'small'), answer('done')]);
  });

  it('keeps a prompt larger than the whole budget on its own', () => {
    const prompt = user('p'.repeat(300));
    expect(trimConversation([user('a'), answer('b'), prompt], { maxMessages: 5, maxChars: 100 }).kept).toEqual([prompt]);
  });

  it('treats a multi-call block as one unit', () => {
    const twoCalls: ConversationMessage = {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'a', name: 'x', arguments: '{}' },
        { id: 'b', name: 'y', arguments: '{}' },
      ],
    };
    const input = [user('go'), twoCalls, result('b'), result('a')];
    expect(toBlocks(input).map((blk) => blk.messages.length)).toEqual([1, 3]);
    // Room for the prompt and two more messages: the three-message block does not fit, so none of it is kept.
    expect(trimConversation(input, { maxMessages: 3, maxChars: 1_000 }).kept).toEqual([user('go')]);
  });

  it('refuses a budget that could keep nothing', () => {
    expect(() => trimConversation([user('a')], { maxMessages: 0, maxChars: 10 })).toThrow(/maxMessages >= 1/);
  });
});
