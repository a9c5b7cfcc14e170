/**
 * The one error shape a tool reports: what was wrong, what to do about it, and whether the same
 * call can succeed later. The kit turns it into an MCP isError result; no stack trace ever leaves.
 */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export function toolErrorText(e: ToolError): string {
  return `${e.code}: ${e.message}. ${e.hint} ${e.retryable ? 'Retrying can help.' : 'Retrying the same call will not help.'}`;
}
