import type { ToolDefinition } from '../../kit/define-tool.js';
import { getAuditTrailTool } from './get-audit-trail.js';
import { getFillsTool } from './get-fills.js';
import { getPerformanceTool } from './get-performance.js';
import { getPortfolioStatusTool } from './get-portfolio-status.js';

/** The ledger server's tools: reads of the execution ledger, each recorded as a short workflow, and the audit trail of a trade. */
export const ledgerTools: readonly ToolDefinition[] = [getPortfolioStatusTool, getFillsTool, getPerformanceTool, getAuditTrailTool];
