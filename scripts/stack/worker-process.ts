/**
 * Runs the worker as a child process (its own event loop and native runtime), waits for its
 * ready line, and stops it gracefully: SIGTERM lets in-flight activities finish.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export interface WorkerProcess {
  pid: number;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export async function startWorkerProcess(env: NodeJS.ProcessEnv, log: (line: string) => void, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'worker', 'main.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr }).on('line', (line) => log(`worker: ${line}`));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the worker did not report ready within ${readyTimeoutMs / 1000} s`)), readyTimeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log(`worker: ${line}`);
      if (line.startsWith('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with code ${code} before it was ready (see its output above)`));
    });
  });
  await ready;
  return {
    pid: child.pid as number,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
