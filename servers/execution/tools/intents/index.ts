import type { ToolDefinition } from '../../../kit/define-tool.js';

export const intentTools: readonly ToolDefinition[] = [];
