/**
 * `npm run bench [-- --only agents,market]`: starts its own in-memory Temporal dev server on a free
 * port and prints the figures of every section. Figures only: benchmarks never pass or fail on time.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { buildWorkflowBundle } from '../worker/bundle.js';
import { startDevServer } from './temporal/dev-server.js';
import { freePort } from './temporal/free-port.js';
import { benchAgents } from './bench/agents.js';
import { benchMarket } from './bench/market.js';
import { benchOrders } from './bench/orders.js';
import { benchRisk } from './bench/risk.js';
import { benchTransactions } from './bench/transactions.js';
import { formatMs, percentile, type BenchSection } from './bench/bench-context.js';
import { bareRoundTrips, startBenchWorker } from './bench/bench-stack.js';

const BARE_ROUND_TRIPS = 200;

const sections: Record<string, BenchSection> = {
  agents: benchAgents,
  market: benchMarket,
  orders: benchOrders,
  risk: benchRisk,
  transactions: benchTransactions,
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(sections);
const unknown = chosen.filter((s) => !sections[s]);
if (unknown.length) {
  console.error(`unknown section(s) ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}`);
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
const server = await startDevServer({ port: await freePort(), headless: true });
const bundlePath = await buildWorkflowBundle(join(mkdtempSync(join(tmpdir(), 'dca-bench-')), 'workflow-bundle.js'));
console.log(`durable-crypto-agents benchmarks (node ${process.version}, Temporal dev server ${server.address})`);
const report = (line: string) => console.log(`  ${line}`);
try {
  // Measured once, first, so every section's latencies read against the same baseline.
  console.log('\n[temporal]');
  const base = { temporalAddress: server.address, bundlePath, report, bare: { p50Ms: Number.NaN, p99Ms: Number.NaN } };
  const pinger = await startBenchWorker(base, 'bench-temporal');
  const bare = await bareRoundTrips(pinger, BARE_ROUND_TRIPS).finally(() => pinger.stop());
  const ctx = { ...base, bare: { p50Ms: percentile(bare, 50), p99Ms: percentile(bare, 99) } };
  report(`bare Temporal round trip (start + result of an empty workflow): median ${formatMs(ctx.bare.p50Ms)}, p99 ${formatMs(ctx.bare.p99Ms)} over ${BARE_ROUND_TRIPS}`);
  for (const name of chosen) {
    console.log(`\n[${name}]`);
    await (sections[name] as BenchSection)(ctx);
  }
} finally {
  await server.stop();
}
