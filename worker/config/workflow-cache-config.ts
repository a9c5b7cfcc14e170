/**
 * How many workflow runs the worker keeps in memory between their tasks (the SDK's sticky cache).
 * The SDK's default is sized from the V8 heap limit (about 2,300 runs on a 4 GiB heap), so on a
 * machine with room the worker keeps thousands of runs resident and its memory climbs with the
 * number of workflows it has touched. A run pushed out of the cache is simply replayed from its
 * history at its next task, so the bound trades a little CPU for memory that stays put.
 */
import { envInteger } from './env-number.js';

export interface WorkflowCacheConfig {
  maxCachedWorkflows: number;
}

/**
 * Room for every long-lived workflow of a busy deployment (per account: ledger, risk, inbox,
 * conversation, agent state; per symbol: stream and tick store; the intent bus and its
 * subscribers) with the short ones in flight alongside.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

export function workflowCacheConfigFromEnv(env: NodeJS.ProcessEnv): WorkflowCacheConfig {
  // 0 would turn the cache off (every task a full replay); 2 is the SDK's smallest working cache.
  return { maxCachedWorkflows: envInteger(env, 'WORKER_MAX_CACHED_WORKFLOWS', DEFAULT_MAX_CACHED_WORKFLOWS, 2, 100_000) };
}
