/** Pure indicators over a price series (oldest first). */

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function stdev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1));
}

/** Exponential moving average of the whole series, seeded with the first value. */
export function ema(values: readonly number[], period: number): number {
  const alpha = 2 / (period + 1);
  let current = values[0] as number;
  for (let i = 1; i < values.length; i += 1) current = alpha * (values[i] as number) + (1 - alpha) * current;
  return current;
}

/** z-score of the last value against the mean and deviation of the trailing window. */
export function zScore(values: readonly number[], window: number): number {
  const tail = values.slice(-window);
  const sd = stdev(tail);
  if (sd === 0) return 0;
  return ((tail[tail.length - 1] as number) - mean(tail)) / sd;
}
