/**
 * The nonce allocator's pure state transitions. Nonces of one address on one chain form a gapless
 * sequence; this hands each idempotency key exactly one of them, reuses those whose transaction the
 * node rejected (lowest first, so no gap stays open), and keeps the per-day value budget. A
 * repeated request for a key gets the allocation it already has.
 */
import type {
  AllocateNonceRequest,
  AllocateNonceResult,
  NonceAllocation,
  NonceAllocatorLimits,
  NonceAllocatorState,
  RecordTxHashRequest,
  ReleaseNonceRequest,
} from '../../schemas/temporal/transactions.js';

export function emptyAllocatorState(day: string): NonceAllocatorState {
  return { next: null, released: [], resync: false, allocations: [], spent: { day, value_wei: '0' } };
}

/** YYYY-MM-DD of a date in UTC: the day a daily budget belongs to. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function find(state: NonceAllocatorState, key: string): NonceAllocation | undefined {
  return state.allocations.find((a) => a.idempotency_key === key);
}

/** The answer already given to this request, if any: a retried allocation never takes a second nonce. */
export function existingAllocation(state: NonceAllocatorState, req: AllocateNonceRequest): number | null {
  const existing = find(state, req.idempotency_key);
  return existing && existing.attempt >= req.attempt ? existing.nonce : null;
}

/** Whether the chain's pending nonce must be read before this request can be answered. */
export function needsChainNonce(state: NonceAllocatorState, req: AllocateNonceRequest): boolean {
  return state.next === null || state.resync || req.attempt > 0;
}

/**
 * Brings the sequence in line with the chain's pending nonce: nonces the chain has moved past are
 * gone (someone used them), and the next fresh nonce is never behind the chain.
 */
export function applyChainNonce(state: NonceAllocatorState, pending: number): void {
  state.released = state.released.filter((n) => n >= pending);
  state.next = Math.max(state.next ?? pending, pending);
  state.resync = false;
}

function rollDay(state: NonceAllocatorState, day: string): void {
  if (state.spent.day !== day) state.spent = { day, value_wei: '0' };
}

export function allocate(state: NonceAllocatorState, req: AllocateNonceRequest, day: string, limits: NonceAllocatorLimits): AllocateNonceResult {
  const already = existingAllocation(state, req);
  if (already !== null) return { ok: true, nonce: already };
  if (state.next === null) throw new Error('the chain nonce must be applied before the first allocation');
  rollDay(state, day);
  const existing = find(state, req.idempotency_key);
  const value = BigInt(req.value_wei);
  if (!existing && req.max_daily_value_wei !== null) {
    const cap = BigInt(req.max_daily_value_wei);
    const spent = BigInt(state.spent.value_wei);
    if (spent + value > cap) {
      return {
        ok: false,
        refusal: {
          code: 'DAILY_CAP_EXCEEDED',
          reason: `value ${value} wei would bring today's total (${day} UTC) to ${spent + value} wei, above EVM_MAX_DAILY_VALUE_WEI=${cap} (already spent ${spent} wei)`,
        },
      };
    }
  }
  const nonce = state.released.shift() ?? state.next++;
  if (existing) {
    // The chain consumed this key's previous nonce elsewhere: same request, same budget, new nonce.
    existing.nonce = nonce;
    existing.attempt = req.attempt;
    existing.tx_hash = null;
    existing.released = false;
    return { ok: true, nonce };
  }
  state.allocations.push({ idempotency_key: req.idempotency_key, nonce, attempt: req.attempt, value_wei: req.value_wei, day, tx_hash: null, released: false });
  state.spent.value_wei = (BigInt(state.spent.value_wei) + value).toString();
  const excess = state.allocations.length - limits.remembered;
  if (excess > 0) state.allocations.splice(0, excess);
  return { ok: true, nonce };
}

/**
 * A transaction the node refused for good hands its nonce back (and its value back to today's
 * budget). The chain is asked again before the next allocation, in case the refusal meant the
 * nonce was taken by a transaction sent from elsewhere.
 */
export function release(state: NonceAllocatorState, req: ReleaseNonceRequest): void {
  const allocation = find(state, req.idempotency_key);
  if (!allocation || allocation.released || allocation.nonce !== req.nonce) return;
  allocation.released = true;
  if (!state.released.includes(req.nonce)) {
    state.released.push(req.nonce);
    state.released.sort((a, b) => a - b);
  }
  if (allocation.day === state.spent.day) {
    const left = BigInt(state.spent.value_wei) - BigInt(allocation.value_wei);
    state.spent.value_wei = (left > 0n ? left : 0n).toString();
  }
  state.resync = true;
}

export function recordHash(state: NonceAllocatorState, req: RecordTxHashRequest): void {
  const allocation = find(state, req.idempotency_key);
  if (allocation && allocation.nonce === req.nonce) allocation.tx_hash = req.tx_hash.toLowerCase();
}

export function allocationByHash(state: NonceAllocatorState, hash: string): NonceAllocation | null {
  const wanted = hash.toLowerCase();
  return state.allocations.find((a) => a.tx_hash === wanted) ?? null;
}
