/**
 * Marks for valuing positions: the newest tick of each symbol's tick store (market group), taken
 * as the mid of bid and ask; read by the ledger's report activities and by the portfolio read that
 * queries the running ledger. A symbol without a live store has no mark; callers then fall back
 * to the last fill price and say so. Each query is bounded in time, so a store whose worker is gone
 * cannot hold a portfolio report up.
 */
import type { Client } from '@temporalio/client';
import { tickStoreWorkflowId, type LatestTick } from '../../schemas/temporal/market.js';
import { readLatest } from './tick-store.js';
import { fromVenueNumber, text } from '../../domain/money.js';
import type { Mark, Marks } from '../../schemas/temporal/ledger.js';

/** How long one tick-store query may take before the symbol is reported without a mark. */
const MARK_QUERY_TIMEOUT_MS = 3_000;

export type { Mark, Marks } from '../../schemas/temporal/ledger.js';

export function markFromTick(latest: LatestTick, workflowId: string): Mark {
  const mid = fromVenueNumber(latest.tick.bid).plus(fromVenueNumber(latest.tick.ask)).dividedBy(2);
  return { price: text(mid), ts: latest.tick.ts, tick_store_workflow_id: workflowId };
}

export async function readMarksFromTickStores(client: Client, exchange: string, symbols: string[]): Promise<Marks> {
  const entries = await Promise.all(
    symbols.map(async (symbol): Promise<[string, Mark | null]> => {
      const workflowId = tickStoreWorkflowId(exchange, symbol);
      try {
        const latest = await readLatest(client, exchange, symbol, { timeoutMs: MARK_QUERY_TIMEOUT_MS });
        return [symbol, latest && latest.tick.bid > 0 && latest.tick.ask > 0 ? markFromTick(latest, workflowId) : null];
      } catch {
        // No store, a closed one, or one nobody serves right now: no mark for this symbol.
        return [symbol, null];
      }
    }),
  );
  return Object.fromEntries(entries);
}
