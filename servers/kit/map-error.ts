/**
 * Maps whatever a tool handler threw (zod, Temporal client, gRPC, our own) to a ToolError with
 * plain, actionable text. `retryable` is a promise to the caller that the same call may succeed
 * later, so it is true only for conditions that pass (a server or worker away, a venue busy, a
 * failure typed as retryable), never for a request the stack will refuse however often it comes.
 */
import { z } from 'zod';
import { CallError } from '../../temporal/call-error.js';
import { ToolError } from './tool-error.js';
import { failureChain } from '../../temporal/failure-chain.js';

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'unrecognized_keys') return issue.message;
  // An unknown field is never ignored: say so, so a misspelt one is plain to see.
  const them = issue.keys.length > 1 ? 'them' : 'it';
  return `${issue.message} (not part of this tool's input: remove ${them}, or check the spelling against the tool's inputSchema)`;
}

export function describeZodError(err: z.ZodError): string {
  return err.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issueText(issue)}`)
    .join('; ');
}

function isUnreachable(err: unknown): boolean {
  const text = failureChain(err).map((e) => `${e.name} ${e.message}`).join(' ');
  return /ECONNREFUSED|UNAVAILABLE|ENOTFOUND|EAI_AGAIN|Failed to connect|connect ETIMEDOUT|No connection established|DEADLINE_EXCEEDED.*connect|TransportError/i.test(
    text,
  );
}

interface TypedFailure {
  type: string;
  message: string;
  nonRetryable: boolean;
}

function isTypedFailure(e: Error): boolean {
  return Boolean((e as { type?: unknown }).type) && (e as { nonRetryable?: unknown }).nonRetryable !== undefined;
}

/**
 * Failure types that are the name of an error class an activity threw (Temporal keeps the class
 * name as the type and marks it retryable): each says the request itself is wrong, so asking again
 * gets the same answer. A workflow that is not found stays not found: every long-lived workflow is
 * addressed by its id alone, so a hand-over to a new run never makes one look missing.
 */
const PERMANENT_CLASS_TYPES = new Set(['WorkflowNotFoundError', 'WorkflowExecutionAlreadyStartedError', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'ZodError']);

/** gRPC statuses the server answers a call with that no repetition changes. */
const PERMANENT_GRPC_CODES = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND
  6, // ALREADY_EXISTS
  7, // PERMISSION_DENIED
  9, // FAILED_PRECONDITION
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

/**
 * The one FAILED_PRECONDITION that passes: a query to a workflow whose last task failed (a worker
 * stopped mid-task) is refused until a worker retries that task, which it does within seconds.
 */
const TASK_IN_FAILED_STATE = /Workflow Task in failed state/i;

function grpcCode(chain: Error[]): number | undefined {
  for (const e of chain) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

interface MissingWorkflow {
  workflowId: string | null;
  /** What the server said, when it said more than the class name. */
  detail: string | null;
}

/** A not-found anywhere in the chain: the client's own error, or its class name as an activity's failure type. */
function missingWorkflow(chain: Error[]): MissingWorkflow | undefined {
  const found = chain.find((e) => e.name === 'WorkflowNotFoundError' || (isTypedFailure(e) && (e as unknown as TypedFailure).type === 'WorkflowNotFoundError'));
  if (!found) return undefined;
  const detail = found.message.split('\n')[0]?.trim() ?? '';
  return {
    workflowId: (found as { workflowId?: string }).workflowId || null,
    detail: detail && detail !== 'WorkflowNotFoundError' ? detail : null,
  };
}

function workflowNotFound({ workflowId, detail }: MissingWorkflow): ToolError {
  const what = workflowId ? `no workflow ${workflowId} exists` : 'a workflow this call needs does not exist';
  return new ToolError(
    'WORKFLOW_NOT_FOUND',
    detail ? `${what} (${detail})` : what,
    'Check the id (the tool that created the workflow returns it) or create it first; asking again does not create it.',
    false,
  );
}

/**
 * An update the workflow's validator refused with a plain error: the workflow judged the request
 * itself malformed or out of place (a symbol the stream does not own, a negative wait), which no
 * repetition changes. Refusals a later call can get past are typed and marked retryable.
 */
function refusedUpdate(chain: Error[]): Error | undefined {
  const index = chain.findIndex((e) => e.name === 'WorkflowUpdateFailedError');
  const cause = index >= 0 ? chain[index + 1] : undefined;
  return cause && isTypedFailure(cause) && (cause as unknown as TypedFailure).type === 'Error' ? cause : undefined;
}

export function mapError(err: unknown, temporalAddress: string): ToolError {
  if (err instanceof ToolError) return err;
  if (err instanceof CallError) return new ToolError(err.code, err.message, err.hint, err.retryable);
  if (err instanceof z.ZodError) {
    return new ToolError('INVALID_INPUT', describeZodError(err), 'Fix the arguments as described and call again.', false);
  }
  if (isUnreachable(err)) {
    return new ToolError(
      'TEMPORAL_UNAVAILABLE',
      `Temporal is not reachable at ${temporalAddress}`,
      'Start the stack with `npm start` (or `npm start -- --no-agent`), or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_CERT_PATH/TEMPORAL_TLS_KEY_PATH for a cluster) in this server\'s environment.',
      true,
    );
  }
  const chain = failureChain(err);
  const missing = missingWorkflow(chain);
  if (missing) return workflowNotFound(missing);
  const refused = refusedUpdate(chain);
  if (refused) {
    return new ToolError('REQUEST_REFUSED', refused.message, 'Change what the message names, then call again.', false);
  }
  const typed = chain.find(isTypedFailure) as unknown as TypedFailure | undefined;
  if (typed) {
    return new ToolError(
      typed.type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      typed.message,
      'See the message for what to change.',
      !typed.nonRetryable && !PERMANENT_CLASS_TYPES.has(typed.type),
    );
  }
  const deepest = chain[chain.length - 1] ?? err;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  const code = grpcCode(chain);
  if (chain.some((e) => TASK_IN_FAILED_STATE.test(e.message))) {
    return new ToolError(
      'WORKFLOW_RECOVERING',
      'the workflow this call reads cannot answer right now: its last task failed (a worker stopped mid-task) and waits to be retried',
      'Ask again in a few seconds, once the worker has taken the task up again (npm start runs one); nothing is lost meanwhile.',
      true,
    );
  }
  if (code !== undefined && PERMANENT_GRPC_CODES.has(code)) {
    return new ToolError('REQUEST_REFUSED', message.split('\n')[0] ?? 'request refused', 'Temporal refused the request as it stands; change it rather than repeating it.', false);
  }
  return new ToolError('INTERNAL', message.split('\n')[0] ?? 'unexpected error', 'If it persists, check the worker log.', true);
}
