/**
 * A query answered only by a running workflow: a closed run (completed, failed, terminated) is
 * reported as closed instead of answering from its last state, and a workflow that never existed
 * as missing. A read can then take the query as its fast path and fall back to starting or
 * explaining the workflow only when the query cannot say. The query goes through a sibling client
 * on the same connection whose queries are rejected by closed runs; the caller's client is kept
 * as it is, since other reads of closed workflows (an order's last state) rely on it.
 */
import type { Client } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';

export type OpenRunAnswer<R> = { kind: 'answered'; answer: R } | { kind: 'closed' } | { kind: 'missing' };

const rejectingClients = new WeakMap<Client, Client>();

async function rejectingClient(client: Client): Promise<Client> {
  const known = rejectingClients.get(client);
  if (known) return known;
  const { Client: ClientClass } = await import('./client-sdk.js');
  const sibling = new ClientClass({
    connection: client.connection,
    namespace: client.options.namespace,
    dataConverter: client.options.dataConverter,
    workflow: { queryRejectCondition: 'NOT_OPEN' },
  });
  rejectingClients.set(client, sibling);
  return sibling;
}

/** The query's answer from the workflow's running run; with timeoutMs, a query that takes longer fails. */
export async function queryOpenRun<R, A extends unknown[]>(
  client: Client,
  workflowId: string,
  query: QueryDefinition<R, A>,
  options: { timeoutMs?: number },
  ...args: A
): Promise<OpenRunAnswer<R>> {
  const { QueryRejectedError, WorkflowNotFoundError } = await import('./client-sdk.js');
  const sibling = await rejectingClient(client);
  const ask = () => sibling.workflow.getHandle(workflowId).query(query, ...args);
  try {
    const answer = await (options.timeoutMs === undefined ? ask() : sibling.withDeadline(Date.now() + options.timeoutMs, ask));
    return { kind: 'answered', answer };
  } catch (err) {
    if (err instanceof QueryRejectedError) return { kind: 'closed' };
    if (err instanceof WorkflowNotFoundError) return { kind: 'missing' };
    throw err;
  }
}
