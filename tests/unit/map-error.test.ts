/**
 * What a host sees when a tool fails: one line that says what was wrong, what to do and whether a
 * retry helps, mapped from whatever the handler threw, with no stack trace.
 */
import { Connection, ServiceError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, RetryState, WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { nextPrompt } from '../../schemas/agents.js';
import { strictInput } from '../../schemas/json-schema.js';
import { mapError } from '../../servers/kit/map-error.js';
import { ToolError, toolErrorText } from '../../servers/kit/tool-error.js';
import { freePort } from '../../scripts/temporal/free-port.js';

const ADDRESS = '127.0.0.1:7233';

/** The text a host receives for this error: must never carry a stack frame. */
function hostText(err: unknown, address = ADDRESS): string {
  const text = toolErrorText(mapError(err, address));
  expect(text).not.toMatch(/\n\s*at /);
  expect(text).not.toMatch(/\.ts:\d+/);
  return text;
}

describe('mapError: Temporal unreachable', () => {
  it('maps a real failed connection to TEMPORAL_UNAVAILABLE naming the address and TEMPORAL_ADDRESS', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const failure = await Connection.connect({ address, connectTimeout: '2 seconds' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    const mapped = mapError(failure, address);
    expect(mapped.code).toBe('TEMPORAL_UNAVAILABLE');
    expect(mapped.retryable).toBe(true);
    const text = hostText(failure, address);
    expect(text).toContain(`Temporal is not reachable at ${address}`);
    expect(text).toContain('TEMPORAL_ADDRESS');
    expect(text).toContain('Retrying can help.');
  });

  it.each([
    ['a refused socket deep in the cause chain', new Error('request failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' }) })],
    ['a gRPC UNAVAILABLE service error', new ServiceError('Failed to start Workflow', { cause: new Error('14 UNAVAILABLE: No connection established') })],
    ['an unresolvable host', new Error('getaddrinfo ENOTFOUND temporal.invalid')],
  ])('maps %s to TEMPORAL_UNAVAILABLE', (_label, err) => {
    expect(mapError(err, ADDRESS).code).toBe('TEMPORAL_UNAVAILABLE');
    expect(hostText(err)).toContain('TEMPORAL_ADDRESS');
  });
});

describe('mapError: invalid input', () => {
  it('lists every zod issue with its field path and says a retry of the same call will not help', () => {
    const parsed = strictInput(nextPrompt).safeParse({ agent: 'Not A Name', wait_sec: 51, extra: true });
    expect(parsed.success).toBe(false);
    const mapped = mapError(parsed.error, ADDRESS);
    expect(mapped.code).toBe('INVALID_INPUT');
    expect(mapped.retryable).toBe(false);
    const text = hostText(parsed.error);
    expect(text).toMatch(/^INVALID_INPUT: /);
    expect(text).toContain('agent: use 1-64 characters');
    expect(text).toMatch(/wait_sec: .*50/);
    expect(text).toContain('"extra"');
    expect(text).toContain('Retrying the same call will not help.');
  });
});

describe('mapError: typed failures from workflows and activities', () => {
  it('turns an ApplicationFailure type deep in a workflow failure into an UPPER_SNAKE code', () => {
    const appFailure = ApplicationFailure.create({ type: 'InboxFull', message: 'inbox holds 2 undelivered messages (limit 2)', nonRetryable: true });
    const activity = new ActivityFailure('activity failed', 'deliverToInbox', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, appFailure);
    const err = new WorkflowFailedError('Workflow execution failed', activity, RetryState.NON_RETRYABLE_FAILURE);
    const mapped = mapError(err, ADDRESS);
    expect(mapped).toMatchObject({ code: 'INBOX_FULL', message: 'inbox holds 2 undelivered messages (limit 2)', retryable: false });
    expect(hostText(err)).toContain('Retrying the same call will not help.');
  });

  it('reports a retryable typed failure as retryable', () => {
    const err = ApplicationFailure.create({ type: 'VenueBusy', message: 'venue rate limit', nonRetryable: false });
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'VENUE_BUSY', retryable: true });
  });

  it('passes a ToolError through unchanged', () => {
    const err = new ToolError('IDEMPOTENCY_CONFLICT', 'message_id was already used', 'Use a new message_id.', false);
    expect(mapError(err, ADDRESS)).toBe(err);
  });
});

