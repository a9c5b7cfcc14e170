/**
 * The nonce allocator's state transitions, on random sequences of allocations and releases: no
 * two live transactions share a nonce, the sequence has no gap, a repeated request changes nothing,
 * and the day's spending is exactly what live transactions carry, never above the cap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AllocateNonceRequest, NonceAllocatorState } from '../../../../schemas/temporal/transactions.js';
import {
  allocate,
  allocationByHash,
  applyChainNonce,
  emptyAllocatorState,
  existingAllocation,
  needsChainNonce,
  recordHash,
  release,
  utcDay,
} from '../../../../domain/transactions/nonce-state.js';

const DAY = '2026-01-02';
const LIMITS = { remembered: 1_000, continueAsNewAfter: 500 };

function request(key: string, value = 0n, attempt = 0, cap: bigint | null = null): AllocateNonceRequest {
  return { idempotency_key: key, value_wei: value.toString(), max_daily_value_wei: cap === null ? null : cap.toString(), attempt };
}

/** What the workflow's update handler does: read the chain when needed, then allocate. */
function handle(state: NonceAllocatorState, req: AllocateNonceRequest, chainPending: number, day = DAY) {
  if (existingAllocation(state, req) === null && needsChainNonce(state, req)) applyChainNonce(state, chainPending);
  return allocate(state, req, day, LIMITS);
}

describe('allocate', () => {
  it('starts from the chain, hands out consecutive nonces, and answers a repeat with the same nonce', () => {
    const state = emptyAllocatorState(DAY);
    expect(needsChainNonce(state, request('a'))).toBe(true);
    expect(handle(state, request('a'), 7)).toEqual({ ok: true, nonce: 7 });
    expect(handle(state, request('b'), 7)).toEqual({ ok: true, nonce: 8 });
    const before = structuredClone(state);
    expect(handle(state, request('a'), 99)).toEqual({ ok: true, nonce: 7 });
    expect(state).toEqual(before);
  });

  it('gives a key a fresh nonce after the chain consumed its old one, without charging its value twice', () => {
    const state = emptyAllocatorState(DAY);
    handle(state, request('a', 5n), 0);
    handle(state, request('b', 1n), 0);
    // Something outside took nonces 0 and 1: the chain now reports 3 pending.
    expect(handle(state, request('a', 5n, 1), 3)).toEqual({ ok: true, nonce: 3 });
    expect(state.next).toBe(4);
    expect(state.spent.value_wei).toBe('6');
    // The retried attempt is idempotent too.
    expect(handle(state, request('a', 5n, 1), 50)).toEqual({ ok: true, nonce: 3 });
  });

  it('reuses a released nonce first, after re-reading the chain', () => {
    const state = emptyAllocatorState(DAY);
    for (const key of ['a', 'b', 'c']) handle(state, request(key, 10n), 0);
    release(state, { idempotency_key: 'b', nonce: 1 });
    expect(state).toMatchObject({ released: [1], resync: true, spent: { value_wei: '20' } });
    expect(needsChainNonce(state, request('d'))).toBe(true);
    expect(handle(state, request('d'), 1)).toEqual({ ok: true, nonce: 1 });
    expect(handle(state, request('e'), 1)).toEqual({ ok: true, nonce: 3 });
  });

  it('drops a released nonce the chain has moved past', () => {
    const state = emptyAllocatorState(DAY);
    for (const key of ['a', 'b']) handle(state, request(key), 0);
    release(state, { idempotency_key: 'a', nonce: 0 });
    expect(handle(state, request('c'), 1)).toEqual({ ok: true, nonce: 2 });
    expect(state.released).toEqual([]);
  });

  it('refuses what would exceed the daily cap, counts a new day from zero, and refunds a release', () => {
    const state = emptyAllocatorState(DAY);
    expect(handle(state, request('a', 60n, 0, 100n), 0)).toEqual({ ok: true, nonce: 0 });
    const refused = handle(state, request('b', 41n, 0, 100n), 0);
    expect(refused).toEqual({
      ok: false,
      refusal: {
        code: 'DAILY_CAP_EXCEEDED',
        reason: `value 41 wei would bring today's total (${DAY} UTC) to 101 wei, above EVM_MAX_DAILY_VALUE_WEI=100 (already spent 60 wei)`,
      },
    });
    expect(state.next).toBe(1);
    expect(handle(state, request('c', 40n, 0, 100n), 0)).toEqual({ ok: true, nonce: 1 });
    release(state, { idempotency_key: 'a', nonce: 0 });
    expect(state.spent.value_wei).toBe('40');
    expect(handle(state, request('d', 99n, 0, 100n), 0, '2026-01-03')).toEqual({ ok: true, nonce: 0 });
    expect(state.spent).toEqual({ day: '2026-01-03', value_wei: '99' });
  });

  it('remembers a bounded number of allocations and finds them by hash, in any case', () => {
    const state = emptyAllocatorState(DAY);
    const limits = { remembered: 3, continueAsNewAfter: 10 };
    applyChainNonce(state, 0);
    for (const key of ['a', 'b', 'c', 'd']) allocate(state, request(key), DAY, limits);
    expect(state.allocations.map((a) => a.idempotency_key)).toEqual(['b', 'c', 'd']);
    const hash = `0x${'AB'.repeat(32)}`;
    recordHash(state, { idempotency_key: 'c', nonce: 2, tx_hash: hash });
    expect(allocationByHash(state, hash.toLowerCase())).toMatchObject({ idempotency_key: 'c', nonce: 2 });
    expect(allocationByHash(state, `0x${'cd'.repeat(32)}`)).toBeNull();
    // A hash for a superseded nonce is not recorded against the key.
    recordHash(state, { idempotency_key: 'd', nonce: 99, tx_hash: `0x${'ef'.repeat(32)}` });
    expect(allocationByHash(state, `0x${'ef'.repeat(32)}`)).toBeNull();
  });

  it('names the day in UTC', () => {
    expect(utcDay(new Date('2026-03-04T23:59:59-05:00'))).toBe('2026-03-05');
  });
});

