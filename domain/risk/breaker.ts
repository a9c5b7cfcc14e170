/**
 * The loss breaker: daily loss against the equity at the start of the UTC day, drawdown against
 * the high-water mark. The risk workflow observes equity at every check and at each UTC midnight;
 * a breach moves an ACTIVE account to REDUCING, so exits still pass and nothing adds exposure (a
 * breaker must never trap risk in). Once a person has acknowledged a trip (by setting the state,
 * or the operator's reset) the breaker trips again only on a further loss of a limit's size beyond
 * the acknowledged point; the day's open and the high-water mark are never forgotten. Pure functions.
 */
import type { BreakerState, RiskLimits } from '../../schemas/temporal/risk.js';
import { money, text, type Money } from '../money.js';

export type BreakerCode = 'DAILY_LOSS_BREAKER' | 'DRAWDOWN_BREAKER';

export const emptyBreaker = (): BreakerState => ({
  day: null,
  day_open_equity: null,
  peak_equity: null,
  acknowledge_pending: false,
  acknowledged: null,
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
 * only rises; a pending acknowledgement is taken at the equity now (the reference points are kept).
 */
export function observeEquity(breaker: BreakerState, equity: Money, nowMs: number, initialCash: Money): BreakerState {
  const day = utcDay(nowMs);
  const dayOpen = breaker.day === day && breaker.day_open_equity !== null ? breaker.day_open_equity : text(equity);
  const previousPeak = breaker.peak_equity === null ? maxMoney(initialCash, equity) : money(breaker.peak_equity);
  const observed: BreakerState = {
    ...breaker,
    acknowledge_pending: false,
    acknowledged: breaker.acknowledged ?? null,
    day,
    day_open_equity: dayOpen,
    peak_equity: text(maxMoney(previousPeak, equity)),
  };
  // Runs carried from before acknowledgements existed called a pending reset `rebase_pending`.
  const pending = breaker.acknowledge_pending || (breaker as { rebase_pending?: boolean }).rebase_pending === true;
  if (pending) {
    observed.acknowledged = { equity: text(equity), day, drawdown_pct: breakerReading(observed, equity).drawdown_pct, at: nowMs };
  }
  else if (observed.acknowledged && equity.greaterThan(previousPeak)) {
    // A new high-water mark: the acknowledged drawdown is behind it.
    observed.acknowledged = { ...observed.acknowledged, drawdown_pct: 0 };
  }
  delete (observed as { rebase_pending?: boolean }).rebase_pending;
  return observed;
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

/**
 * The first limit the equity breaches, if any (daily loss before drawdown). After a person's
 * acknowledgement the same day, the daily loss counts from the acknowledged equity; the drawdown
 * counts beyond the acknowledged drawdown until the high-water mark is regained.
 */
export function breakerBreach(breaker: BreakerState, equity: Money, limits: RiskLimits): BreakerBreach | null {
  const reading = breakerReading(breaker, equity);
  const ack = breaker.acknowledged;
  const ackToday = ack !== null && ack.day === breaker.day;
  const dailyLoss = ackToday ? money(ack.equity).minus(equity) : money(reading.daily_loss);
  if (dailyLoss.greaterThan(limits.max_daily_loss)) {
    const since = ackToday ? `the ${ack.equity} a person acknowledged today` : `the day's open ${breaker.day_open_equity}`;
    return {
      code: 'DAILY_LOSS_BREAKER',
      message: `equity ${text(equity)} is ${text(dailyLoss)} below ${since} (limit ${limits.max_daily_loss}; the day's loss is ${reading.daily_loss}); trading moves to REDUCING: exits pass, nothing adds exposure until a person loosens it`,
    };
  }
  const drawdownBeyond = ack ? reading.drawdown_pct - ack.drawdown_pct : reading.drawdown_pct;
  if (drawdownBeyond > limits.max_drawdown_pct) {
    return {
      code: 'DRAWDOWN_BREAKER',
      message: `equity ${text(equity)} is ${reading.drawdown_pct.toFixed(2)}% below its high-water mark ${breaker.peak_equity} (limit ${limits.max_drawdown_pct}%${ack ? ` beyond the ${ack.drawdown_pct.toFixed(2)}% a person acknowledged` : ''}); trading moves to REDUCING: exits pass, nothing adds exposure until a person loosens it`,
    };
  }
  return null;
}
