/**
 * How a client recognises a workflow the worker ended because its account is not configured (the
 * ledger, the risk workflow and a paper order each fail with UnknownAccount at their first step),
 * and the one error it reports for it. Such a run held no state, so a client may start the
 * workflow again in its place once the operator has configured the account (reuse policy
 * ALLOW_DUPLICATE, used for exactly that case); every other closed run stays closed.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { UNKNOWN_ACCOUNT_CODE, UNKNOWN_ACCOUNT_HINT, unknownAccountMessage, unknownAccountOf } from '../schemas/temporal/accounts.js';
import { CallError } from './call-error.js';
import { failureChain } from './failure-chain.js';

export function unknownAccountError(account: string): CallError {
  return new CallError(UNKNOWN_ACCOUNT_CODE, unknownAccountMessage(account), UNKNOWN_ACCOUNT_HINT, false);
}

/** The account named by an UnknownAccount failure anywhere in the error's cause chain, if any. */
export function unknownAccountIn(err: unknown): string | undefined {
  for (const e of failureChain(err)) {
    const account = unknownAccountOf(e);
    if (account !== undefined) return account;
  }
  return undefined;
}

/**
 * Whether the workflow's latest run failed with UnknownAccount: the account it names, or undefined
 * (running, ended otherwise, or never started).
 */
export async function endedForUnknownAccount(client: Client, workflowId: string): Promise<string | undefined> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    if ((await handle.describe()).status.name !== 'FAILED') return undefined;
    await handle.result();
    return undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    return unknownAccountIn(err);
  }
}
