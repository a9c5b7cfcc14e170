/**
 * The client side of an account's risk workflow (`risk:<account>`), the one way anything reaches
 * the gate: the order gate's and the intent bus's activities, the risk tools, the operator CLI,
 * benchmarks and test drivers. Every caller starts it on first use with the same options, and a
 * closed one is never silently re-created (a fresh run would forget a HALTED state and the recorded
 * decisions): reaching it fails with RISK_WORKFLOW_CLOSED, typed and non-retryable, so an
 * activity's retry policy stops and a tool reports the code. Queries and updates address the
 * workflow by its id alone, so they reach its latest run after a continue-as-new. The one exception:
 * a run the worker ended because the account is not configured held no state, so it is started
 * afresh in its place (the account may be configured by now); while it is still not configured,
 * every call fails with UNKNOWN_ACCOUNT (temporal/unknown-account.ts).
 *
 * The risk report, a short request workflow per call, is in risk-report.ts.
 */
import type { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  LOOSENING_CODE_INVALID,
  RISK_WORKFLOW,
  RISK_GATE_BUSY,
  RISK_WORKFLOW_CLOSED,
  reloadLimitsUpdate,
  resetBreakerUpdate,
  riskCheckUpdate,
  riskCheckUpdateId,
  riskDecisionQuery,
  riskStateQuery,
  riskWorkflowId,
  riskWorkflowStartOptions,
  setTradingStateUpdate,
  issueLooseningCodeUpdate,
  looseningCodeCommand,
  redeemLooseningCodeUpdate,
  type IssuedLooseningCode,
  type ReloadLimitsRequest,
  type ResetBreakerRequest,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskStateView,
  type SetTradingStateRequest,
  type SetTradingStateResult,
  type TradingState,
} from '../../schemas/temporal/risk.js';
import { normalizeLooseningCode } from '../../domain/risk/loosening-codes.js';
import { generateLooseningCode, looseningCodeDigest } from './loosening-code-crypto.js';
import type { riskWorkflow } from '../../worker/workflows/risk/risk-workflow.js';
import { queryIfRunning } from '../query-if-running.js';
import { endedForUnknownAccount, unknownAccountError } from '../unknown-account.js';
import { retryUnprocessedUpdate } from '../retry-unprocessed-update.js';
import { failureChain } from '../failure-chain.js';

/** The failure type of a read that found the risk workflow still loading its limits (code RISK_NOT_READY). */
export const RISK_NOT_READY = 'RiskNotReady';

/** The failure types the risk workflow raises for a request it will never accept. */
const GATE_REFUSALS: readonly string[] = [INTENT_CONFLICT, INVALID_RISK_REQUEST];

/** gRPC RESOURCE_EXHAUSTED: how the server refuses an update beyond a workflow's in-flight limit. */
const RESOURCE_EXHAUSTED = 8;

/** The server turned the update away because the workflow already holds as many as it may. */
function isUpdateLimitReached(err: unknown): boolean {
  return failureChain(err).some((e) => (e as { code?: unknown }).code === RESOURCE_EXHAUSTED || /in-flight updates|RESOURCE_EXHAUSTED/i.test(e.message));
}

function riskGateBusy(account: string, err: unknown): ApplicationFailure {
  const detail = failureChain(err).at(-1)?.message.split('\n')[0] ?? 'resource exhausted';
  return ApplicationFailure.create({
    type: RISK_GATE_BUSY,
    nonRetryable: false,
    message: `the risk workflow ${riskWorkflowId(account)} already holds as many requests as it takes at once (${detail}); this one was not taken`,
  });
}

/** How often a read asks a just-started risk workflow whether it has loaded its limits. */
const LOAD_POLL_MS = 100;

type RiskStart = WithStartWorkflowOperation<typeof riskWorkflow>;

function riskWorkflowClosed(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: RISK_WORKFLOW_CLOSED,
    nonRetryable: true,
    message:
      `the risk workflow ${riskWorkflowId(account)} is closed, so nothing can pass the gate; an operator must look at why it ended ` +
      '(temporal workflow show) before trading resumes in this account',
  });
}

