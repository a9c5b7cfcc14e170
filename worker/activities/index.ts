/** Every activity the worker runs, built from the worker's configuration. */
import type { WorkerConfig } from '../config/worker-config.js';
import { createAgentsActivities } from './agents/index.js';

export function createActivities(config: WorkerConfig) {
  return {
    ...createAgentsActivities({ inboxLimits: config.inboxLimits }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
