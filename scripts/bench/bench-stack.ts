/**
 * The pieces every benchmark section stands on: an in-process worker on a task queue of its own
 * with a client beside it, a server launched from mcp.json exactly as a host launches it, and the
 * bare Temporal round trip that tool latencies are read against.
 */
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolGroup } from '../../schemas/contract.js';
import { temporalEnv } from '../../temporal/temporal-env.js';
import { workerConfigFromEnv, type WorkerConfig } from '../../worker/config/worker-config.js';
import { createWorker } from '../../worker/create-worker.js';
import { repoRoot } from '../stack/paths.js';
import type { BenchContext } from './bench-context.js';

/** The sections trade in accounts of their own (bench-<queue>), which production's accounts.json does not know. */
const BENCH_ACCOUNTS_FILE = join(repoRoot, 'scripts', 'bench', 'bench-accounts.json');

export interface BenchWorker {
  taskQueue: string;
  client: Client;
  config: WorkerConfig;
  stop(): Promise<void>;
}

export async function startBenchWorker(ctx: BenchContext, prefix: string, env: Record<string, string> = {}): Promise<BenchWorker> {
  const taskQueue = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const config = workerConfigFromEnv({ ACCOUNTS_FILE: BENCH_ACCOUNTS_FILE, ...env });
  const temporal = temporalEnv({ TEMPORAL_ADDRESS: ctx.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
  const { worker, connection: workerConnection } = await createWorker({ temporal, config, bundlePath: ctx.bundlePath });
  const running = worker.run();
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  return {
    taskQueue,
    client: new Client({ connection }),
    config,
    async stop() {
      await connection.close();
      worker.shutdown();
      await running;
      await workerConnection.close();
    },
  };
}

export interface ServerLaunch {
  command: string;
  args: string[];
}

export function mcpJsonLaunch(group: ToolGroup): ServerLaunch {
  const config = JSON.parse(readFileSync(join(repoRoot, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, ServerLaunch> };
  return config.mcpServers[group] as ServerLaunch;
}

/** A server launched as mcp.json says, pointed at the bench's Temporal and task queue when given. */
export async function connectBenchServer(launch: ServerLaunch, env: Record<string, string> = {}): Promise<McpClient> {
  const client = new McpClient({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ ...launch, cwd: repoRoot, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' }));
  return client;
}

export function serverEnv(ctx: BenchContext, taskQueue: string): Record<string, string> {
  return { TEMPORAL_ADDRESS: ctx.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue };
}

/** Start and result of the empty workflow, `count` times in a row; sorted milliseconds. */
export async function bareRoundTrips(bench: BenchWorker, count: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await bench.client.workflow.execute('pingWorkflow', { taskQueue: bench.taskQueue, workflowId: `bench-ping-${bench.taskQueue}-${i}`, args: [String(i)] });
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}
