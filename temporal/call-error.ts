/**
 * The one error shape a call into the stack reports, whoever made it (a tool, an activity, a
 * script): what was wrong, what to do about it, and whether the same call can succeed later. It
 * knows nothing of MCP; the server kit turns it into an isError result, and no stack trace leaves.
 */
export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export function callErrorText(e: CallError): string {
  return `${e.code}: ${e.message}. ${e.hint} ${e.retryable ? 'Retrying can help.' : 'Retrying the same call will not help.'}`;
}
