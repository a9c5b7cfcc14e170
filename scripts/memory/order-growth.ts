/**
 * `npx tsx scripts/memory/order-growth.ts [--orders 5000] [--every 250] [--concurrency 4] [--idle-sec 60] [--snapshots]`:
 * how much resident memory the execution server and the worker keep per order. Starts its own
 * Temporal dev server on a free port, a worker process and the execution server (spawned as a host
 * does, through the MCP SDK Client), seeds quotes for the risk gate, then places market orders
 * (alternately buy and sell, so the account stays flat) and prints both processes' RSS every
 * `--every` orders and after an idle spell. With --snapshots each process writes a heap snapshot
 * (a full GC first) after the warm-up and at the end, and the constructors whose live count grew
 * are printed: what is kept per call.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Client, Connection } from '@temporalio/client';
import { mcpJsonLaunch } from '../bench/bench-stack.js';
import { repoRoot } from '../stack/paths.js';
import { spawnWorkerProcess } from '../stack/worker-process.js';
import { startDevServer } from '../temporal/dev-server.js';
import { freePort } from '../temporal/free-port.js';
import { censusGrowth, heapCensus } from './heap-census.js';
import { memoryRiskEnv, seedQuote } from './memory-market.js';
import { rssMiB } from '../soak/rss.js';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '5000' },
    every: { type: 'string', default: '250' },
    concurrency: { type: 'string', default: '4' },
    'idle-sec': { type: 'string', default: '60' },
    snapshots: { type: 'boolean', default: false },
    'worker-env': { type: 'string', multiple: true, default: [] },
  },
});
const ORDERS = Number(values.orders);
const EVERY = Number(values.every);
const CONCURRENCY = Number(values.concurrency);
const IDLE_MS = Number(values['idle-sec']) * 1000;
const WARM_UP = Math.min(200, EVERY);
/** Extra worker settings, e.g. --worker-env WORKER_MAX_CACHED_WORKFLOWS=100, to compare bounds. */
const workerExtra = Object.fromEntries(values['worker-env'].map((kv) => kv.split('=', 2) as [string, string]));

const snapshotDir = mkdtempSync(join(tmpdir(), 'dca-memory-'));
const snapshotOptions: Record<string, string> = values.snapshots ? { NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}` } : {};

const exchange = `mem_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
const accountsFile = join(repoRoot, 'scripts', 'memory', 'memory-accounts.json');
const taskQueue = `memory-${crypto.randomUUID().slice(0, 8)}`;
const account = `mem-${crypto.randomUUID().slice(0, 8)}`;

const temporalServer = await startDevServer({ port: await freePort(), headless: true });
const env = { TEMPORAL_ADDRESS: temporalServer.address, TEMPORAL_TASK_QUEUE: taskQueue };
const worker = spawnWorkerProcess(
  { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ACCOUNTS_FILE: accountsFile, ...env, ...memoryRiskEnv(exchange, 'BTC/USDT'), ...snapshotOptions, ...workerExtra },
  { readyTimeoutMs: 180_000 },
);
const connection = await Connection.connect({ address: temporalServer.address });
const temporal = new Client({ connection });
let mcp: McpClient | undefined;
let serverPid = 0;

function rssLine(label: string): string {
  const s = rssMiB(serverPid);
  const w = rssMiB(worker.pid);
  return `${label.padEnd(22)} execution server ${s?.toFixed(1) ?? '-'} MiB   worker ${w?.toFixed(1) ?? '-'} MiB`;
}

/** Asks a process for a heap snapshot and waits until the file is complete. */
async function snapshot(pid: number): Promise<string> {
  const before = new Set(readdirSync(snapshotDir));
  process.kill(pid, 'SIGUSR2');
  let file: string | undefined;
  let size = -1;
  for (;;) {
    await sleep(1000);
    file ??= readdirSync(snapshotDir).find((f) => !before.has(f) && f.includes(`.${pid}.`) && f.endsWith('.heapsnapshot'));
    if (!file) continue;
    // Node writes the file as it walks the heap; it is complete once its size stops changing.
    const now = statSync(join(snapshotDir, file)).size;
    if (now === size && now > 0) return join(snapshotDir, file);
    size = now;
  }
}

let placed = 0;
let failed = 0;
async function placeOne(i: number): Promise<void> {
  const args = { client_order_id: `mem-${crypto.randomUUID()}`, account, symbol: 'BTC/USDT', side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', qty: '0.0001' };
  const result = (await (mcp as McpClient).callTool({ name: 'place_mock_order', arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  if (result.isError) {
    failed += 1;
    if (failed <= 5) console.log(`  order ${i} refused: ${JSON.stringify(result.content).slice(0, 300)}`);
  } else placed += 1;
}

async function placeRange(from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) await placeOne(next++);
    }),
  );
}

try {
  await worker.ready;
  await seedQuote(temporal, taskQueue, exchange, 'BTC/USDT', 60_000, 60_010);
  const entry = mcpJsonLaunch('execution');
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, ...snapshotOptions }, stderr: 'inherit' });
  mcp = new McpClient({ name: 'memory-order-growth', version: '0.0.0' });
  await mcp.connect(transport);
  serverPid = transport.pid as number;
  console.log(`durable-crypto-agents memory per order (node ${process.version}): ${ORDERS} orders, ${CONCURRENCY} at a time, account ${account}`);
  console.log(rssLine('idle, before orders'));
  await placeRange(0, WARM_UP);
  console.log(rssLine(`after ${WARM_UP} (warm-up)`));
  const baseline = values.snapshots ? { server: await snapshot(serverPid), worker: await snapshot(worker.pid) } : undefined;
  if (baseline) console.log(rssLine('after baseline snapshots'));
  for (let done = WARM_UP; done < ORDERS; ) {
    const to = Math.min(ORDERS, Math.ceil((done + 1) / EVERY) * EVERY);
    await placeRange(done, to);
    done = to;
    console.log(rssLine(`after ${done} orders`));
  }
  console.log(`placed ${placed}, refused ${failed}; idle ${IDLE_MS / 1000} s`);
  await sleep(IDLE_MS);
  console.log(rssLine(`after ${IDLE_MS / 1000} s idle`));
  if (baseline) {
    const end = { server: await snapshot(serverPid), worker: await snapshot(worker.pid) };
    console.log(rssLine('after final snapshots (GC)'));
    for (const who of ['server', 'worker'] as const) {
      const [a, b] = [heapCensus(baseline[who]), heapCensus(end[who])];
      console.log(`\n${who} heap: ${(a.totalBytes / 1048576).toFixed(1)} -> ${(b.totalBytes / 1048576).toFixed(1)} MiB live over ${ORDERS - WARM_UP} orders; grew most:`);
      for (const line of censusGrowth(a, b)) console.log(`  ${line}`);
    }
  }
} finally {
  await mcp?.close().catch(() => undefined);
  await worker.stop().catch(() => undefined);
  await connection.close().catch(() => undefined);
  await temporalServer.stop();
}
