/**
 * Runs the worker as a child process (its own event loop and native runtime), the way an operator
 * starts it (`node --import tsx worker/main.ts`, configured only through its environment): for
 * `npm start` and for the tests that kill and restart it. Stopping is graceful: SIGTERM lets
 * in-flight activities finish.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { repoRoot } from './paths.js';
import { isRunning, stopChild } from './stop-child.js';

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  /** Resolves with the "worker ready" line; rejects if the process ends first or the time is up. */
  ready: Promise<string>;
  /** Everything the worker printed so far, for failure messages. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful stop (SIGTERM), escalating to SIGKILL if the process does not go within graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** Abrupt death, as from a crash or an OOM kill: nothing gets to shut down cleanly. */
  kill(): Promise<void>;
}

export interface SpawnWorkerOptions {
  /** Receives each line the worker prints. */
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}

export function spawnWorkerProcess(env: NodeJS.ProcessEnv, opts: SpawnWorkerOptions = {}): WorkerProcess {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker', 'main.ts')], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const onLine = (line: string) => {
    output += `${line}\n`;
    opts.log?.(`worker: ${line}`);
  };
  createInterface({ input: child.stderr }).on('line', onLine);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not report ready within ${readyTimeoutMs / 1000} s:\n${output}`)), readyTimeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine(line);
      if (line.startsWith('worker ready')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);
  return {
    child,
    pid: child.pid as number,
    ready,
    output: () => output,
    exited,
    async stop(graceMs = 30_000) {
      await stopChild(child, exited, graceMs);
    },
    async kill() {
      if (!isRunning(child)) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Spawns the worker and waits for it to be ready; a worker that cannot start is stopped and reported. */
export async function startWorkerProcess(env: NodeJS.ProcessEnv, log: (line: string) => void, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(env, { log, readyTimeoutMs });
  try {
    await worker.ready;
  } catch (err) {
    await worker.kill();
    throw err;
  }
  return worker;
}
