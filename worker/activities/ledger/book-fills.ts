/**
 * Books fills in an account's ledger, one applyFill update each, with update-with-start so the
 * ledger exists on first use. The update id is the fill id: a retried activity repeats the same
 * updates, and the ledger answers an applied fill id with applied:false, so nothing is booked twice.
 * Fills are booked in order and booking stops at the first the ledger refuses.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  EXECUTION_LEDGER_WORKFLOW,
  INSUFFICIENT_CASH,
  INSUFFICIENT_HOLDINGS,
  INVALID_FILL,
  applyFillUpdate,
  type ApplyFillResult,
  type LedgerFill,
  type LedgerSettings,
} from '../../../schemas/temporal/ledger.js';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import { ledgerClosedFailure, ledgerStartOptions } from '../../../temporal/clients/ledger.js';

export interface BookFillsRequest {
  account: string;
  fills: LedgerFill[];
}

export interface FillRefusal {
  fill_id: string;
  type: typeof INVALID_FILL | typeof INSUFFICIENT_CASH | typeof INSUFFICIENT_HOLDINGS;
  message: string;
}

export interface BookFillsResult {
  /** One result per booked fill, in order (applied:false for a fill booked by an earlier attempt). */
  booked: Array<{ fill_id: string; result: ApplyFillResult }>;
  /** The fill the ledger refused, if any; the fills after it were not tried. */
  refused: FillRefusal | null;
}

const REFUSAL_TYPES = new Set<string>([INVALID_FILL, INSUFFICIENT_CASH, INSUFFICIENT_HOLDINGS]);

export async function bookFillsInLedger(
  client: Client,
  taskQueue: string,
  settings: LedgerSettings,
  req: BookFillsRequest,
): Promise<BookFillsResult> {
  const booked: BookFillsResult['booked'] = [];
  for (const fill of req.fills) {
    const startLedger = new WithStartWorkflowOperation(
      EXECUTION_LEDGER_WORKFLOW,
      ledgerStartOptions({ client, taskQueue, account: req.account, settings }),
    );
    try {
      const result = await client.workflow.executeUpdateWithStart(applyFillUpdate, {
        args: [fill],
        updateId: fill.fill_id,
        startWorkflowOperation: startLedger,
      });
      booked.push({ fill_id: fill.fill_id, result });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw ledgerClosedFailure(req.account);
      const type = err instanceof WorkflowUpdateFailedError ? failureType(err.cause) : undefined;
      if (type && REFUSAL_TYPES.has(type)) {
        const message = (err as WorkflowUpdateFailedError).cause?.message ?? type;
        return { booked, refused: { fill_id: fill.fill_id, type: type as FillRefusal['type'], message } };
      }
      throw err;
    }
  }
  return { booked, refused: null };
}

/** For callers outside Temporal's retry (benchmarks, tools): a refusal as a typed failure. */
export function refusalFailure(refusal: FillRefusal): ApplicationFailure {
  return ApplicationFailure.create({ type: refusal.type, nonRetryable: true, message: refusal.message });
}
