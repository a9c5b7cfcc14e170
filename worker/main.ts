/**
 * The worker process (`npm run worker`): one per machine or more for scale-out; every instance
 * polls the same task queue. SIGINT/SIGTERM start a graceful shutdown: polling stops, in-flight
 * activities get the grace time to finish, then the process exits.
 */
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { temporalEnv } from '../temporal/temporal-env.js';
import { closeVenues } from './activities/market/venues/registry.js';
import { ensureWorkflowBundle } from './bundle.js';
import { workerConfigFromEnv } from './config/worker-config.js';
import { createWorker } from './create-worker.js';

async function main(): Promise<void> {
  const temporal = temporalEnv();
  const config = workerConfigFromEnv();
  Runtime.install({
    logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
  const bundlePath = await ensureWorkflowBundle();
  const { worker, connection } = await createWorker({ temporal, config, bundlePath });
  console.log(
    `worker ready: task queue ${temporal.taskQueue}, namespace ${temporal.namespace}, Temporal at ${temporal.address}`,
  );
  try {
    await worker.run();
  } finally {
    // Venue websockets would otherwise keep the process alive after the worker stopped.
    await closeVenues().catch(() => undefined);
    await connection.close();
  }
  console.log('worker stopped');
}

main().catch((err: unknown) => {
  console.error(`worker failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
