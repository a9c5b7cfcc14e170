/**
 * The LLM host as a real process, started the way an operator starts it
 * (`node --import tsx agents/llm-host.ts`, configured only through its environment), so tests can
 * read its output, kill it abruptly and start it again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { repoRoot } from './mcp-servers.js';
import { stopChild } from '../../scripts/stack/stop-child.js';

export interface LlmHostProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first output line (stdout or stderr) matching the pattern; rejects if the process ends first or the time is up. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Abrupt death, as from a crash: nothing gets to shut down cleanly. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM), escalating to SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnLlmHost(env: Record<string, string>): LlmHostProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'agents/llm-host.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLine(pattern, timeoutMs = 45_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = [...stdout.split('\n'), ...stderr.split('\n')].find((l) => pattern.test(l));
          if (line === undefined) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          done();
          reject(new Error(`llm host exited (${signal ?? code}) before printing ${pattern}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        });
        listeners.add(check);
        check();
      });
    },
    exited,
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 15_000) {
      await stopChild(child, exited, graceMs);
    },
  };
}
