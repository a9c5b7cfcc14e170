/**
 * Whatever an activity throws becomes part of the workflow history. viem's error messages carry
 * the RPC URL (which may hold a provider's API key) and request bodies, so anything that is not
 * already a deliberate ApplicationFailure is re-thrown as one that carries only the node's words.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { nodeMessage } from './rpc-errors.js';

export const EVM_ACTIVITY_ERROR = 'EvmActivityError';

export function withCleanErrors<A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ApplicationFailure || err instanceof CancelledFailure) throw err;
      throw ApplicationFailure.create({ type: EVM_ACTIVITY_ERROR, message: `${name}: ${nodeMessage(err)}`, nonRetryable: false });
    }
  };
}
