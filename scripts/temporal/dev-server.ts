/**
 * Runs the Temporal CLI's dev server (`temporal server start-dev`) as a child of this process, or
 * reuses one already answering on the requested port, and waits until its frontend really serves
 * requests: a port that accepts TCP is not yet a Temporal that accepts workflows.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { isRunning, stopChild } from '../stack/stop-child.js';
import { findTemporalCli } from './find-cli.js';

export interface DevServer {
  /** `127.0.0.1:<port>`, ready for `Connection.connect({ address })`. */
  address: string;
  /** The Web UI, unless headless or reused (a reused server's UI port is unknown). */
  uiUrl?: string;
  /** True when a server was already running: this process does not own it and stop() leaves it alone. */
  reused: boolean;
  /** The server's process id when this process started it (a benchmark counts its CPU). */
  pid?: number;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** gRPC frontend port (default 7233). */
  port?: number;
  /** Web UI port (default port + 1000). */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file that keeps workflows across restarts; omitted = in memory. */
  dbFile?: string;
  /** Registered at start (default 'default', which the server always creates). */
  namespace?: string;
  /** Receives the server's own output lines and lifecycle notes. */
  log?: (line: string) => void;
  /** How long to wait for the frontend to answer (default 30000). */
  readinessTimeoutMs?: number;
  /** The CLI binary; found (or built) with findTemporalCli() when omitted. */
  cliPath?: string;
}

const HOST = '127.0.0.1';
const POLL_MS = 200;
const PROBE_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 10_000;
const OUTPUT_TAIL_LINES = 40;

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const port = opts.port ?? 7233;
  const address = `${HOST}:${port}`;
  const log = opts.log ?? (() => {});

  // Cheap TCP check first: probing a closed port over gRPC waits out the whole connect timeout.
  if (await isPortOpen(port)) {
    try {
      await probeTemporal(address, 2_000);
    } catch (error) {
      throw new Error(`Port ${port} on ${HOST} is in use by something that is not a Temporal frontend: ${errorMessage(error)}`);
    }
    log(`Reusing the Temporal server already running on ${address}`);
    return { address, reused: true, stop: async () => {} };
  }

  const cliPath = opts.cliPath ?? (await findTemporalCli({ log })).path;
  const uiPort = opts.uiPort ?? port + 1000;
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port)];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (opts.dbFile) {
    const dbFile = resolve(opts.dbFile);
    // The CLI no longer creates missing parent folders itself.
    mkdirSync(dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  args.push('--namespace', opts.namespace ?? 'default', '--log-level', 'warn');

  // Not detached: the server stays in this process group, so Ctrl-C in a terminal reaches it too.
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const onLine = (line: string): void => {
    log(line);
    tail.push(line);
    if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);

  // A running server alone must not keep this process alive: whoever uses it holds the event loop.
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);

  // Plain exits (end of script, process.exit) take the server down with them.
  const killOnExit = (): void => {
    if (isRunning(child)) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolveExit();
    });
  });
  const spawnError = new Promise<Error>((resolveError) =>
    child.once('error', (error) => {
      // A binary that could not be spawned never emits 'exit'.
      process.off('exit', killOnExit);
      resolveError(error);
    }),
  );

  const stop = async (): Promise<void> => {
    if (!(await stopChild(child, exited, STOP_GRACE_MS))) log(`Temporal server on ${address} ignored SIGTERM for ${STOP_GRACE_MS / 1000} s; it was killed`);
  };

  const timeoutMs = opts.readinessTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = await Promise.race([
      spawnError.then((error) => `could not start ${cliPath}: ${error.message}`),
      exited.then(() => `exited with ${child.signalCode ?? `code ${child.exitCode}`} before it was ready`),
      probeTemporal(address, Math.max(100, Math.min(PROBE_TIMEOUT_MS, deadline - Date.now()))).then(
        () => null,
        () => undefined,
      ),
    ]);
    if (failure === null) break;
    if (typeof failure === 'string') throw serverError(`Temporal dev server on ${address} ${failure}`, tail);
    if (Date.now() >= deadline) {
      await stop();
      throw serverError(`Temporal dev server on ${address} was not ready after ${timeoutMs} ms`, tail);
    }
    await sleep(POLL_MS);
  }

  const uiUrl = opts.headless ? undefined : `http://${HOST}:${uiPort}`;
  log(`Temporal dev server ready on ${address}${uiUrl ? ` (UI ${uiUrl})` : ''}`);
  return { address, uiUrl, reused: false, ...(child.pid === undefined ? {} : { pid: child.pid }), stop };
}

/** Polls until a Temporal frontend at `address` answers getSystemInfo, or throws after timeoutMs. */
export async function waitForTemporal(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const remaining = deadline - Date.now();
    try {
      await probeTemporal(address, Math.max(100, Math.min(PROBE_TIMEOUT_MS, remaining)));
      return;
    } catch (error) {
      if (Date.now() + POLL_MS >= deadline) {
        throw new Error(`Temporal at ${address} did not answer within ${timeoutMs} ms: ${errorMessage(error)}`);
      }
    }
    await sleep(POLL_MS);
  }
}

/**
 * One readiness check: connect and call getSystemInfo, which only a started frontend answers.
 * Connection.lazy + ensureConnected is what Connection.connect does, but written out so the
 * channel is closed on failure too; connect() leaves it open, leaking one per failed poll.
 */
async function probeTemporal(address: string, timeoutMs: number): Promise<void> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
  } finally {
    await connection.close();
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = tcpConnect({ host: HOST, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolveOpen(open);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function unrefStream(stream: unknown): void {
  // Child pipes are net.Sockets at runtime, but typed as plain Readables.
  (stream as { unref?: () => void } | null)?.unref?.();
}

function serverError(message: string, tail: string[]): Error {
  return new Error(tail.length ? `${message}. Last output:\n${tail.join('\n')}` : `${message} (no output)`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
