/** Paper order activities. */
import type { WorkerConfig } from '../../../config/worker-config.js';

export function createOrderActivities(_config: WorkerConfig) {
  return {};
}
