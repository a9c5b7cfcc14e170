/**
 * The simulated venue's price process, a pure function of (seed, symbol, second):
 *
 * - an hourly chain of log prices with GARCH(1,1) variance and Student-t shocks, mean-reverting
 *   slowly to the market's base price; its state is checkpointed daily and each day's 24 steps are
 *   drawn from that day's own seed, so any hour is reproducible from the nearest checkpoint;
 * - within each hour, a per-second GARCH(1,1) path with Student-t shocks (volatility clustering,
 *   fat tails) drawn from the hour's seed and bridged onto the next hourly anchor, so prices are
 *   continuous across hour boundaries.
 *
 * Every worker process therefore shows the same price at the same second, and restarts reproduce
 * it. Hours before SIM_EPOCH_MS are outside the process.
 */
import type { SimMarket } from './sim-catalog.js';
import { studentT4, uniformStream } from './sim-random.js';

export const SIM_EPOCH_MS = Date.UTC(2020, 0, 1);
const SECONDS_PER_HOUR = 3_600;
const HOURS_PER_DAY = 24;
const HOURS_PER_YEAR = 365 * 24;
/** Half-life of a deviation from the base price: about 90 days. */
const MEAN_REVERSION_PER_HOUR = Math.LN2 / (90 * 24);
/** GARCH(1,1) weights: persistence 0.98 hourly, 0.99 per second (clustering at both scales). */
const HOURLY_GARCH = { alpha: 0.08, beta: 0.9 };
const SECOND_GARCH = { alpha: 0.05, beta: 0.94 };

export interface HourState {
  logPrice: number;
  /** Variance of the next hourly log return. */
  variance: number;
}

/** One hour of per-second prices and what the book and volume models need from them. */
export interface HourBlock {
  hour: number;
  /** Log price at each second of the hour; index 3600 is the next hour's first second. */
  logPrice: Float64Array;
  /** Conditional volatility of each second's return relative to the hour's calm level (1 = calm). */
  volRatio: Float32Array;
  /** Cumulative base volume traded up to (not including) each second. */
  cumVolume: Float64Array;
}

export interface HourSummary {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export class SimOutOfRangeError extends Error {}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

export class SimPriceProcess {
  private readonly logBase: number;
  private readonly calmHourlyVariance: number;
  /** Daily checkpoints: state at the first hour of day d (days since SIM_EPOCH_MS). */
  private readonly checkpoints: HourState[] = [];

  constructor(
    private readonly seed: number,
    readonly market: SimMarket,
  ) {
    this.logBase = Math.log(market.basePrice);
    this.calmHourlyVariance = market.annualVol ** 2 / HOURS_PER_YEAR;
    this.checkpoints.push({ logPrice: this.logBase, variance: this.calmHourlyVariance });
  }

  static hourOf(ms: number): number {
    const hour = Math.floor((ms - SIM_EPOCH_MS) / (SECONDS_PER_HOUR * 1000));
    if (hour < 0) throw new SimOutOfRangeError(`simulated prices start at ${new Date(SIM_EPOCH_MS).toISOString()}`);
    return hour;
  }

  /** One hourly step: shock, slow pull back to the base price, GARCH variance update. */
  private stepHour(state: HourState, u: number): HourState {
    const shock = Math.sqrt(state.variance) * studentT4(u);
    const calm = this.calmHourlyVariance;
    const variance = clamp(
      calm * (1 - HOURLY_GARCH.alpha - HOURLY_GARCH.beta) + HOURLY_GARCH.alpha * shock ** 2 + HOURLY_GARCH.beta * state.variance,
      calm / 10,
      calm * 25,
    );
    return { logPrice: state.logPrice + shock - MEAN_REVERSION_PER_HOUR * (state.logPrice - this.logBase), variance };
  }

  private dayStream(day: number): () => number {
    return uniformStream(`${this.seed}:${this.market.symbol}:hours:${day}`);
  }

  /** State at the start of an hour (hours since SIM_EPOCH_MS). */
  hourState(hour: number): HourState {
    const day = Math.floor(hour / HOURS_PER_DAY);
    while (this.checkpoints.length <= day) {
      const d = this.checkpoints.length - 1;
      const next = this.dayStream(d);
      let state = this.checkpoints[d] as HourState;
      for (let h = 0; h < HOURS_PER_DAY; h += 1) state = this.stepHour(state, next());
      this.checkpoints.push(state);
    }
    const next = this.dayStream(day);
    let state = this.checkpoints[day] as HourState;
    for (let h = 0; h < hour - day * HOURS_PER_DAY; h += 1) state = this.stepHour(state, next());
    return state;
  }

  /** The per-second path of one hour, bridged from this hour's anchor to the next one's. */
  hourBlock(hour: number): HourBlock {
    const start = this.hourState(hour);
    const end = this.hourState(hour + 1);
    const calm = start.variance / SECONDS_PER_HOUR;
    const calmSd = Math.sqrt(calm);
    const omega = calm * (1 - SECOND_GARCH.alpha - SECOND_GARCH.beta);
    const next = uniformStream(`${this.seed}:${this.market.symbol}:seconds:${hour}`);
    const walk = new Float64Array(SECONDS_PER_HOUR + 1);
    const volRatio = new Float32Array(SECONDS_PER_HOUR);
    const cumVolume = new Float64Array(SECONDS_PER_HOUR + 1);
    const volumePerSecond = this.market.dailyVolume / 86_400;
    let variance = calm;
    for (let s = 0; s < SECONDS_PER_HOUR; s += 1) {
      const sd = Math.sqrt(variance);
      const shock = sd * studentT4(next());
      walk[s + 1] = (walk[s] as number) + shock;
      volRatio[s] = sd / calmSd;
      // Volume follows activity: busier in large moves, never zero.
      cumVolume[s + 1] = (cumVolume[s] as number) + volumePerSecond * (0.3 + Math.abs(shock) / calmSd);
      variance = clamp(omega + SECOND_GARCH.alpha * shock ** 2 + SECOND_GARCH.beta * variance, calm / 20, calm * 50);
    }
    const drift = (walk[SECONDS_PER_HOUR] as number) - (end.logPrice - start.logPrice);
    const logPrice = new Float64Array(SECONDS_PER_HOUR + 1);
    for (let s = 0; s <= SECONDS_PER_HOUR; s += 1) {
      logPrice[s] = start.logPrice + (walk[s] as number) - (s / SECONDS_PER_HOUR) * drift;
    }
    return { hour, logPrice, volRatio, cumVolume };
  }
}

/** Open, high, low, close and volume over seconds [from, to) of a block (0 <= from < to <= 3600). */
export function summarize(block: HourBlock, from: number, to: number): HourSummary {
  let high = -Infinity;
  let low = Infinity;
  for (let s = from; s < to; s += 1) {
    const lp = block.logPrice[s] as number;
    if (lp > high) high = lp;
    if (lp < low) low = lp;
  }
  return {
    open: Math.exp(block.logPrice[from] as number),
    high: Math.exp(high),
    low: Math.exp(low),
    close: Math.exp(block.logPrice[to - 1] as number),
    volume: (block.cumVolume[to] as number) - (block.cumVolume[from] as number),
  };
}

export const SIM_SECONDS_PER_HOUR = SECONDS_PER_HOUR;
