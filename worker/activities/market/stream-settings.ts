/** A stream's and its stores' settings, resolved from the worker's configuration when it starts. */
import type { MarketStreamSettings } from '../../../schemas/temporal/market.js';
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
