/** On-chain transaction activities. */
import type { WorkerConfig } from '../../../config/worker-config.js';

export function createTransactionActivities(_config: WorkerConfig) {
  return {};
}
