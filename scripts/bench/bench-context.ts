/** What every benchmark section receives from `npm run bench`. */
export interface BenchContext {
  /** A dev server started for the bench run. */
  temporalAddress: string;
  /** The prebuilt workflow bundle. */
  bundlePath: string;
  /**
   * Prints one result line (figures with units) and keeps its figures, by name, for `--json`: one
   * run's output can then be compared with another commit's field by field.
   */
  report(line: string, figures?: Record<string, number>): void;
  /** The bare Temporal round trip (start + result of an empty workflow), measured once per run, for comparison. */
  bare: { p50Ms: number; p99Ms: number };
  /** CPU time the bench's Temporal server has spent so far, in ms; null when it cannot be read (not Linux, a reused server). */
  temporalCpuMs(): number | null;
}

export type BenchSection = (ctx: BenchContext) => Promise<void>;

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] as number;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}
