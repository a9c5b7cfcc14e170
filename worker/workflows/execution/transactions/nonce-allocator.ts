/**
 * One long-lived allocator per (chain, signing address): the durable owner of the address's nonce
 * sequence and of its daily value budget. Allocations arrive as updates keyed by the idempotency
 * key, and are handled one at a time (the handler awaits the chain's pending nonce the first time
 * and after a release, so handlers take a lock), which is what makes two concurrent transactions
 * never share a nonce. The run continues as new with its bounded state.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  allocateNonceUpdate,
  allocationByHashQuery,
  nonceAllocatorStatusQuery,
  recordTxHashUpdate,
  releaseNonceUpdate,
  type AllocateNonceRequest,
  type NonceAllocatorInput,
} from '../../../../schemas/temporal/transactions.js';
import type { TransactionActivities } from '../../../activities/execution/transactions/index.js';
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

const { fetchEvmPendingNonce } = proxyActivities<TransactionActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** History length past which the run hands over, well below the server's limits. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 9_000;
const DIGITS = /^(0|[1-9][0-9]*)$/;

function validateAllocation(req: AllocateNonceRequest): void {
  if (!req || typeof req.idempotency_key !== 'string' || req.idempotency_key === '') throw new Error('idempotency_key is required');
  if (typeof req.value_wei !== 'string' || !DIGITS.test(req.value_wei)) throw new Error('value_wei must be a decimal integer string');
  if (req.max_daily_value_wei !== null && (typeof req.max_daily_value_wei !== 'string' || !DIGITS.test(req.max_daily_value_wei))) {
    throw new Error('max_daily_value_wei must be a decimal integer string or null');
  }
  if (!Number.isInteger(req.attempt) || req.attempt < 0) throw new Error('attempt must be a non-negative integer');
}

export async function nonceAllocatorWorkflow(input: NonceAllocatorInput): Promise<void> {
  const state = input.carried ?? emptyAllocatorState(utcDay(new Date()));
  let handled = 0;
  let busy = false;

  /** Handlers await activities; the lock keeps one allocation's read-modify-write whole. */
  async function exclusive<T>(work: () => Promise<T> | T): Promise<T> {
    // Several waiters can be woken by the same release; whoever resumes second finds it taken and waits again.
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
      handled += 1;
    }
  }

  setHandler(
    allocateNonceUpdate,
    (req) =>
      exclusive(async () => {
        if (existingAllocation(state, req) === null && needsChainNonce(state, req)) {
          applyChainNonce(state, await fetchEvmPendingNonce({ chain_id: input.chain_id, address: input.address }));
        }
        return allocate(state, req, utcDay(new Date()), input.limits);
      }),
    { validator: validateAllocation },
  );

  setHandler(releaseNonceUpdate, (req) => exclusive(() => release(state, req)), {
    validator: (req) => {
      if (!req?.idempotency_key || !Number.isInteger(req.nonce) || req.nonce < 0) throw new Error('idempotency_key and a nonce are required');
    },
  });

  setHandler(recordTxHashUpdate, (req) => exclusive(() => recordHash(state, req)), {
    validator: (req) => {
      if (!req?.idempotency_key || !/^0x[0-9a-fA-F]{64}$/.test(req.tx_hash ?? '')) throw new Error('idempotency_key and a 32-byte tx_hash are required');
    },
  });

  setHandler(nonceAllocatorStatusQuery, () => ({
    chain_id: input.chain_id,
    address: input.address,
    next: state.next,
    released: [...state.released],
    remembered: state.allocations.length,
    spent_today: { ...state.spent },
  }));
  setHandler(allocationByHashQuery, (hash) => allocationByHash(state, hash));

  await condition(
    () =>
      handled >= input.limits.continueAsNewAfter ||
      workflowInfo().historyLength >= HISTORY_EVENTS_BEFORE_CONTINUE ||
      workflowInfo().continueAsNewSuggested,
  );
  await condition(() => !busy && allHandlersFinished());
  await continueAsNew<typeof nonceAllocatorWorkflow>({ chain_id: input.chain_id, address: input.address, limits: input.limits, carried: state });
}
