/**
 * Market data the risk gate needs before it lets an order add exposure: a recent run of ticks per
 * symbol in the tick stores of an exchange id of the test's own (RISK_MARKET_EXCHANGE), so each
 * test file's quotes are its own. The limits are widened for tests about order mechanics (sizes of
 * several BTC, limit prices far from the market) and kept real in every other respect: the gate
 * still runs every check, on real tick stores.
 */
import type { Client } from '@temporalio/client';
import type { TickStoreSettings } from '../../schemas/temporal/market.js';
import { deliverBatch } from '../../temporal/clients/tick-store.js';
import { wideRiskEnv } from '../../scripts/stack/wide-risk-env.js';

const STORE_SETTINGS: TickStoreSettings = { retentionCount: 500, retentionMs: 86_400_000, maxGaps: 10, continueEvery: 1_000, historyLimit: 9_000 };

/** Ticks seeded per symbol, one second apart: more returns than the widened VaR minimum asks for. */
const SEEDED_TICKS = 16;

export function riskExchangeId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Worker environment: the gate reads quotes from `exchange`, with limits wide enough for mechanics tests. */
export function orderMechanicsRiskEnv(exchange: string, symbols: string[]): Record<string, string> {
  return wideRiskEnv(exchange, symbols);
}

/** Seeds each symbol's tick store with a second-by-second run of quotes ending now, around bid/ask. */
export async function seedQuotes(client: Client, taskQueue: string, exchange: string, quotes: Record<string, { bid: number; ask: number }>): Promise<void> {
  const now = Date.now();
  await Promise.all(
    Object.entries(quotes).map(([symbol, { bid, ask }]) =>
      deliverBatch(client, taskQueue, { exchange, symbol, simulated: true }, STORE_SETTINGS, {
        stream_id: 'risk-ready-market',
        received_at: now,
        // A small alternating move, so returns vary as a real market's do.
        ticks: Array.from({ length: SEEDED_TICKS }, (_, i) => {
          const wobble = i % 2 === 0 ? 1 : 1.0001;
          return { ts: now - (SEEDED_TICKS - 1 - i) * 1000, bid: bid * wobble, ask: ask * wobble, last: ask * wobble };
        }),
      }),
    ),
  );
}
