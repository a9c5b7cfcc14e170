/**
 * The account contract: which accounts exist is the operator's decision, written in the worker's
 * accounts file (accounts.json, or the file ACCOUNTS_FILE names; worker/config/accounts-config.ts).
 * A call naming any other account is refused with the failure type UnknownAccount (tool code
 * UNKNOWN_ACCOUNT), raised in the worker, so no caller can bring an account into being by naming
 * it. Shared by the worker, the clients and the servers. Pure definitions only: this module is
 * bundled into workflow code.
 */
import { ApplicationFailure } from '@temporalio/common';

export const UNKNOWN_ACCOUNT = 'UnknownAccount';
/** The tool error code of an UnknownAccount failure. */
export const UNKNOWN_ACCOUNT_CODE = 'UNKNOWN_ACCOUNT';

export const unknownAccountMessage = (account: string): string =>
  `account ${account} is not configured on the worker, so nothing is decided, booked or reported for it`;

/** What to do about it: only the operator can add an account. */
export const UNKNOWN_ACCOUNT_HINT =
  'Use a configured account (the default is paper). The operator adds one by writing {"name": "<account>"} (or a {"prefix": "<start of names>"} template) ' +
  'into the "accounts" list of accounts.json at the repository root, or of the file ACCOUNTS_FILE names, and restarting the worker.';

/**
 * The failure the worker raises for an unknown account: non-retryable (asking again gets the same
 * answer until the operator changes the file), the account in its details so clients can name it.
 */
export function unknownAccountFailure(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: UNKNOWN_ACCOUNT,
    nonRetryable: true,
    message: `${unknownAccountMessage(account)}. ${UNKNOWN_ACCOUNT_HINT}`,
    details: [account],
  });
}

/** The account an UnknownAccount failure names (its first detail), if it is one. */
export function unknownAccountOf(failure: unknown): string | undefined {
  if (!(failure instanceof ApplicationFailure) || failure.type !== UNKNOWN_ACCOUNT) return undefined;
  const account = failure.details?.[0];
  return typeof account === 'string' ? account : '';
}
