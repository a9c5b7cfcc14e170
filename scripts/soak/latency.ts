/** Tool latencies by tool name: recorded as calls finish, read as p50/p99 over a window or the whole run. */

export interface LatencyStats {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] as number;
}

export function stats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? Number.NaN };
}

export class LatencyBook {
  private readonly all = new Map<string, number[]>();
  private window = new Map<string, number[]>();

  record(tool: string, ms: number): void {
    for (const book of [this.all, this.window]) (book.get(tool) ?? book.set(tool, []).get(tool)!).push(ms);
  }

  /** Stats per tool since the last call (for a per-minute line), then starts a new window. */
  takeWindow(): Record<string, LatencyStats> {
    const taken = this.window;
    this.window = new Map();
    return Object.fromEntries([...taken].sort(([a], [b]) => a.localeCompare(b)).map(([tool, ms]) => [tool, stats(ms)]));
  }

  total(): Record<string, LatencyStats> {
    return Object.fromEntries([...this.all].sort(([a], [b]) => a.localeCompare(b)).map(([tool, ms]) => [tool, stats(ms)]));
  }
}
