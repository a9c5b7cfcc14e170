import type { ToolDefinition } from '../../../kit/define-tool.js';
import { submitIntentTool } from './submit-intent.js';
import { subscribeIntentsTool, unsubscribeIntentsTool } from './subscriptions.js';

/** Intents: submit one through the risk gate onto the bus; subscribe an agent to what the bus broadcasts. */
export const intentTools: readonly ToolDefinition[] = [submitIntentTool, subscribeIntentsTool, unsubscribeIntentsTool];
