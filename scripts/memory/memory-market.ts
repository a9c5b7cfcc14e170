/**
 * Quotes and limits for the memory measurement's orders: the risk gate reads tick stores of the
 * run's own exchange id, seeded with an hour's worth of freshness, and its limits are wide enough
 * that thousands of small orders all pass every check (which still runs, on real tick stores).
 */
import type { Client } from '@temporalio/client';
import type { TickStoreSettings } from '../../schemas/temporal/market.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { wideRiskEnv } from '../stack/wide-risk-env.js';

const STORE_SETTINGS: TickStoreSettings = { retentionCount: 500, retentionMs: 86_400_000, maxGaps: 10, continueEvery: 1_000, historyLimit: 9_000 };
/** One second apart: more returns than the VaR minimum below asks for. */
const SEEDED_TICKS = 16;

export function memoryRiskEnv(exchange: string, symbol: string): Record<string, string> {
  return { ...wideRiskEnv(exchange, [symbol]), RISK_MAX_ORDERS_PER_WINDOW: '100000' };
}

export async function seedQuote(client: Client, taskQueue: string, exchange: string, symbol: string, bid: number, ask: number): Promise<void> {
  const now = Date.now();
  await deliverBatch(client, taskQueue, { exchange, symbol, simulated: true }, STORE_SETTINGS, {
    stream_id: 'memory-order-growth',
    received_at: now,
    // A small alternating move, so returns vary as a real market's do.
    ticks: Array.from({ length: SEEDED_TICKS }, (_, i) => {
      const wobble = i % 2 === 0 ? 1 : 1.0001;
      return { ts: now - (SEEDED_TICKS - 1 - i) * 1000, bid: bid * wobble, ask: ask * wobble, last: ask * wobble };
    }),
  });
}