export interface ResendOptions {
  /**
   * For a caller outside Temporal's retry (a tool): an update that a crashing worker never
   * processed is sent again (retryUnprocessedUpdate) until this aborts. An activity leaves it out:
   * its own retry policy asks again.
   */
  retryUnprocessed?: AbortSignal;
}

/**
 * The start options of the account's risk workflow; `replaceUnknown` starts it again in place of a
 * run that ended because the account was not configured (and only then: see unknown-account.ts).
 */
function startOptions(account: string, taskQueue: string, replaceUnknown: boolean) {
  const options = riskWorkflowStartOptions(account, taskQueue);
  return replaceUnknown ? { ...options, workflowIdReusePolicy: 'ALLOW_DUPLICATE' as const } : options;
}

/**
 * What a failed call to the risk workflow means: UNKNOWN_ACCOUNT when the workflow ended because
 * the account is not configured, RISK_WORKFLOW_CLOSED for any other closed run, else the error.
 */
async function explain(client: Client, account: string, err: unknown): Promise<unknown> {
  const closedForUnknown = await endedForUnknownAccount(client, riskWorkflowId(account)).catch(() => undefined);
  if (closedForUnknown !== undefined) return unknownAccountError(account);
  if (err instanceof WorkflowExecutionAlreadyStartedError) return riskWorkflowClosed(account);
  return err;
}

/**
 * Sends an update-with-start to the account's risk workflow. `send` gets a fresh start operation
 * each time it is called (one is single-use), so it can be sent again.
 */
async function updateWithStart<T>(
  client: Client,
  taskQueue: string,
  account: string,
  options: ResendOptions,
  send: (start: RiskStart) => Promise<T>,
): Promise<T> {
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  const sendOnce = (replaceUnknown: boolean) => () =>
    send(new WithStartWorkflowOperation<typeof riskWorkflow>(RISK_WORKFLOW, startOptions(account, taskQueue, replaceUnknown)));
  const sendAll = (replaceUnknown: boolean) =>
    options.retryUnprocessed ? retryUnprocessedUpdate(sendOnce(replaceUnknown), options.retryUnprocessed) : sendOnce(replaceUnknown)();
  try {
    return await sendAll(false);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError) || (await endedForUnknownAccount(client, riskWorkflowId(account))) === undefined) {
      throw await explain(client, account, err);
    }
  }
  try {
    return await sendAll(true);
  } catch (err) {
    throw await explain(client, account, err);
  }
}

export interface RiskDecisionOptions extends ResendOptions {
  /**
   * Names this request: an activity passes its own identity, so a retried attempt attaches to the
   * update its first attempt sent. A fresh id otherwise: each call is its own request, and the
   * workflow answers a repeated intent_id with its recorded decision.
   */
  requestId?: string;
}

/** Asks the gate to decide an intent (or answer the decision recorded for its intent id). */
export async function requestRiskDecision(
  client: Client,
  taskQueue: string,
  req: RiskCheckRequest,
  options: RiskDecisionOptions = {},
): Promise<RiskDecision> {
  const { WorkflowUpdateFailedError } = await import('../client-sdk.js');
  const updateId = riskCheckUpdateId(req.intent_id, options.requestId ?? crypto.randomUUID());
  try {
    return await updateWithStart(client, taskQueue, req.account, options, (start) =>
      client.workflow.executeUpdateWithStart(riskCheckUpdate, { args: [req], updateId, startWorkflowOperation: start }),
    );
  } catch (err) {
    // The gate's own refusals (a conflicting or lapsed intent id, a malformed request) are final:
    // passed on with their type, so the caller's retry policy does not ask again. Anything else,
    // including the server's rejection of an update a crashing worker never processed, is retried.
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && GATE_REFUSALS.includes(cause.type)) {
      throw ApplicationFailure.create({ type: cause.type, nonRetryable: true, message: cause.message });
    }
    // Typed, so an order waits its turn and a tool says the account is busy instead of passing on a transport error.
    if (isUpdateLimitReached(err)) throw riskGateBusy(req.account, err);
    throw err;
  }
}

