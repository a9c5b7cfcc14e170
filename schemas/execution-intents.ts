import type { ToolContract } from './contract.js';

/** Intent tools (submit_intent): risk-checked intents broadcast on the intent bus. */
export const executionIntentContracts: readonly ToolContract[] = [];
