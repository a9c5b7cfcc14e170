import type { ToolDefinition } from '../../../kit/define-tool.js';

export const orderTools: readonly ToolDefinition[] = [];
