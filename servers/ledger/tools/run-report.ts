/**
 * Runs one ledger report workflow for a tool call and waits for its answer. Each call is its own
 * short workflow (recorded, replayable); it expires on its own if no worker ever takes it up.
 */
import { ledgerReportWorkflowId, type LedgerReport } from '../../../schemas/temporal/ledger.js';
import type { ToolContext } from '../../kit/define-tool.js';
import { ToolError } from '../../kit/tool-error.js';

const REPORT_WAIT_MS = 20_000;

export interface ReportAnswer<T> {
  report: T;
  workflow_id: string;
  run_id: string;
  report_workflow_id: string;
}

export async function runLedgerReport<T>(
  { temporal, signal }: ToolContext,
  workflowType: string,
  tool: string,
  account: string,
  request: unknown,
): Promise<ReportAnswer<T>> {
  const client = await temporal.client();
  const reportWorkflowId = ledgerReportWorkflowId(tool, account, crypto.randomUUID());
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(REPORT_WAIT_MS)]);
  try {
    const answer = await client.withAbortSignal(deadline, () =>
      client.workflow.execute(workflowType, {
        workflowId: reportWorkflowId,
        taskQueue: temporal.env.taskQueue,
        args: [request],
        workflowExecutionTimeout: '2 minutes',
      }),
    );
    const { report, ledger_workflow_id, ledger_run_id } = answer as LedgerReport<T>;
    return { report, workflow_id: ledger_workflow_id, run_id: ledger_run_id, report_workflow_id: reportWorkflowId };
  } catch (err) {
    if (deadline.aborted && !signal.aborted) {
      throw new ToolError(
        'WORKER_UNAVAILABLE',
        `no worker answered the ${tool} report within ${REPORT_WAIT_MS / 1000} s`,
        'Check that the worker runs (npm start) on this task queue, then call again.',
        true,
      );
    }
    throw err;
  }
}
