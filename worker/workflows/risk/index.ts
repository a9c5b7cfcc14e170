/** The risk workflows: the per-account gate and the report behind get_risk_report. */
export { riskWorkflow } from './risk-workflow.js';
export { riskReportWorkflow } from './risk-report-workflow.js';
