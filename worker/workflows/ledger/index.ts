/** The ledger workflows: one long-lived ledger per account and the short report workflows of its tools. */
export { executionLedgerWorkflow } from './execution-ledger.js';
export { fillsJournalWorkflow, performanceReportWorkflow, portfolioStatusWorkflow } from './report-workflows.js';
