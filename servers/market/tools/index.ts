import type { ToolDefinition } from '../../kit/define-tool.js';

/** The market server's tools (filled in by the market issue). */
export const marketTools: readonly ToolDefinition[] = [];