describe('allocator invariants on random sequences', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('allocate' as const), key: fc.integer({ min: 0, max: 12 }), value: fc.bigInt({ min: 0n, max: 50n }) }),
    fc.record({ kind: fc.constant('release' as const), key: fc.integer({ min: 0, max: 12 }) }),
  );

  it('never shares a nonce, leaves no gap, keeps repeats idempotent and the budget exact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.array(op, { maxLength: 80 }), fc.bigInt({ min: 50n, max: 400n }), (start, ops, cap) => {
        const state = emptyAllocatorState(DAY);
        for (const o of ops) {
          const key = `k${o.key}`;
          if (o.kind === 'release') {
            const live = state.allocations.find((a) => a.idempotency_key === key);
            if (live) release(state, { idempotency_key: key, nonce: live.nonce });
          } else {
            const before = structuredClone(state);
            const existing = state.allocations.find((a) => a.idempotency_key === key);
            const result = handle(state, request(key, o.value, 0, cap), start);
            if (existing) {
              // A repeat: the same answer, and nothing else changes.
              expect(result).toEqual({ ok: true, nonce: existing.nonce });
              expect(state).toEqual(before);
            }
          }
          const live = state.allocations.filter((a) => !a.released);
          const liveNonces = live.map((a) => a.nonce);
          expect(new Set(liveNonces).size).toBe(liveNonces.length);
          if (state.next !== null) {
            const handedOut = [...liveNonces, ...state.released].sort((a, b) => a - b);
            expect(handedOut).toEqual(Array.from({ length: state.next - start }, (_, i) => start + i));
          }
          const spent = live.reduce((sum, a) => sum + BigInt(a.value_wei), 0n);
          expect(BigInt(state.spent.value_wei)).toBe(spent);
          expect(spent <= cap).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
