/** The risk activities (filled in by the risk issue). */
import type { WorkerConfig } from '../../config/worker-config.js';

export function createRiskActivities(_config: WorkerConfig) {
  return {};
}

export type RiskActivities = ReturnType<typeof createRiskActivities>;
