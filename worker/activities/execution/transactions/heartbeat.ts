/**
 * Heartbeats while one slow call is in flight, so that a worker that dies mid-call is noticed
 * within the heartbeat timeout and the activity retried elsewhere, instead of after the whole
 * start-to-close timeout.
 */
import { Context } from '@temporalio/activity';

const HEARTBEAT_EVERY_MS = 1_000;

export async function heartbeatingWhile<T>(work: Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
