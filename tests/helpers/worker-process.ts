/**
 * The real worker process for tests that kill and restart it: the stack's own spawner, with only
 * the environment the test gives it (plus PATH, HOME and the test accounts file) and room for a
 * loaded machine.
 */
import { spawnWorkerProcess as spawnStackWorker, type WorkerProcess } from '../../scripts/stack/worker-process.js';
import { TEST_ACCOUNTS_FILE } from './test-accounts.js';

export type { WorkerProcess };

/** A worker building the workflow bundle first can take a while on a loaded machine. */
const READY_TIMEOUT_MS = 180_000;

export function spawnWorkerProcess(env: Record<string, string>): WorkerProcess {
  return spawnStackWorker({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ACCOUNTS_FILE: TEST_ACCOUNTS_FILE, ...env }, { readyTimeoutMs: READY_TIMEOUT_MS });
}
