/**
 * The client side of an account's execution ledger (`ledger:<account>`), the one way anything
 * books into it or reads it: the ledger, order and risk activities, benchmarks and test drivers.
 * It is started on first use with the worker's settings, and never silently re-created once closed
 * (a terminated ledger's history stays the record; starting a fresh one under the same id would
 * reset the account's cash and positions): reaching a closed ledger fails with LEDGER_CLOSED,
 * typed and non-retryable. Reads and updates address the ledger by its id alone, so they reach its
 * latest run after a continue-as-new. The one exception: a ledger the worker ended at once because
 * its account is not configured held nothing, so it is started afresh in its place (the account
 * may be configured by now); while it is still not configured, every call fails with
 * UNKNOWN_ACCOUNT (temporal/unknown-account.ts). The worker, not the caller, decides a new
 * ledger's settings: `settings` here only fills the start input.
 *
 * The report workflows behind the ledger tools are in ledger-reports.ts.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  EXECUTION_LEDGER_WORKFLOW,
  INSUFFICIENT_CASH,
  INSUFFICIENT_HOLDINGS,
  INVALID_FILL,
  LEDGER_CLOSED,
  applyFillUpdate,
  ledgerBalancesQuery,
  ledgerJournalQuery,
  ledgerPerformanceInputsQuery,
  ledgerReadingQuery,
  ledgerWorkflowId,
  type ApplyFillResult,
  type JournalPage,
  type JournalRequest,
  type LedgerBalances,
  type LedgerFill,
  type LedgerReading,
  type LedgerSettings,
  type PerformanceInputs,
} from '../../schemas/temporal/ledger.js';
import { failureType } from '../../schemas/temporal/failure-type.js';
import type { executionLedgerWorkflow } from '../../worker/workflows/ledger/execution-ledger.js';
import { endedForUnknownAccount, unknownAccountError } from '../unknown-account.js';
import { queryOpenRun } from '../query-open-run.js';

/** An account's ledger and what starting it takes. */
export interface LedgerTarget {
  client: Client;
  taskQueue: string;
  account: string;
  settings: LedgerSettings;
}

export type LedgerHandle = WorkflowHandle<typeof executionLedgerWorkflow>;

/** `replaceUnknown` starts the ledger again in place of a run ended for an unknown account, and only then. */
function startOptions(target: LedgerTarget, replaceUnknown = false) {
  const args: Parameters<typeof executionLedgerWorkflow> = [{ account: target.account, settings: target.settings }];
  return {
    workflowId: ledgerWorkflowId(target.account),
    taskQueue: target.taskQueue,
    args,
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: replaceUnknown ? ('ALLOW_DUPLICATE' as const) : ('REJECT_DUPLICATE' as const),
  };
}

/** UNKNOWN_ACCOUNT when the ledger ended because its account is not configured, LEDGER_CLOSED for any other closed run, else the error. */
async function explain(target: LedgerTarget, err: unknown): Promise<unknown> {
  const closedForUnknown = await endedForUnknownAccount(target.client, ledgerWorkflowId(target.account)).catch(() => undefined);
  if (closedForUnknown !== undefined) return unknownAccountError(target.account);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return ledgerClosed(target.account);
  return err;
}

/**
 * Runs `call` with start options; when the id is taken by a run ended for an unknown account,
 * once more with the options that replace it.
 */
async function withStart<T>(target: LedgerTarget, call: (options: ReturnType<typeof startOptions>) => Promise<T>): Promise<T> {
  try {
    return await call(startOptions(target));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError) || (await endedForUnknownAccount(target.client, ledgerWorkflowId(target.account))) === undefined) {
      throw err;
    }
  }
  return call(startOptions(target, true));
}

function ledgerClosed(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: LEDGER_CLOSED,
    nonRetryable: true,
    message:
      `the ledger workflow ${ledgerWorkflowId(account)} is closed (terminated or failed), so it cannot book or report; ` +
      'its history keeps the record. Trade in another account, or delete the closed execution deliberately to start this one afresh',
  });
}

/** The running ledger of an account (started when absent) and its current run id. */
export async function ensureLedger(target: LedgerTarget): Promise<{ handle: LedgerHandle; runId: string }> {
  try {
    const started = await withStart(target, (options) => target.client.workflow.start<typeof executionLedgerWorkflow>(EXECUTION_LEDGER_WORKFLOW, options));
    // With USE_EXISTING the answer names the running execution when there is one.
    return { handle: target.client.workflow.getHandle<typeof executionLedgerWorkflow>(started.workflowId), runId: started.firstExecutionRunId };
  } catch (err) {
    throw await explain(target, err);
  }
}

