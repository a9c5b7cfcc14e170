/**
 * A real worker inside the test process, on a task queue of the test's own, against the run's dev
 * server. Configuration goes through the same env parsing as production; its accounts are those of
 * tests/fixtures/accounts.json unless the test passes ACCOUNTS_FILE.
 */
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { inject } from 'vitest';
import { temporalEnv, type TemporalEnv } from '../../temporal/temporal-env.js';
import { workerConfigFromEnv } from '../../worker/config/worker-config.js';
import { createWorker } from '../../worker/create-worker.js';
import { TEST_ACCOUNTS_FILE } from './test-accounts.js';

export interface RunningWorker {
  temporal: TemporalEnv;
  stop(): Promise<void>;
}

export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Worker logs at WARN, as in production: INFO state-change lines would bury a failing test's output. */
function quietRuntime(): void {
  if (Runtime._instance) return;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export async function startTestWorker(taskQueue: string, env: Record<string, string> = {}): Promise<RunningWorker> {
  quietRuntime();
  const temporal = temporalEnv({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
  const { worker, connection } = await createWorker({
    temporal,
    config: workerConfigFromEnv({ ACCOUNTS_FILE: TEST_ACCOUNTS_FILE, ...env }),
    bundlePath: inject('workflowBundlePath'),
    shutdownGraceTime: '1 second',
  });
  const running = worker.run();
  return {
    temporal,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
