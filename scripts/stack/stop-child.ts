/**
 * Stops a child process the way every part of the stack does: SIGTERM first, so it can finish
 * what it is doing, then SIGKILL if it is still there after the grace time. Resolves once it has
 * exited, with whether it went gracefully.
 */
import type { ChildProcess } from 'node:child_process';

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<boolean> {
  if (!isRunning(child)) return true;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceful = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!graceful) {
    child.kill('SIGKILL');
    await exited;
  }
  return graceful;
}
