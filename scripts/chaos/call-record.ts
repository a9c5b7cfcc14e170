/**
 * What one tool call answered, as the caller saw it: its latency and one of four outcomes. An
 * `order` is the order's state; a `refusal` is an isError result with the stack's code and retry
 * hint; a `raw_error` is an error whose text carries a transport or server status the stack
 * should have turned into one of those (`9 FAILED_PRECONDITION: …`, `INTERNAL: …`); a
 * `call_failed` is a call that never got an answer at all (the request timed out, the server died).
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

export type Outcome = 'order' | 'refusal' | 'raw_error' | 'call_failed';

export interface CallRecord {
  tool: string;
  client_order_id: string;
  /** Which submission of this client_order_id (0-based), in the order the driver planned them. */
  submission: number;
  startedAt: number;
  latencyMs: number;
  outcome: Outcome;
  /** The order's status when the outcome is an order. */
  status?: string;
  duplicate?: boolean;
  fills?: number;
  /** The order's rejection code (status rejected), or the refusal's code. */
  code?: string;
  /** The error text, for refusals and errors. */
  text?: string;
}

/** gRPC status names as the Temporal client spells them ("9 FAILED_PRECONDITION: …"); the stack's own codes never stand alone like this. */
const GRPC_STATUS = /\b(?:\d{1,2} )?(CANCELLED|UNKNOWN|INVALID_ARGUMENT|DEADLINE_EXCEEDED|NOT_FOUND|ALREADY_EXISTS|PERMISSION_DENIED|RESOURCE_EXHAUSTED|FAILED_PRECONDITION|ABORTED|OUT_OF_RANGE|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS|UNAUTHENTICATED)\b/;
/** Server texts that only a transport error carries through unchanged. */
const RAW_SERVER_TEXT = /Workflow Task in failed state|Unable to query workflow|too many outstanding requests|Request unexpectedly cancelled|14 UNAVAILABLE|No connection established/i;
const RETRY_HINT = /Retrying can help\.|Retrying the same call will not help\./;

export function isRawErrorText(text: string): boolean {
  return GRPC_STATUS.test(text) || RAW_SERVER_TEXT.test(text) || !RETRY_HINT.test(text);
}

/** The line a raw error is grouped under in the figures: the text with ids, numbers and quoted values taken out. */
export function rawErrorKey(text: string): string {
  return text
    .split('\n')[0]!
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<id>')
    .replace(/order:[\w.-]+/g, 'order:<id>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .slice(0, 160);
}

function textOf(result: CallToolResult): string {
  return result.content
    .map((c) => (c.type === 'text' ? c.text : `[${c.type}]`))
    .join('\n');
}

export async function recordedCall(
  client: Client,
  tool: string,
  args: Record<string, unknown>,
  submission: number,
  timeoutMs: number,
): Promise<CallRecord> {
  const base = { tool, client_order_id: String(args.client_order_id ?? ''), submission, startedAt: Date.now() };
  const started = performance.now();
  let result: CallToolResult;
  try {
    result = (await client.callTool({ name: tool, arguments: args }, undefined, { timeout: timeoutMs })) as CallToolResult;
  } catch (err) {
    return { ...base, latencyMs: performance.now() - started, outcome: 'call_failed', text: err instanceof Error ? err.message : String(err) };
  }
  const latencyMs = performance.now() - started;
  if (result.isError) {
    const text = textOf(result);
    const code = /^([A-Z][A-Z_]+):/.exec(text)?.[1];
    return { ...base, latencyMs, outcome: isRawErrorText(text) || code === 'INTERNAL' ? 'raw_error' : 'refusal', code, text };
  }
  const order = result.structuredContent as
    | { status?: string; duplicate?: boolean; fills?: unknown[]; rejection?: { code?: string; message?: string } | null }
    | undefined;
  if (!order?.status) return { ...base, latencyMs, outcome: 'raw_error', text: `no order in the answer: ${textOf(result).slice(0, 300)}` };
  return {
    ...base,
    latencyMs,
    outcome: 'order',
    status: order.status,
    duplicate: order.duplicate,
    fills: order.fills?.length ?? 0,
    ...(order.rejection ? { code: order.rejection.code, text: order.rejection.message } : {}),
  };
}
