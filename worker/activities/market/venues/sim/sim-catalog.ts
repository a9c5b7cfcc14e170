/**
 * The simulated venue's listing: familiar pairs at plausible price levels and volatilities, plus
 * generated SIMnn/USDT pairs so that wide benchmarks have enough symbols. Every price the venue
 * shows is labelled simulated wherever it is displayed. Each pair has the size rules a large spot
 * venue gives it (quantity steps as on Binance, a minimum of one step, a minimum order value of
 * 5 USDT), so paper orders meet the same refusals they would meet there.
 */
import { hash128 } from './sim-random.js';

export interface SimMarket {
  symbol: string;
  /** Long-run price level the process reverts to, in quote units. */
  basePrice: number;
  /** Annualised volatility, e.g. 0.6 for 60 %. */
  annualVol: number;
  /** Price increment. */
  tickSize: number;
  /** Base-asset quantity increment: every order size and book level is a whole number of them. */
  amountStep: number;
  /** Smallest order size in the base asset. */
  minQty: number;
  /** Smallest order value in the quote currency. */
  minNotional: number;
  /** Half the quoted spread in calm markets, basis points. */
  halfSpreadBps: number;
  /** Quote notional resting at the best level; deeper levels hold more. */
  levelNotional: number;
  /** Base-asset volume traded per day on average. */
  dailyVolume: number;
}

const NAMED: Array<[string, number, number, number, number, number]> = [
  // symbol, base price, annual vol, half spread bps, daily quote volume (USDT), quantity step
  ['BTC/USDT', 65_000, 0.55, 0.1, 1.5e9, 0.00001],
  ['ETH/USDT', 3_200, 0.65, 0.2, 8e8, 0.0001],
  ['SOL/USDT', 150, 0.85, 0.5, 3e8, 0.001],
  ['BNB/USDT', 580, 0.6, 0.5, 1.5e8, 0.001],
  ['XRP/USDT', 0.55, 0.8, 0.9, 2e8, 0.1],
  ['ADA/USDT', 0.45, 0.85, 1.1, 8e7, 0.1],
  ['DOGE/USDT', 0.12, 0.95, 0.9, 1.5e8, 1],
  ['TRX/USDT', 0.12, 0.55, 1.0, 5e7, 0.1],
  ['AVAX/USDT', 28, 0.95, 1.5, 6e7, 0.01],
  ['DOT/USDT', 6, 0.85, 1.6, 4e7, 0.01],
  ['LINK/USDT', 14, 0.9, 1.4, 5e7, 0.01],
  ['LTC/USDT', 75, 0.75, 1.2, 4e7, 0.001],
  ['BCH/USDT', 380, 0.8, 1.3, 3e7, 0.001],
  ['XLM/USDT', 0.1, 0.8, 1.8, 2e7, 1],
  ['ATOM/USDT', 7, 0.85, 1.8, 2e7, 0.01],
  ['UNI/USDT', 8, 0.95, 1.8, 2e7, 0.01],
  ['NEAR/USDT', 5, 1.0, 1.9, 3e7, 0.1],
  ['APT/USDT', 8, 1.0, 2.0, 2.5e7, 0.01],
  ['ARB/USDT', 0.8, 1.05, 2.0, 3e7, 0.1],
  ['OP/USDT', 1.8, 1.05, 2.0, 2.5e7, 0.01],
  ['FIL/USDT', 4.5, 0.95, 2.2, 1.5e7, 0.01],
  ['ETC/USDT', 22, 0.85, 2.0, 1.5e7, 0.01],
  ['ICP/USDT', 9, 1.0, 2.4, 1e7, 0.01],
  ['SUI/USDT', 1.2, 1.1, 2.2, 4e7, 0.1],
];

/**
 * Generated pairs SIM01/USDT … SIM70/USDT. Each one's market depends only on its index, so a longer
 * listing leaves every earlier pair's prices as they were.
 */
export const GENERATED_SIM_PAIRS = 70;

/** 10^(floor(log10 x) + shift): increments that give prices about seven significant digits. */
function powerOfTenBelow(x: number, shift: number): number {
  return 10 ** (Math.floor(Math.log10(x)) + shift);
}

/** Smallest order value of every sim pair, in USDT, as on large spot venues. */
export const SIM_MIN_NOTIONAL_USDT = 5;

/**
 * A generated pair's quantity step: a power of ten worth between 0.1 and 1 USDT, as venues size
 * them (0.00001 BTC near 65,000, 1 DOGE near 0.12). Spelt through its decimals, so it is exactly
 * 0.001 and not 0.0009999999999999998, and every multiple prints as the venue would quote it.
 */
function stepFor(basePrice: number): number {
  const exponent = Math.floor(Math.log10(1 / basePrice));
  return Number((10 ** exponent).toFixed(Math.max(0, -exponent)));
}

function market(symbol: string, basePrice: number, annualVol: number, halfSpreadBps: number, dailyQuoteVolume: number, amountStep: number): SimMarket {
  return {
    symbol,
    basePrice,
    annualVol,
    tickSize: powerOfTenBelow(basePrice, -6),
    amountStep,
    minQty: amountStep,
    minNotional: SIM_MIN_NOTIONAL_USDT,
    halfSpreadBps,
    // Deep books for deep markets: roughly 1/30,000 of a day's turnover at the touch.
    levelNotional: dailyQuoteVolume / 30_000,
    dailyVolume: dailyQuoteVolume / basePrice,
  };
}

function generated(index: number): SimMarket {
  const [h1, h2] = hash128(`sim-pair:${index}`);
  // Price levels spread log-uniformly between 0.01 and 1,000; volatility between 60 % and 140 %.
  const basePrice = Number((10 ** (-2 + 5 * (h1 / 2 ** 32))).toPrecision(3));
  const annualVol = 0.6 + 0.8 * (h2 / 2 ** 32);
  return market(`SIM${String(index).padStart(2, '0')}/USDT`, basePrice, annualVol, 2.5, 1e7, stepFor(basePrice));
}

export const SIM_MARKETS: readonly SimMarket[] = [
  ...NAMED.map(([symbol, price, vol, spread, volume, step]) => market(symbol, price, vol, spread, volume, step)),
  ...Array.from({ length: GENERATED_SIM_PAIRS }, (_, i) => generated(i + 1)),
];

export const SIM_MARKETS_BY_SYMBOL: ReadonlyMap<string, SimMarket> = new Map(SIM_MARKETS.map((m) => [m.symbol, m]));