/** A ledger read with the execution that answered it, for the audit trail. */
export interface LedgerRead<T> {
  data: T;
  workflow_id: string;
  run_id: string;
}

/** One query of the ledger (started when absent); with timeoutMs, a query that takes longer fails. */
async function read<T>(target: LedgerTarget, query: (handle: LedgerHandle) => Promise<T>, timeoutMs?: number): Promise<LedgerRead<T>> {
  const { handle, runId } = await ensureLedger(target);
  try {
    const data = await (timeoutMs === undefined ? query(handle) : target.client.withDeadline(Date.now() + timeoutMs, () => query(handle)));
    return { data, workflow_id: handle.workflowId, run_id: runId };
  } catch (err) {
    throw await explain(target, err);
  }
}

/**
 * The running ledger's balances, the run that answered and the exchange its positions are marked
 * on, by one query and no write; null when no running ledger could answer it (none yet, a closed
 * run, one still loading its settings, or no worker in time): the caller then takes the way that
 * starts or explains the ledger.
 */
export async function queryLedgerReading(client: Client, account: string, timeoutMs?: number): Promise<LedgerReading | null> {
  try {
    const reading = await queryOpenRun(client, ledgerWorkflowId(account), ledgerReadingQuery, timeoutMs === undefined ? {} : { timeoutMs });
    return reading.kind === 'answered' ? reading.answer : null;
  } catch {
    return null;
  }
}

/**
 * The balances, read from the running ledger by query alone when there is one (every read on the
 * order path and the gate's), else by the way that starts the ledger on first use.
 */
export async function readLedgerBalances(target: LedgerTarget, timeoutMs?: number): Promise<LedgerRead<LedgerBalances>> {
  const started = Date.now();
  const reading = await queryLedgerReading(target.client, target.account, timeoutMs);
  if (reading) return { data: reading.balances, workflow_id: ledgerWorkflowId(target.account), run_id: reading.run_id };
  const left = timeoutMs === undefined ? undefined : Math.max(1, timeoutMs - (Date.now() - started));
  return read(target, (handle) => handle.query(ledgerBalancesQuery), left);
}

export function readLedgerJournal(target: LedgerTarget, request: JournalRequest): Promise<LedgerRead<JournalPage>> {
  return read(target, (handle) => handle.query(ledgerJournalQuery, request));
}

export function readLedgerPerformanceInputs(target: LedgerTarget): Promise<LedgerRead<PerformanceInputs>> {
  return read(target, (handle) => handle.query(ledgerPerformanceInputsQuery));
}

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

/**
 * Books fills in the account's ledger, one applyFill update each, with update-with-start so the
 * ledger exists on first use. The update id is the fill id: a retried activity repeats the same
 * updates, and the ledger answers an applied fill id with applied:false, so nothing is booked
 * twice. Fills are booked in order and booking stops at the first the ledger refuses.
 */
export async function bookFills(target: LedgerTarget, fills: readonly LedgerFill[]): Promise<BookFillsResult> {
  const { WithStartWorkflowOperation, WorkflowUpdateFailedError } = await import('../client-sdk.js');
  const booked: BookFillsResult['booked'] = [];
  for (const fill of fills) {
    try {
      const result = await withStart(target, (options) =>
        target.client.workflow.executeUpdateWithStart(applyFillUpdate, {
          args: [fill],
          updateId: fill.fill_id,
          startWorkflowOperation: new WithStartWorkflowOperation<typeof executionLedgerWorkflow>(EXECUTION_LEDGER_WORKFLOW, options),
        }),
      );
      booked.push({ fill_id: fill.fill_id, result });
    } catch (err) {
      const type = err instanceof WorkflowUpdateFailedError ? failureType(err.cause) : undefined;
      if (type && REFUSAL_TYPES.has(type)) {
        const message = (err as InstanceType<typeof WorkflowUpdateFailedError>).cause?.message ?? type;
        return { booked, refused: { fill_id: fill.fill_id, type: type as FillRefusal['type'], message } };
      }
      throw await explain(target, err);
    }
  }
  return { booked, refused: null };
}
