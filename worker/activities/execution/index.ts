/** The execution activities: paper orders and on-chain transactions. */
import type { WorkerConfig } from '../../config/worker-config.js';
import { createOrderActivities } from './orders/index.js';
import { createTransactionActivities } from './transactions/index.js';

export function createExecutionActivities(config: WorkerConfig) {
  return { ...createOrderActivities(config), ...createTransactionActivities(config) };
}

export type ExecutionActivities = ReturnType<typeof createExecutionActivities>;
