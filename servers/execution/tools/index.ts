import type { ToolDefinition } from '../../kit/define-tool.js';
import { intentTools } from './intents/index.js';
import { orderTools } from './orders/index.js';
import { transactionTools } from './transactions/index.js';

export const executionTools: readonly ToolDefinition[] = [...orderTools, ...intentTools, ...transactionTools];
