import { inboxLimitsFromEnv } from './agents-config.js';
import type { InboxLimits } from '../../schemas/temporal/agents.js';

/** Everything the worker's activities read from the environment, read once at start-up. */
export interface WorkerConfig {
  inboxLimits: InboxLimits;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return { inboxLimits: inboxLimitsFromEnv(env) };
}
