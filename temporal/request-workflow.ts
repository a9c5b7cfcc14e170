/**
 * How a market tool reaches the worker: one short workflow per call (the durable record of what
 * was asked and answered), awaited for its result. The workflow carries an execution timeout, so a
 * call made while no worker is running neither hangs the host nor leaves a workflow behind.
 */
import { marketRequestWorkflowId } from '../schemas/temporal/market.js';
import type { ToolContext } from '../servers/kit/define-tool.js';
import { CallError } from './call-error.js';

/** Long enough for a venue's bounded retries inside the workflow, short enough for a host. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface MarketRequestResult<T> {
  result: T;
  workflowId: string;
  runId: string;
}

export async function runMarketRequest<T>(
  ctx: ToolContext,
  tool: string,
  workflowType: string,
  request: unknown,
): Promise<MarketRequestResult<T>> {
  const client = await ctx.temporal.client();
  const workflowId = marketRequestWorkflowId(tool, crypto.randomUUID());
  const handle = await client.workflow.start(workflowType, {
    workflowId,
    taskQueue: ctx.temporal.env.taskQueue,
    args: [request],
    workflowExecutionTimeout: `${REQUEST_TIMEOUT_MS} ms`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new CallError(
            'WORKER_UNAVAILABLE',
            `no worker answered ${tool} within ${REQUEST_TIMEOUT_MS / 1000} s on task queue ${ctx.temporal.env.taskQueue} (request ${workflowId})`,
            'Start the worker (`npm start` or `npm run worker`) with the same TEMPORAL_TASK_QUEUE as this server.',
            true,
          ),
        ),
      REQUEST_TIMEOUT_MS,
    );
    ctx.signal.addEventListener(
      'abort',
      () => reject(new CallError('CANCELLED', `${tool} was cancelled (request ${workflowId} may still complete)`, 'Call again if the answer is still needed.', true)),
      { once: true },
    );
  });
  try {
    const result = (await Promise.race([handle.result(), timedOut])) as T;
    return { result, workflowId, runId: handle.firstExecutionRunId };
  } finally {
    clearTimeout(timer);
  }
}

/** The label every price from the simulated venue carries. */
export function simulatedNotice(simulated: boolean): string | null {
  return simulated ? 'Simulated prices from the embedded sim venue (seeded model); not a real market.' : null;
}
