/**
 * A ledger report as the ledger tools answer it: the report, the ledger execution that answered it
 * (workflow_id, run_id) and the short report workflow that recorded the call (report_workflow_id).
 */
import type { LedgerReport } from '../../../schemas/temporal/ledger.js';

export function reportOutput<T>(answer: { result: LedgerReport<T>; workflowId: string }) {
  return {
    report: answer.result.report,
    workflow_id: answer.result.ledger_workflow_id,
    run_id: answer.result.ledger_run_id,
    report_workflow_id: answer.workflowId,
  };
}
