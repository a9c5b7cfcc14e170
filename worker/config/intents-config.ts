/**
 * Intent bus bounds from the worker's environment, read once at start-up. They reach the bus,
 * subscriber and journal workflows through an activity whose result is recorded in history.
 */
import type { IntentBusSettings } from '../../schemas/temporal/intents.js';
import { envInteger } from './env-number.js';

export function intentBusSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): IntentBusSettings {
  return {
    retention: envInteger(env, 'INTENT_BUS_RETENTION', 500, 10, 5_000),
    dedupeWindow: envInteger(env, 'INTENT_BUS_DEDUPE_WINDOW', 5_000, 10, 20_000),
    deliveryLogLimit: envInteger(env, 'INTENT_DELIVERY_LOG_LIMIT', 200, 10, 2_000),
    journalLimit: envInteger(env, 'INTENT_JOURNAL_LIMIT', 500, 10, 5_000),
    protectedOrderTtlSec: envInteger(env, 'INTENT_PROTECTED_ORDER_TTL_SEC', 5, 1, 3_600),
    continueAsNewAfter: envInteger(env, 'INTENT_BUS_CONTINUE_AS_NEW_AFTER', 500, 1, 100_000),
    historyLimit: envInteger(env, 'INTENT_BUS_HISTORY_LIMIT', 9_000, 100, 40_000),
  };
}
