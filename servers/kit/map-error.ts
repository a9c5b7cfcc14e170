/**
 * Maps whatever a tool handler threw (zod, Temporal client, gRPC, our own) to a ToolError with
 * plain, actionable text.
 */
import { z } from 'zod';
import { CallError } from '../../temporal/call-error.js';
import { ToolError } from './tool-error.js';
import { failureChain } from '../../temporal/failure-chain.js';

export function describeZodError(err: z.ZodError): string {
  return err.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`)
    .join('; ');
}

function isUnreachable(err: unknown): boolean {
  const text = failureChain(err).map((e) => `${e.name} ${e.message}`).join(' ');
  return /ECONNREFUSED|UNAVAILABLE|ENOTFOUND|EAI_AGAIN|Failed to connect|connect ETIMEDOUT|No connection established|DEADLINE_EXCEEDED.*connect|TransportError/i.test(
    text,
  );
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
  const typed = chain.find((e) => (e as { type?: unknown }).type && (e as { nonRetryable?: unknown }).nonRetryable !== undefined) as
    | { type: string; message: string; nonRetryable: boolean }
    | undefined;
  if (typed) {
    return new ToolError(
      typed.type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(),
      typed.message,
      'See the message for what to change.',
      !typed.nonRetryable,
    );
  }
  const deepest = chain[chain.length - 1] ?? err;
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return new ToolError('INTERNAL', message.split('\n')[0] ?? 'unexpected error', 'If it persists, check the worker log.', true);
}
