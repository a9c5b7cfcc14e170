import type { ToolDefinition } from '../../kit/define-tool.js';

/** The execution server's tools (filled in by the execution issue). */
export const executionTools: readonly ToolDefinition[] = [];
