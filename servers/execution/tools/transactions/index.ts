import type { ToolDefinition } from '../../../kit/define-tool.js';

export const transactionTools: readonly ToolDefinition[] = [];
