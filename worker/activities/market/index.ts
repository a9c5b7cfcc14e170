/**
 * The market activities: venue I/O (ccxt or the simulated venue), delivery into the tick stores,
 * and the start, attach and stop of streams. Built once from the worker's configuration.
 */
import type { WorkerConfig } from '../../config/worker-config.js';
import { createReadActivities } from './read-activities.js';
import { createStreamActivities } from './stream-activities.js';

export function createMarketActivities(config: WorkerConfig) {
  return {
    ...createStreamActivities(config.market),
    ...createReadActivities(config.market),
  };
}

export type MarketActivities = ReturnType<typeof createMarketActivities>;
