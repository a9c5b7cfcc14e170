/** Builds the one worker: every workflow from the prebuilt bundle, every activity, one task queue. */
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectionOptions, type TemporalEnv } from '../temporal/temporal-env.js';
import { createActivities } from './activities/index.js';
import type { WorkerConfig } from './config/worker-config.js';

/** How long a task waits for the worker that holds its workflow in cache before it goes to any worker. */
const STICKY_SCHEDULE_TO_START = '3 seconds';

export interface CreateWorkerOptions {
  temporal: TemporalEnv;
  config: WorkerConfig;
  bundlePath: string;
  /** Lets in-flight activities finish on shutdown before they are cancelled. */
  shutdownGraceTime?: string;
}

export async function createWorker(opts: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(connectionOptions(opts.temporal));
  try {
    const worker = await Worker.create({
      connection,
      namespace: opts.temporal.namespace,
      taskQueue: opts.temporal.taskQueue,
      workflowBundle: { codePath: opts.bundlePath },
      activities: createActivities(opts.config),
      shutdownGraceTime: opts.shutdownGraceTime ?? '20 seconds',
      // Bounded here rather than left to the SDK's heap-sized default: see workflow-cache-config.ts.
      maxCachedWorkflows: opts.config.workflowCache.maxCachedWorkflows,
      // A task routed to the cache of a worker that was killed waits this long before any worker may
      // take it (the SDK's default is 10 s): after a crash, every workflow the dead worker held would
      // sit idle that long, the risk gate first among them. A live worker answers well within it.
      stickyQueueScheduleToStartTimeout: STICKY_SCHEDULE_TO_START,
    });
    return { worker, connection };
  } catch (err) {
    await connection.close();
    throw err;
  }
}
