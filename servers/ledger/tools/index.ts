import type { ToolDefinition } from '../../kit/define-tool.js';

/** The ledger server's tools (filled in by the ledger issue). */
export const ledgerTools: readonly ToolDefinition[] = [];
