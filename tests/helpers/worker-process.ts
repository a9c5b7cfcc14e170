/**
 * The real worker process, started the way an operator starts it (`node --import tsx worker/main.ts`,
 * configured only through its environment), for tests that kill and restart it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './mcp-servers.js';

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the "worker ready" line; rejects if the process ends first or the time is up. */
  ready: Promise<string>;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Graceful stop (SIGTERM), escalating to SIGKILL if the process does not go within graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** Abrupt death, as from a crash or an OOM kill: nothing gets to shut down cleanly. */
  kill(): Promise<void>;
}

/** A worker building the workflow bundle first can take a while on a loaded machine. */
const READY_TIMEOUT_MS = 180_000;

export function spawnWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready after ${READY_TIMEOUT_MS} ms:\n${output}`)), READY_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      output += `${line}\n`;
      if (line.startsWith('worker ready')) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  ready.catch(() => undefined);

  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    ready,
    output: () => output,
    exited,
    async stop(graceMs = 15_000) {
      if (!running()) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!stopped) await this.kill();
    },
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
