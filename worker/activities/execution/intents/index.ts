/** Intent bus activities. */
import type { WorkerConfig } from '../../../config/worker-config.js';

export function createIntentActivities(_config: WorkerConfig) {
  return {};
}
