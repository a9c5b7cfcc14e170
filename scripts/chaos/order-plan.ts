/**
 * The orders a chaos run places: market and limit, buys and (later) sells, over a few accounts and
 * one hot account whose orders all go at once as a burst. Every size differs, so the risk gate does
 * not take two orders for a duplicate intent; limit prices come from the sim venue's own quote, so a
 * marketable limit fills at once and a resting one expires soon after: every order ends.
 */
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';

export const CHAOS_SYMBOLS = ['BTC/USDT', 'ETH/USDT'] as const;

/** Base sizes, well above the sim venue's minimum value of 5 USDT, in whole steps. */
const BASE_QTY: Record<(typeof CHAOS_SYMBOLS)[number], { qty: number; step: number; decimals: number }> = {
  'BTC/USDT': { qty: 0.001, step: 0.00001, decimals: 5 },
  'ETH/USDT': { qty: 0.02, step: 0.0001, decimals: 4 },
};

/** How long a resting limit order lives: short, so the run ends with every order terminal. */
export const RESTING_EXPIRY_SEC = 8;

export interface PlannedOrder {
  args: {
    client_order_id: string;
    account: string;
    symbol: string;
    side: 'buy' | 'sell';
    type: 'market' | 'limit';
    qty: string;
    limit_price?: string;
    expires_after_sec?: number;
  };
  hot: boolean;
  /** Milliseconds after the run's start when the first submissions go. */
  atMs: number;
}

export interface PlanOptions {
  orders: number;
  accounts: string[];
  hotAccount: string;
  /** Share of the orders that go to the hot account in one burst. */
  hotShare: number;
  /** The window over which the other orders are spread. */
  windowMs: number;
  /** When in the window the burst goes. */
  burstAtMs: number;
  idPrefix: string;
  random: () => number;
}

export function planOrders(opts: PlanOptions): PlannedOrder[] {
  const sim = new SimVenue(42);
  const hotCount = Math.round(opts.orders * opts.hotShare);
  return Array.from({ length: opts.orders }, (_, i) => {
    const hot = i < hotCount;
    const symbol = CHAOS_SYMBOLS[i % CHAOS_SYMBOLS.length]!;
    const size = BASE_QTY[symbol];
    // Sells only in the second half of the window, after buys have built holdings to sell from.
    const atMs = hot ? opts.burstAtMs : Math.floor(opts.random() * opts.windowMs);
    const side = !hot && atMs > opts.windowMs / 2 && i % 3 === 0 ? 'sell' : 'buy';
    // Buys 5 % apart per index (the gate's duplicate check looks for sizes within a few percent);
    // sells small, so holdings bought earlier in the window can cover them.
    const qty = (side === 'sell' ? size.qty / 10 + i * size.step : size.qty * (1 + 0.05 * i)).toFixed(size.decimals);
    const account = hot ? opts.hotAccount : opts.accounts[i % opts.accounts.length]!;
    const kind = i % 5;
    const base = { client_order_id: `${opts.idPrefix}-${i}`, account, symbol, side, qty } as const;
    if (kind < 3) return { args: { ...base, type: 'market' }, hot, atMs };
    const quote = sim.tickAt(symbol, Date.now());
    // kind 3: marketable (2 % through the touch) and fills at once; kind 4: 5 % away, rests and expires.
    const through = kind === 3 ? 0.02 : -0.05;
    const price = side === 'buy' ? quote.ask * (1 + through) : quote.bid * (1 - through);
    return { args: { ...base, type: 'limit', limit_price: price.toFixed(2), expires_after_sec: RESTING_EXPIRY_SEC }, hot, atMs };
  });
}

/** A small seeded generator, so a run can be repeated with --seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
