/** The execution activities: paper orders and on-chain transactions. */
import type { WorkerConfig } from '../../config/worker-config.js';
import { createIntentActivities } from './intents/index.js';
import { createOrderActivities } from './orders/index.js';
import { createTransactionActivities } from './transactions/index.js';

export function createExecutionActivities(config: WorkerConfig) {
  return {
    ...createOrderActivities(config),
    ...createIntentActivities(config),
    ...createTransactionActivities(config),
  };
}

export type ExecutionActivities = ReturnType<typeof createExecutionActivities>;
