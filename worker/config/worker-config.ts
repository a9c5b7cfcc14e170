import { inboxLimitsFromEnv } from './agents-config.js';
import { marketConfigFromEnv, type MarketConfig } from './market-config.js';
import type { InboxLimits } from '../../schemas/temporal/agents.js';

/** Everything the worker's activities read from the environment, read once at start-up. */
export interface WorkerConfig {
  inboxLimits: InboxLimits;
  market: MarketConfig;
}

export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return { inboxLimits: inboxLimitsFromEnv(env), market: marketConfigFromEnv(env) };
}
