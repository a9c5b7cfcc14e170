/**
 * Websocket tickers for a ccxt exchange that streams them (ccxt's watchTickers), kept alive in the
 * background of the worker process and read by each stream cycle instead of a REST request.
 * Only live, complete quotes are handed out: before the socket is up, while it is down, for a
 * symbol not updated within maxAgeMs, or for a ticker without both sides of the book, the cycle
 * falls back to REST for that symbol. A websocket outage therefore degrades to polling, never
 * to a gap. Unused for a while (a stopped stream, a worker shutting down) the subscription
 * closes itself; closeVenues() in registry.ts closes it at once.
 */
import type { Exchange, Ticker } from 'ccxt';

export interface TickerWatchOptions {
  /** Extra parameters for watchTickers (e.g. {"name": "ticker"} for Binance's full ticker with bid/ask). */
  params: Record<string, unknown>;
  /** A cached quote older than this (by the worker's clock) is not handed out. */
  maxAgeMs: number;
  /** Without a read for this long the subscription closes. */
  idleMs: number;
}

const MAX_BACKOFF_MS = 30_000;

function hasBothSides(t: Ticker): boolean {
  return [t.bid, t.ask].every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);
}

export class TickerWatch {
  private readonly wanted = new Set<string>();
  private readonly latest = new Map<string, { ticker: Ticker; receivedAt: number }>();
  private generation = 0;
  private running = false;
  private lastReadAt = 0;
  private idleCheck: NodeJS.Timeout | undefined;
  /** The last subscription failure, for diagnostics. */
  lastError: string | null = null;

  constructor(
    private readonly exchange: Exchange,
    private readonly options: TickerWatchOptions,
  ) {}

  /** Live quotes for the symbols it has; subscribes (or widens the subscription) for the rest. */
  take(symbols: readonly string[], now: number = Date.now()): Record<string, Ticker> {
    this.lastReadAt = now;
    const before = this.wanted.size;
    for (const s of symbols) this.wanted.add(s);
    if (!this.running || this.wanted.size !== before) this.subscribe();
    const fresh: Record<string, Ticker> = {};
    for (const symbol of symbols) {
      const cached = this.latest.get(symbol);
      if (cached && now - cached.receivedAt <= this.options.maxAgeMs && hasBothSides(cached.ticker)) fresh[symbol] = cached.ticker;
    }
    return fresh;
  }

  /** Stops the background subscription and closes the socket. */
  async close(): Promise<void> {
    this.generation += 1;
    this.running = false;
    this.latest.clear();
    clearInterval(this.idleCheck);
    this.idleCheck = undefined;
    // Pending watches reject on close, which ends the superseded loop.
    await this.exchange.close().catch(() => undefined);
  }

  private subscribe(): void {
    this.generation += 1;
    this.running = true;
    // Checked on a timer, not in the loop: a quiet socket may leave watchTickers pending for long.
    this.idleCheck ??= setInterval(() => {
      if (Date.now() - this.lastReadAt > this.options.idleMs) void this.close();
    }, Math.max(1_000, this.options.idleMs / 4)).unref();
    void this.loop(this.generation);
  }

  private async loop(generation: number): Promise<void> {
    let backoffMs = 500;
    // ccxt refuses plain ws:// endpoints (local relays, test venues) until its HTTP agent is loaded.
    await this.exchange.loadHttpProxyAgent();
    // A newer loop (wider symbol set) or close() supersedes this one.
    while (generation === this.generation) {
      try {
        const tickers = await this.exchange.watchTickers([...this.wanted], this.options.params);
        const receivedAt = Date.now();
        for (const [symbol, ticker] of Object.entries(tickers)) this.latest.set(symbol, { ticker, receivedAt });
        this.lastError = null;
        backoffMs = 500;
      } catch (err) {
        // While the socket is down nothing cached counts as live: the cycles poll REST instead.
        this.latest.clear();
        this.lastError = err instanceof Error ? err.message : String(err);
        // Unref'd: a reconnect wait must not keep a stopping worker process alive.
        await new Promise((resolve) => setTimeout(resolve, backoffMs).unref());
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
      }
    }
  }
}
