/** The market activities (filled in by the market issue). */
import type { WorkerConfig } from '../../config/worker-config.js';

export function createMarketActivities(_config: WorkerConfig) {
  return {};
}

export type MarketActivities = ReturnType<typeof createMarketActivities>;
