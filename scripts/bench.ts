/**
 * `npm run bench [-- --only startup,agents,market] [--json]`: starts its own in-memory Temporal dev
 * server on a free port and prints the figures of every section. Figures only: benchmarks never
 * pass or fail on time. With --json the lines go to stderr and stdout gets one JSON document of
 * every line and its named figures, to compare one commit's run with another's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { startDevServer } from './temporal/dev-server.js';
import { freePort } from './temporal/free-port.js';
import { benchAgents } from './bench/agents.js';
import { processCpuMs } from './bench/process-cpu.js';
import { benchMarket } from './bench/market.js';
import { benchOrders } from './bench/orders.js';
import { benchReads } from './bench/reads.js';
import { benchRisk } from './bench/risk.js';
import { benchStartup } from './bench/startup.js';
import { benchTransactions } from './bench/transactions.js';
import { formatMs, percentile, type BenchSection } from './bench/bench-context.js';
import { bareRoundTrips, startBenchWorker } from './bench/bench-stack.js';

const BARE_ROUND_TRIPS = 200;

const sections: Record<string, BenchSection> = {
  startup: benchStartup,
  agents: benchAgents,
  market: benchMarket,
  orders: benchOrders,
  reads: benchReads,
  risk: benchRisk,
  transactions: benchTransactions,
};

const { values } = parseArgs({ options: { only: { type: 'string' }, json: { type: 'boolean', default: false } } });
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(sections);
const unknown = chosen.filter((s) => !sections[s]);
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}

interface ReportedLine {
  line: string;
  figures: Record<string, number>;
}
const reported: Record<string, ReportedLine[]> = {};
let currentSection = 'temporal';
// With --json, stdout carries the JSON document alone.
const print = values.json ? (text: string) => console.error(text) : (text: string) => console.log(text);
const report = (line: string, figures: Record<string, number> = {}) => {
  (reported[currentSection] ??= []).push({ line, figures });
  print(`  ${line}`);
};
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
})();

Runtime.install({ logger: new DefaultLogger('ERROR') });
const server = await startDevServer({ port: await freePort(), headless: true });
const bundlePath = await buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'dca-bench-')), 'workflow-bundle.js'));
print(`durable-crypto-agents benchmarks (node ${process.version}, Temporal dev server ${server.address})`);
try {
  // Measured once, first, so every section's latencies read against the same baseline.
  print('\n[temporal]');
  const temporalCpuMs = () => processCpuMs(server.pid);
  const base = { temporalAddress: server.address, bundlePath, report, bare: { p50Ms: Number.NaN, p99Ms: Number.NaN }, temporalCpuMs };
  const pinger = await startBenchWorker(base, 'bench-temporal');
  const bare = await bareRoundTrips(pinger, BARE_ROUND_TRIPS).finally(() => pinger.stop());
  const ctx = { ...base, bare: { p50Ms: percentile(bare, 50), p99Ms: percentile(bare, 99) } };
  report(`bare Temporal round trip (start + result of an empty workflow): median ${formatMs(ctx.bare.p50Ms)}, p99 ${formatMs(ctx.bare.p99Ms)} over ${BARE_ROUND_TRIPS}`, {
    bare_round_trip_p50_ms: ctx.bare.p50Ms,
    bare_round_trip_p99_ms: ctx.bare.p99Ms,
  });
  for (const name of chosen) {
    currentSection = name;
    print(`\n[${name}]`);
    await (sections[name] as BenchSection)(ctx);
  }
} finally {
  await server.stop();
}
if (values.json) {
  console.log(JSON.stringify({ commit, node: process.version, platform: `${process.platform}-${process.arch}`, cpus: availableParallelism(), at: new Date().toISOString(), sections: reported }, null, 2));
}
