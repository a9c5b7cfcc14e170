/**
 * The loss breaker: daily loss against the equity at the start of the UTC day, drawdown against
 * the high-water mark. The risk workflow observes equity at every check and at each UTC midnight;
 * a breach trips the trading state to HALTED, which only a person can loosen. Pure functions.
 */
import type { BreakerState, RiskLimits } from '../../schemas/temporal/risk.js';
import { money, text, type Money } from '../money.js';

export type BreakerCode = 'DAILY_LOSS_BREAKER' | 'DRAWDOWN_BREAKER';

export const emptyBreaker = (): BreakerState => ({
  day: null,
  day_open_equity: null,
  peak_equity: null,
  rebase_pending: false,
  tripped: null,
});

/** The UTC calendar day of a time, YYYY-MM-DD. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Milliseconds from a time to the next UTC midnight. */
export function msToNextUtcMidnight(ms: number): number {
  const next = new Date(ms);
  next.setUTCHours(24, 0, 0, 0);
  return next.getTime() - ms;
}

/**
 * The breaker's reference points after observing equity: a new day opens at the first equity seen
 * in it; the high-water mark starts at the larger of the initial cash and the first equity seen and
 * only rises; an operator's reset rebases both to the equity now.
 */
export function observeEquity(breaker: BreakerState, equity: Money, nowMs: number, initialCash: Money): BreakerState {
  const day = utcDay(nowMs);
  if (breaker.rebase_pending) {
    return { ...breaker, day, day_open_equity: text(equity), peak_equity: text(equity), rebase_pending: false };
  }
  const dayOpen = breaker.day === day && breaker.day_open_equity !== null ? breaker.day_open_equity : text(equity);
  const previousPeak = breaker.peak_equity === null ? maxMoney(initialCash, equity) : money(breaker.peak_equity);
  return { ...breaker, day, day_open_equity: dayOpen, peak_equity: text(maxMoney(previousPeak, equity)) };
}

function maxMoney(a: Money, b: Money): Money {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

export interface BreakerReading {
  daily_loss: string;
  drawdown_pct: number;
}

export function breakerReading(breaker: BreakerState, equity: Money): BreakerReading {
  const dayOpen = breaker.day_open_equity === null ? equity : money(breaker.day_open_equity);
  const peak = breaker.peak_equity === null ? equity : money(breaker.peak_equity);
  const loss = dayOpen.minus(equity);
  const drawdown = peak.isZero() ? money(0) : peak.minus(equity).dividedBy(peak).times(100);
  return { daily_loss: text(loss.isNegative() ? money(0) : loss), drawdown_pct: Math.max(0, Number(drawdown.toFixed(6))) };
}

export interface BreakerBreach {
  code: BreakerCode;
  message: string;
}

/** The first limit the equity breaches, if any (daily loss before drawdown, as the issue orders them). */
export function breakerBreach(breaker: BreakerState, equity: Money, limits: RiskLimits): BreakerBreach | null {
  const reading = breakerReading(breaker, equity);
  if (money(reading.daily_loss).greaterThan(limits.max_daily_loss)) {
    return {
      code: 'DAILY_LOSS_BREAKER',
      message: `equity ${text(equity)} is ${reading.daily_loss} below the day's open ${breaker.day_open_equity} (limit ${limits.max_daily_loss}); trading is halted until a person loosens it`,
    };
  }
  if (reading.drawdown_pct > limits.max_drawdown_pct) {
    return {
      code: 'DRAWDOWN_BREAKER',
      message: `equity ${text(equity)} is ${reading.drawdown_pct.toFixed(2)}% below its high-water mark ${breaker.peak_equity} (limit ${limits.max_drawdown_pct}%); trading is halted until a person loosens it`,
    };
  }
  return null;
}
