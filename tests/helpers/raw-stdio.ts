/**
 * A server from mcp.json spawned with node:child_process and spoken to in raw newline-delimited
 * JSON-RPC, so a test sees every byte the server writes to stdout and every lifecycle event,
 * with no SDK in between to tolerate or hide anything.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import type { ToolGroup } from '../../schemas/contract.js';
import { mcpConfig, repoRoot } from './mcp-servers.js';

export interface JsonRpcResponse {
  jsonrpc: '2.0';
  id: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

export interface RawServer {
  child: ChildProcessWithoutNullStreams;
  /** Every complete line written to stdout so far. */
  stdoutLines(): string[];
  stderr(): string;
  request(method: string, params?: Record<string, unknown>): Promise<JsonRpcResponse>;
  notify(method: string, params?: Record<string, unknown>): void;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnRawServer(group: ToolGroup, env: Record<string, string>): RawServer {
  const entry = mcpConfig()[group];
  const child = spawn(entry.command, entry.args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...entry.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  const waiters = new Map<number, (response: JsonRpcResponse) => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      lines.push(line);
      try {
        const message = JSON.parse(line) as Partial<JsonRpcResponse>;
        if (typeof message.id === 'number') waiters.get(message.id)?.(message as JsonRpcResponse);
      } catch {
        // Kept in lines; the test asserting on stdout reports it.
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  let nextId = 1;
  const write = (message: Record<string, unknown>) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  return {
    child,
    stdoutLines: () => (stdout ? [...lines, stdout] : [...lines]),
    stderr: () => stderr,
    request(method, params) {
      const id = nextId++;
      const answered = new Promise<JsonRpcResponse>((resolve, reject) => {
        waiters.set(id, resolve);
        void exited.then(({ code, signal }) =>
          reject(new Error(`${group} server exited (${signal ?? code}) before answering ${method}; stderr:\n${stderr}`)),
        );
      });
      write({ id, method, ...(params ? { params } : {}) });
      return answered;
    },
    notify(method, params) {
      write({ method, ...(params ? { params } : {}) });
    },
    exited,
  };
}

/** The handshake every host performs first. */
export async function initialize(server: RawServer): Promise<JsonRpcResponse> {
  const response = await server.request('initialize', {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'raw-stdio-test', version: '0.0.0' },
  });
  server.notify('notifications/initialized');
  return response;
}

/** Resolves true if the process exits within ms, false otherwise (the process is left running). */
export function exitsWithin(server: RawServer, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    server.exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Stops a server that may still be running; used in cleanup so no process outlives its test. */
export async function killRawServer(server: RawServer): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
}
