import type { ToolDefinition } from '../../kit/define-tool.js';

/** The risk server's tools (filled in by the risk issue). */
export const riskTools: readonly ToolDefinition[] = [];
