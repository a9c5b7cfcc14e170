import type { ToolDefinition } from '../../kit/define-tool.js';
import { getRiskLimitsTool } from './get-risk-limits.js';
import { getRiskReportTool } from './get-risk-report.js';
import { preTradeRiskCheckTool } from './pre-trade-risk-check.js';
import { setTradingStateTool } from './set-trading-state.js';

/** The risk server's tools: the gate's answer, its limits and state, the one state change an agent may make, and the report. */
export const riskTools: readonly ToolDefinition[] = [preTradeRiskCheckTool, getRiskLimitsTool, setTradingStateTool, getRiskReportTool];
