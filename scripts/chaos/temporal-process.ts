/**
 * A Temporal dev server of the chaos run's own: a free 127.0.0.1 port and a SQLite file in the
 * run's temp folder, so it can be stopped (SIGTERM, or SIGKILL as a crash) and started again on
 * the same port with every workflow still there. Nothing else may run against it: the shared dev
 * server of the test suite is never restarted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { isRunning } from '../stack/stop-child.js';
import { waitForTemporal } from '../temporal/dev-server.js';
import { findTemporalCli } from '../temporal/find-cli.js';
import { freePort } from '../temporal/free-port.js';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
const OUTPUT_TAIL_LINES = 40;

export interface RestartableTemporal {
  address: string;
  dbFile: string;
  /** Takes the server down with `signal`, leaves it down for downMs, and waits until it serves again. */
  restart(signal: 'SIGTERM' | 'SIGKILL', downMs: number): Promise<void>;
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  tail: string[];
}

export async function startRestartableTemporal(dir: string, log: (line: string) => void): Promise<RestartableTemporal> {
  const cli = (await findTemporalCli({ log })).path;
  const port = await freePort();
  const address = `${HOST}:${port}`;
  const dbFile = join(dir, 'temporal.db');
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--headless', '--db-filename', dbFile, '--namespace', 'default', '--log-level', 'warn'];

  const launch = async (): Promise<Running> => {
    const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (line: string): void => {
      log(`temporal: ${line}`);
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const died = exited.then(() => {
      throw new Error(`the Temporal dev server on ${address} exited (${child.signalCode ?? child.exitCode}) before it was ready:\n${tail.join('\n')}`);
    });
    await Promise.race([waitForTemporal(address, READY_TIMEOUT_MS), died]);
    died.catch(() => undefined);
    return { child, exited, tail };
  };

  const halt = async (running: Running, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (!isRunning(running.child)) return;
    running.child.kill(signal);
    const timer = setTimeout(() => running.child.kill('SIGKILL'), STOP_GRACE_MS);
    await running.exited;
    clearTimeout(timer);
  };

  let current = await launch();
  // The run's own server never outlives the run, whatever ends it.
  const killOnExit = (): void => {
    if (isRunning(current.child)) current.child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  return {
    address,
    dbFile,
    async restart(signal, downMs) {
      await halt(current, signal);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      current = await launch();
    },
    async stop() {
      await halt(current, 'SIGTERM');
      process.off('exit', killOnExit);
    },
  };
}
