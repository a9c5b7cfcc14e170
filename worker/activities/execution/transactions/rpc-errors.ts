/**
 * Reads what an EVM node said when a call failed. Two kinds of failure matter and are handled in
 * opposite ways: the node could not be reached (retry: nothing was decided), or the node answered
 * with an error (a decision about this request, reported to the caller).
 *
 * Messages built here go into workflow histories, so they never carry the RPC URL (it may embed a
 * provider's API key); viem's own messages do, which is why only their short parts are used.
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  BaseError,
  HttpRequestError,
  LimitExceededRpcError,
  ResourceUnavailableRpcError,
  RpcRequestError,
  TimeoutError,
  WebSocketRequestError,
} from 'viem';

/** Activity failure type for an RPC that could not be reached; retried by Temporal. */
export const RPC_UNREACHABLE = 'RpcUnreachable';

function isTransportFailure(err: unknown): boolean {
  if (!(err instanceof BaseError)) {
    // fetch() itself (DNS, refused connection) fails with a TypeError before viem wraps it.
    return err instanceof TypeError || (err instanceof Error && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed/i.test(err.message));
  }
  return (
    err.walk(
      (e) =>
        e instanceof HttpRequestError ||
        e instanceof WebSocketRequestError ||
        e instanceof TimeoutError ||
        e instanceof LimitExceededRpcError ||
        e instanceof ResourceUnavailableRpcError,
    ) !== null
  );
}

/** The node's own words for a JSON-RPC error, without viem's URL and request-body lines. */
export function nodeMessage(err: unknown): string {
  if (err instanceof BaseError) {
    const rpc = err.walk((e) => e instanceof RpcRequestError) as RpcRequestError | null;
    const text = rpc?.details || err.details || err.shortMessage;
    return text.split('\n')[0]?.trim() || err.shortMessage;
  }
  return err instanceof Error ? (err.message.split('\n')[0] ?? 'unknown error') : String(err);
}

/**
 * Rethrows an unreachable-node failure as a retryable activity failure that names the chain and
 * not the URL; returns the node's message for anything the node itself decided.
 */
export function rpcDecisionOrThrow(err: unknown, chainId: number, what: string): string {
  if (isTransportFailure(err)) {
    const short = err instanceof BaseError ? err.shortMessage : 'connection failed';
    throw ApplicationFailure.create({
      type: RPC_UNREACHABLE,
      message: `the RPC of chain ${chainId} did not answer ${what}: ${short}`,
      nonRetryable: false,
    });
  }
  return nodeMessage(err);
}

/** The node already holds this exact transaction (pool or chain); wording differs per client. */
export const ALREADY_KNOWN = /already known|already imported|known transaction|alreadyknown|same hash was already imported|tx already exists/i;
/** The account's nonce has moved past the transaction's nonce. */
export const NONCE_TOO_LOW = /nonce too low|nonce is too low|oldnonce|invalid nonce|nonce has already been used/i;
/** Another transaction with the same nonce sits in the pool. */
export const NONCE_TAKEN = /replacement transaction underpriced|replacement fee too low|already exists with same nonce/i;
export const INSUFFICIENT_FUNDS = /insufficient funds|insufficient balance/i;
export const REVERTED = /revert/i;