export interface RiskStateWait {
  /** How long to wait for a just-started risk workflow to load its limits. */
  waitMs: number;
  signal?: AbortSignal;
}

/**
 * The account's risk state, starting its workflow when absent; waits out the moments before it
 * has loaded its limits, then fails with RISK_NOT_READY (retryable: a worker may be missing).
 */
export async function readRiskState(client: Client, taskQueue: string, account: string, wait: RiskStateWait): Promise<RiskStateView> {
  await ensureRiskWorkflow(client, taskQueue, account);
  const deadline = Date.now() + wait.waitMs;
  for (;;) {
    const view = await queryRiskState(client, account);
    if (view) return view;
    // A workflow that ended instead of loading its limits (an account nobody configured) never will.
    if ((await endedForUnknownAccount(client, riskWorkflowId(account))) !== undefined) throw unknownAccountError(account);
    if (Date.now() >= deadline || wait.signal?.aborted) {
      throw ApplicationFailure.create({
        type: RISK_NOT_READY,
        message: `${riskWorkflowId(account)} has not loaded its limits yet; is a worker running on task queue ${taskQueue}? Retry in a moment`,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, LOAD_POLL_MS));
  }
}

/**
 * Starts the account's risk workflow when it is not running (in place of a run ended for an
 * unknown account, and only then); a closed one fails with RISK_WORKFLOW_CLOSED.
 */
export async function ensureRiskWorkflow(client: Client, taskQueue: string, account: string): Promise<void> {
  const start = (replaceUnknown: boolean) => client.workflow.start<typeof riskWorkflow>(RISK_WORKFLOW, startOptions(account, taskQueue, replaceUnknown));
  try {
    await start(false);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError) || (await endedForUnknownAccount(client, riskWorkflowId(account))) === undefined) {
      throw await explain(client, account, err);
    }
    await start(true).catch(async (again: unknown) => {
      throw await explain(client, account, again);
    });
  }
}

/** The risk state as the running workflow answers it, without starting it: null while it is still loading. */
export function queryRiskState(client: Client, account: string): Promise<RiskStateView | null> {
  return client.workflow.getHandle<typeof riskWorkflow>(riskWorkflowId(account)).query(riskStateQuery);
}

/** The decision the risk workflow holds for an intent id, or null (never decided, forgotten, or no workflow). */
export function readRiskDecision(client: Client, account: string, intentId: string): Promise<RiskDecision | null> {
  return queryIfRunning(client, riskWorkflowId(account), riskDecisionQuery, intentId).then((decision) => decision ?? null);
}

export interface TradingStateChanged {
  result: SetTradingStateResult;
  /** The run of the risk workflow that holds the state now. */
  runId: string;
}

/**
 * Changes the trading state. An agent may only tighten: a loosening it asks for fails with
 * LooseningNeedsPerson (a WorkflowUpdateFailedError); a person (elicitation, operator CLI) may also loosen.
 */
export async function setTradingState(
  client: Client,
  taskQueue: string,
  account: string,
  request: SetTradingStateRequest,
  options: ResendOptions = {},
): Promise<TradingStateChanged> {
  const result = await updateWithStart(client, taskQueue, account, options, (start) =>
    client.workflow.executeUpdateWithStart(setTradingStateUpdate, { args: [request], startWorkflowOperation: start }),
  );
  const { runId } = await client.workflow.getHandle<typeof riskWorkflow>(riskWorkflowId(account)).describe();
  return { result, runId };
}

/** Operator only: loads the limits of the worker's configuration again, recorded with who and why. */
export function reloadLimits(client: Client, taskQueue: string, account: string, request: ReloadLimitsRequest): Promise<RiskStateView> {
  return updateWithStart(client, taskQueue, account, {}, (start) =>
    client.workflow.executeUpdateWithStart(reloadLimitsUpdate, { args: [request], startWorkflowOperation: start }),
  );
}

