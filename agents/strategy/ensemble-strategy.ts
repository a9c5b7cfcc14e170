/**
 * The ensemble agent's deterministic strategy: a momentum vote (fast vs slow EMA) and a
 * mean-reversion vote (z-score of price against its trailing mean), combined into a target
 * exposure per symbol. Same inputs, same decisions: the scripted agent is reproducible and its
 * decisions can be audited line by line.
 */
import { ema, zScore } from './indicators.js';

export interface StrategyParams {
  /** EMA periods in ticks. */
  fastPeriod: number;
  slowPeriod: number;
  /** Relative EMA gap that counts as a trend (e.g. 0.0005 = 5 bps). */
  momentumThreshold: number;
  /** Trailing window (ticks) and z-score that count as stretched. */
  reversionWindow: number;
  reversionZ: number;
  /** Weights of the two votes. */
  momentumWeight: number;
  reversionWeight: number;
  /** Fraction of equity a full-conviction position takes, per symbol. */
  maxPositionFraction: number;
  /** Trades smaller than this (quote currency) are not worth the fees. */
  minTradeNotional: number;
  /** Fewer ticks than this: no opinion. */
  minTicks: number;
}

export const DEFAULT_STRATEGY_PARAMS: StrategyParams = {
  fastPeriod: 5,
  slowPeriod: 20,
  momentumThreshold: 0.0001,
  reversionWindow: 30,
  reversionZ: 1.5,
  momentumWeight: 0.6,
  reversionWeight: 0.4,
  maxPositionFraction: 0.1,
  minTradeNotional: 50,
  minTicks: 20,
};

export interface SymbolView {
  symbol: string;
  /** Last prices, oldest first. */
  prices: number[];
  /** Current holding in base units. */
  positionQty: number;
}

export interface Decision {
  symbol: string;
  action: 'buy' | 'sell' | 'hold';
  /** Quote-currency notional to trade (0 for hold). */
  quoteNotional: number;
  /** Base quantity for sells (never more than held: spot has no shorts). */
  qty: number;
  /** One line: what the votes said and why this action. */
  reason: string;
}

function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

export function decide(view: SymbolView, equity: number, params: StrategyParams = DEFAULT_STRATEGY_PARAMS): Decision {
  const { symbol, prices } = view;
  if (prices.length < params.minTicks) {
    return { symbol, action: 'hold', quoteNotional: 0, qty: 0, reason: `${symbol}: hold, only ${prices.length} ticks (need ${params.minTicks})` };
  }
  const last = prices[prices.length - 1] as number;
  const gap = (ema(prices, params.fastPeriod) - ema(prices, params.slowPeriod)) / last;
  const momentumVote = gap > params.momentumThreshold ? 1 : gap < -params.momentumThreshold ? -1 : 0;
  const z = zScore(prices, params.reversionWindow);
  const reversionVote = z < -params.reversionZ ? 1 : z > params.reversionZ ? -1 : 0;
  const score = params.momentumWeight * momentumVote + params.reversionWeight * reversionVote;
  // Long-only spot: a negative score means "be flat", never short.
  const targetNotional = Math.max(0, score) * params.maxPositionFraction * equity;
  const currentNotional = view.positionQty * last;
  const delta = targetNotional - currentNotional;
  const votes = `momentum ${momentumVote >= 0 ? '+' : ''}${momentumVote} (EMA gap ${fmt(gap * 1e4, 1)} bps), reversion ${reversionVote >= 0 ? '+' : ''}${reversionVote} (z ${fmt(z)})`;
  if (Math.abs(delta) < params.minTradeNotional) {
    return { symbol, action: 'hold', quoteNotional: 0, qty: 0, reason: `${symbol}: hold at ${fmt(currentNotional)} notional; ${votes}` };
  }
  if (delta > 0) {
    return { symbol, action: 'buy', quoteNotional: delta, qty: delta / last, reason: `${symbol}: buy ${fmt(delta)} toward target ${fmt(targetNotional)}; ${votes}` };
  }
  const qty = Math.min(view.positionQty, -delta / last);
  return { symbol, action: 'sell', quoteNotional: qty * last, qty, reason: `${symbol}: sell ${fmt(qty, 6)} toward target ${fmt(targetNotional)}; ${votes}` };
}
