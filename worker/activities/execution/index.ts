/** The execution activities (filled in by the execution issue). */
import type { WorkerConfig } from '../../config/worker-config.js';

export function createExecutionActivities(_config: WorkerConfig) {
  return {};
}

export type ExecutionActivities = ReturnType<typeof createExecutionActivities>;
