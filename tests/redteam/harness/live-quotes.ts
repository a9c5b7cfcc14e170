/**
 * Keeps the risk gate's tick stores live for as long as a red-team file runs: every second the
 * simulated venue's quote of each new second goes into the stores of the file's own exchange id
 * (RISK_MARKET_EXCHANGE), the way a market stream delivers them. The gate then sees the same
 * prices the sim order books fill at, so collars, notional and VaR are judged on the market the
 * orders really meet, and no quote goes stale however long a sequence runs.
 */
import type { MarketTick } from '../../../schemas/temporal/market.js';
import type { RiskDriver } from '../../helpers/risk-driver.js';

const FEED_EVERY_MS = 1_000;

export class LiveQuotes {
  /** Failures of the background feed, for a test's failure message (the gate then sees stale data). */
  readonly errors: string[] = [];
  private readonly lastFedSec = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private feeding: Promise<void> | null = null;

  constructor(
    private readonly driver: RiskDriver,
    readonly symbols: string[],
  ) {}

  /** Seeds `historySec` seconds of quotes ending now (enough returns for VaR), then feeds on. */
  async start(historySec: number): Promise<void> {
    const nowSec = Math.floor(Date.now() / 1000);
    await Promise.all(
      this.symbols.map(async (symbol) => {
        await this.driver.feed(symbol, this.ticks(symbol, nowSec - historySec + 1, nowSec));
        this.lastFedSec.set(symbol, nowSec);
      }),
    );
    this.timer = setInterval(() => {
      this.feeding ??= this.feedNewSeconds().finally(() => (this.feeding = null));
    }, FEED_EVERY_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.feeding;
  }

  /** The mid of the simulated venue's quote now. */
  mid(symbol: string, ms = Date.now()): number {
    const tick = this.driver.sim.tickAt(symbol, ms);
    return (tick.bid + tick.ask) / 2;
  }

  private async feedNewSeconds(): Promise<void> {
    const nowSec = Math.floor(Date.now() / 1000);
    await Promise.all(
      this.symbols.map(async (symbol) => {
        const from = (this.lastFedSec.get(symbol) ?? nowSec - 1) + 1;
        if (from > nowSec) return;
        try {
          await this.driver.feed(symbol, this.ticks(symbol, from, nowSec));
          this.lastFedSec.set(symbol, nowSec);
        } catch (err) {
          this.errors.push(`${symbol} @${nowSec}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }

  private ticks(symbol: string, fromSec: number, toSec: number): MarketTick[] {
    const ticks: MarketTick[] = [];
    for (let sec = fromSec; sec <= toSec; sec += 1) {
      const { ts, bid, ask, last } = this.driver.sim.tickAt(symbol, sec * 1000);
      ticks.push({ ts, bid, ask, last });
    }
    return ticks;
  }
}