/** Operator only: the next observation rebases the breaker's day open and high-water mark. */
export function resetBreaker(client: Client, taskQueue: string, account: string, request: ResetBreakerRequest): Promise<RiskStateView> {
  return updateWithStart(client, taskQueue, account, {}, (start) =>
    client.workflow.executeUpdateWithStart(resetBreakerUpdate, { args: [request], startWorkflowOperation: start }),
  );
}

export interface LooseningCodeIssued {
  /** The code in canonical form: shown to the operator, never sent anywhere. */
  code: string;
  issued: IssuedLooseningCode;
}

/**
 * Operator only: draws a one-time code for loosening `account` to `state` and registers its salted
 * digest with the risk workflow. Returns the code, which exists nowhere else.
 */
export async function issueLooseningCode(
  client: Client,
  taskQueue: string,
  account: string,
  request: { state: TradingState; reason: string; issued_by: string },
): Promise<LooseningCodeIssued> {
  const code = generateLooseningCode();
  const issued = await updateWithStart(client, taskQueue, account, {}, (start) =>
    client.workflow.executeUpdateWithStart(issueLooseningCodeUpdate, {
      args: [{ ...request, code_digest: looseningCodeDigest(account, request.state, code) }],
      startWorkflowOperation: start,
    }),
  );
  return { code, issued };
}

/**
 * Loosens with the code a person entered at the host: only its salted digest is sent, and the risk
 * workflow applies the change as that person's only if the digest matches an unused, unexpired code
 * issued for this account and state. A malformed code is refused here (LooseningCodeInvalid) and
 * never counts as a guess; a wrong one is refused by the workflow and does.
 */
export async function redeemLooseningCode(
  client: Client,
  taskQueue: string,
  account: string,
  request: { state: TradingState; reason: string; confirmed_by: string; code: string },
  options: ResendOptions = {},
): Promise<TradingStateChanged> {
  const code = normalizeLooseningCode(request.code);
  if (!code) {
    throw ApplicationFailure.create({
      type: LOOSENING_CODE_INVALID,
      nonRetryable: true,
      message: `that is not a loosening code (they are 10 letters and digits, like 7K3QF-X9M2P); the trading state of account ${account} is unchanged. The operator issues one with \`${looseningCodeCommand(request.state, account)}\``,
    });
  }
  const { code: _entered, ...rest } = request;
  // One id for every resend of this request, so a resent update attaches to the first one.
  const updateId = `redeem-loosening-code:${crypto.randomUUID()}`;
  const result = await updateWithStart(client, taskQueue, account, options, (start) =>
    client.workflow.executeUpdateWithStart(redeemLooseningCodeUpdate, {
      args: [{ ...rest, code_digest: looseningCodeDigest(account, request.state, code) }],
      updateId,
      startWorkflowOperation: start,
    }),
  );
  const { runId } = await client.workflow.getHandle<typeof riskWorkflow>(riskWorkflowId(account)).describe();
  return { result, runId };
}

/**
 * The accounts whose risk workflow is running on the task queue and whose name starts with
 * `namePrefix` (a visibility query on the workflow id prefix; visibility can lag a just-started
 * workflow by a moment). Operator only: `halt-all` reaches a prefix template's accounts this way.
 */
export async function listRunningRiskAccounts(client: Client, taskQueue: string, namePrefix: string): Promise<string[]> {
  const idPrefix = riskWorkflowId(namePrefix);
  const idStart = riskWorkflowId('');
  for (const value of [taskQueue, idPrefix]) {
    if (/['"\\]/.test(value)) throw new Error(`${value} cannot be put in a visibility query (it holds a quote or backslash)`);
  }
  const query = `WorkflowType = '${RISK_WORKFLOW}' AND ExecutionStatus = 'Running' AND TaskQueue = '${taskQueue}' AND WorkflowId STARTS_WITH '${idPrefix}'`;
  const accounts = new Set<string>();
  for await (const execution of client.workflow.list({ query })) {
    if (execution.workflowId.startsWith(idPrefix)) accounts.add(execution.workflowId.slice(idStart.length));
  }
  return [...accounts].sort();
}
