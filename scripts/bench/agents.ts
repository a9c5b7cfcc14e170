/**
 * Agents server figures: cold start (spawn to tools/list answered) from source and from the
 * prebuilt launcher, and the prompt_agent → next_prompt round trip through the real stdio server,
 * next to the bare Temporal round trip measured in the same run.
 */
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Client, Connection } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporalEnv } from '../../servers/kit/temporal-env.js';
import { workerConfigFromEnv } from '../../worker/config/worker-config.js';
import { createWorker } from '../../worker/create-worker.js';
import { repoRoot } from '../stack/paths.js';
import { formatMs, percentile, type BenchContext } from './bench-context.js';

const COLD_STARTS = 10;
const ROUND_TRIPS = 200;

interface Launch {
  command: string;
  args: string[];
}

function mcpJsonLaunch(group: string): Launch {
  const config = JSON.parse(readFileSync(join(repoRoot, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, Launch> };
  return config.mcpServers[group] as Launch;
}

async function connectServer(launch: Launch, env: Record<string, string>): Promise<McpClient> {
  const client = new McpClient({ name: 'bench', version: '0' });
  await client.connect(new StdioClientTransport({ ...launch, cwd: repoRoot, env: { ...(process.env as Record<string, string>), ...env }, stderr: 'ignore' }));
  return client;
}

async function coldStart(launch: Launch): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_STARTS; i += 1) {
    const started = performance.now();
    const client = await connectServer(launch, {});
    await client.listTools();
    samples.push(performance.now() - started);
    await client.close();
  }
  return samples.sort((a, b) => a - b);
}

export async function benchAgents(ctx: BenchContext): Promise<void> {
  const fromSource = await coldStart(mcpJsonLaunch('agents'));
  ctx.report(`agents server cold start, from source (mcp.json): median ${formatMs(percentile(fromSource, 50))} over ${COLD_STARTS}`);
  const prebuilt = await coldStart({ command: process.execPath, args: [join(repoRoot, 'bin', 'durable-crypto-agents.js'), 'agents'] });
  ctx.report(`agents server cold start, prebuilt (npx launcher): median ${formatMs(percentile(prebuilt, 50))} over ${COLD_STARTS}`);

  const taskQueue = `bench-agents-${crypto.randomUUID().slice(0, 8)}`;
  const temporal = temporalEnv({ TEMPORAL_ADDRESS: ctx.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
  const { worker, connection: workerConnection } = await createWorker({
    temporal,
    config: workerConfigFromEnv({ INBOX_MAX_MESSAGES: String(ROUND_TRIPS * 2) }),
    bundlePath: ctx.bundlePath,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const mcp = await connectServer(mcpJsonLaunch('agents'), { TEMPORAL_ADDRESS: ctx.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue });
  try {
    const client = new Client({ connection });
    const bare: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i += 1) {
      const started = performance.now();
      await client.workflow.execute('pingWorkflow', { taskQueue, workflowId: `bench-ping-${taskQueue}-${i}`, args: [String(i)] });
      bare.push(performance.now() - started);
    }
    bare.sort((a, b) => a - b);

    const agent = `bench-${taskQueue.slice(-8)}`;
    const roundTrips: number[] = [];
    for (let i = 0; i < ROUND_TRIPS; i += 1) {
      const started = performance.now();
      const sent = await mcp.callTool({ name: 'prompt_agent', arguments: { target: agent, message: `tick ${i}`, message_id: `bench-${i}` } });
      const got = await mcp.callTool({ name: 'next_prompt', arguments: { agent, wait_sec: 5 } });
      roundTrips.push(performance.now() - started);
      const message = (got.structuredContent as { message?: { message_id: string } } | undefined)?.message;
      if (sent.isError || got.isError || message?.message_id !== `bench-${i}`) {
        throw new Error(`round trip ${i} went wrong: ${JSON.stringify(sent.content)} ${JSON.stringify(got.content)}`);
      }
    }
    roundTrips.sort((a, b) => a - b);
    ctx.report(`bare Temporal round trip (start + result of an empty workflow): median ${formatMs(percentile(bare, 50))}, p99 ${formatMs(percentile(bare, 99))} over ${ROUND_TRIPS}`);
    ctx.report(`prompt_agent → next_prompt round trip via the stdio server: median ${formatMs(percentile(roundTrips, 50))}, p99 ${formatMs(percentile(roundTrips, 99))} over ${ROUND_TRIPS}`);
  } finally {
    await mcp.close();
    await connection.close();
    worker.shutdown();
    await running;
    await workerConnection.close();
  }
}