describe('mapError: says a retry can help only where it can', () => {
  it('reports a workflow an activity did not find as WORKFLOW_NOT_FOUND, not retryable', () => {
    // What an activity's thrown WorkflowNotFoundError becomes: its class name as the type, marked retryable.
    const converted = ApplicationFailure.create({ type: 'WorkflowNotFoundError', message: 'workflow not found for ID: market-stream:sim:BTC/USDT', nonRetryable: false });
    const activity = new ActivityFailure('activity failed', 'ensureMarketStream', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, undefined, converted);
    const err = new WorkflowFailedError('Workflow execution failed', activity, RetryState.NON_RETRYABLE_FAILURE);
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'WORKFLOW_NOT_FOUND', retryable: false });
    const text = hostText(err);
    expect(text).toMatch(/^WORKFLOW_NOT_FOUND: a workflow this call needs does not exist \(workflow not found for ID: market-stream:sim:BTC\/USDT\)\. /);
    expect(text).toContain('Retrying the same call will not help.');
    expect(text).not.toContain('Retrying can help');
  });

  it('names the workflow the client did not find', () => {
    const err = new WorkflowNotFoundError('workflow execution not found', 'inbox:nobody', undefined);
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'WORKFLOW_NOT_FOUND', retryable: false });
    expect(hostText(err)).toMatch(/^WORKFLOW_NOT_FOUND: no workflow inbox:nobody exists \(workflow execution not found\)\. /);
  });

  it('reports an update its validator refused with a plain error as REQUEST_REFUSED, not retryable', () => {
    const rejection = ApplicationFailure.create({ type: 'Error', message: 'a stream attaches only its own symbols (BTC/USDT)', nonRetryable: false });
    const err = new WorkflowUpdateFailedError('Workflow Update failed', rejection);
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'REQUEST_REFUSED', message: 'a stream attaches only its own symbols (BTC/USDT)', retryable: false });
  });

  it('keeps a typed update refusal its own code and retryability', () => {
    const err = new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: 'BusBacklogged', message: 'the bus is backlogged', nonRetryable: false }));
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'BUS_BACKLOGGED', retryable: true });
  });

  it('reports a programming error an activity threw as not retryable', () => {
    const err = ApplicationFailure.create({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'bid')", nonRetryable: false });
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'TYPE_ERROR', retryable: false });
  });

  it('reports a request Temporal refused as invalid as REQUEST_REFUSED, not retryable', () => {
    const err = new ServiceError('Failed to start Workflow', { cause: Object.assign(new Error('3 INVALID_ARGUMENT: WorkflowId length exceeds limit.'), { code: 3 }) });
    expect(mapError(err, ADDRESS)).toMatchObject({ code: 'REQUEST_REFUSED', retryable: false });
    expect(hostText(err)).toContain('WorkflowId length exceeds limit');
  });

  it('reports a query refused while the workflow task is being retried as WORKFLOW_RECOVERING, retryable', () => {
    const grpc = Object.assign(new Error('9 FAILED_PRECONDITION: Unable to query workflow due to Workflow Task in failed state.'), { code: 9 });
    const err = new ServiceError('Failed to query Workflow', { cause: grpc });
    const mapped = mapError(err, ADDRESS);
    expect(mapped).toMatchObject({ code: 'WORKFLOW_RECOVERING', retryable: true });
    expect(hostText(err)).not.toContain('FAILED_PRECONDITION');
    // Any other FAILED_PRECONDITION is still the request itself.
    const other = new ServiceError('Failed', { cause: Object.assign(new Error('9 FAILED_PRECONDITION: namespace is not active'), { code: 9 }) });
    expect(mapError(other, ADDRESS)).toMatchObject({ code: 'REQUEST_REFUSED', retryable: false });
  });
});

describe('mapError: anything else', () => {
  it('reports the deepest cause, first line only, as a retryable INTERNAL error', () => {
    const root = new Error('disk quota exceeded\n    at write (/srv/worker/store.ts:10:5)\nmore detail');
    const err = new Error('outer wrapper', { cause: root });
    const mapped = mapError(err, ADDRESS);
    expect(mapped).toMatchObject({ code: 'INTERNAL', message: 'disk quota exceeded', retryable: true });
    expect(hostText(err)).toBe(
      'INTERNAL: disk quota exceeded. If it persists, check the worker log. Retrying can help.',
    );
  });

  it('copes with a thrown non-Error', () => {
    expect(hostText('plain string failure')).toContain('INTERNAL: plain string failure.');
  });
});
