/** A stream's and its stores' settings, resolved from the worker's configuration when it starts. */
import type { MarketStreamSettings, TickStoreSettings } from '../../../schemas/temporal/market.js';
import type { MarketConfig } from '../../config/market-config.js';

export function streamSettings(config: MarketConfig): MarketStreamSettings {
  return {
    continueEvery: config.streamContinueEvery,
    historyLimit: config.streamHistoryLimit,
    cycleAttempts: config.streamCycleAttempts,
    fetchTimeoutMs: config.streamFetchTimeoutMs,
    rateLimitBackoffMs: config.rateLimitBackoffMs,
    store: {
      retentionCount: config.tickRetentionCount,
      retentionMs: config.tickRetentionSec * 1000,
      maxGaps: config.tickStoreMaxGaps,
      continueEvery: config.tickStoreContinueEvery,
      historyLimit: config.streamHistoryLimit,
    },
  };
}

/**
 * Seconds of past quotes a new store on the simulated venue is seeded with: SIM_BACKFILL_SEC, but
 * no more than the store keeps beside its first streamed tick (one fewer than its retention count,
 * none older than its age bound), so no seeded tick is evicted as soon as it arrives.
 */
export function backfillSeconds(config: Pick<MarketConfig, 'simBackfillSec'>, store: TickStoreSettings): number {
  return Math.max(0, Math.min(config.simBackfillSec, store.retentionCount - 1, Math.floor(store.retentionMs / 1000)));
}
