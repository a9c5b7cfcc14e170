/** The soak's printed figures: one line per topic, compact enough to read a minute at a glance. */
import type { Census } from './census.js';
import { totalHandOvers } from './census.js';
import type { LatencyStats } from './latency.js';
import type { RssSample } from './rss.js';

const ms = (v: number): string => (Number.isNaN(v) ? '-' : v < 10 ? v.toFixed(1) : v.toFixed(0));

export function latencyLines(byTool: Record<string, LatencyStats>): string[] {
  return Object.entries(byTool).map(([tool, s]) => `  ${tool.padEnd(24)} n=${String(s.count).padStart(4)}  p50 ${ms(s.p50Ms).padStart(6)} ms  p99 ${ms(s.p99Ms).padStart(6)} ms`);
}

export function rssLine(rss: RssSample): string {
  const fmt = (v: number | undefined) => (v === undefined ? 'gone' : `${v.toFixed(0)}`);
  return `  RSS MiB: worker ${fmt(rss.worker)}; ${Object.entries(rss.servers).map(([name, v]) => `${name} ${fmt(v)}`).join(', ')}`;
}

export function censusLines(census: Census): string[] {
  return [
    `  hand-overs so far: ${totalHandOvers(census)}`,
    ...Object.entries(census).map(([type, c]) => `  ${type.padEnd(26)} chains ${String(c.chains).padStart(3)}  hand-overs ${String(c.handOvers).padStart(5)} (max/chain ${c.maxChainHandOvers})  largest history ${c.maxHistoryLength}  carried ${(c.maxCarriedBytes / 1024).toFixed(0)} KiB`),
  ];
}
