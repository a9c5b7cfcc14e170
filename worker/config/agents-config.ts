import type { InboxLimits } from '../../schemas/temporal/agents.js';
import { envInteger } from './env-number.js';

/** Inbox bounds from the worker's environment; they enter workflows through an activity. */
export function inboxLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): InboxLimits {
  return {
    maxMessages: envInteger(env, 'INBOX_MAX_MESSAGES', 1_000, 1, 100_000),
    dedupeWindow: envInteger(env, 'INBOX_DEDUPE_WINDOW', 5_000, 1, 100_000),
    continueAsNewAfter: envInteger(env, 'INBOX_CONTINUE_AS_NEW_AFTER', 500, 1, 100_000),
  };
}

/** The ensemble agent's nudge cadence (a Temporal Schedule, overlap skip). */
export interface NudgeConfig {
  intervalSec: number;
}

export function nudgeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NudgeConfig {
  return { intervalSec: envInteger(env, 'NUDGE_INTERVAL_SEC', 30, 1, 86_400) };
}

/** The agent state workflow's hand-over threshold; it enters the workflow as its start input. */
export interface AgentStateSettings {
  continueAsNewAfter: number;
}

export function agentStateSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AgentStateSettings {
  return { continueAsNewAfter: envInteger(env, 'AGENT_STATE_CONTINUE_AS_NEW_AFTER', 2_000, 1, 100_000) };
}
