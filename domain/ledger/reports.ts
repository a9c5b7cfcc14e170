/**
 * The ledger reports as pure functions of what the ledger and the tick stores answered: the
 * portfolio valued at marks, and performance over a window. Money stays decimal; statistics come
 * from performance.ts.
 */
import type {
  EquityPoint,
  LedgerBalances,
  PerformanceInputs,
  PerformanceReport,
  PerformanceWindow,
  PortfolioPosition,
  PortfolioStatus,
  Marks,
} from '../../schemas/temporal/ledger.js';
import { ZERO, money, text } from '../money.js';
import { maxDrawdown, periodReturns, periodsPerYear, resample, sharpeRatio, sortinoRatio, tradeStats, type CurvePoint } from './performance.js';

const WINDOW_MS: Record<Exclude<PerformanceWindow, 'all'>, number> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** Upper bound of return periods in one report. */
export const MAX_PERIODS = 20_000;

/** Ratios are reported to 6 significant digits: more would be noise, not information. */
function round6(x: number): number {
  return Number(x.toPrecision(6));
}

export function portfolioStatus(balances: LedgerBalances, marks: Marks, now: number): PortfolioStatus {
  const positions: PortfolioPosition[] = [];
  let marketValue = ZERO;
  let unrealized = ZERO;
  for (const [symbol, held] of Object.entries(balances.positions).sort(([a], [b]) => a.localeCompare(b))) {
    const mark = marks[symbol];
    const last = balances.last_prices[symbol];
    // A position was opened by a fill, so a last fill price always exists.
    const price = mark ? mark.price : (last as { price: string }).price;
    const markTs = mark ? mark.ts : (last as { ts: number }).ts;
    const value = money(held.qty).times(price);
    const pnl = value.minus(held.cost);
    marketValue = marketValue.plus(value);
    unrealized = unrealized.plus(pnl);
    positions.push({
      symbol,
      qty: held.qty,
      avg_price: held.avg_price,
      cost: held.cost,
      mark_price: price,
      mark_source: mark ? 'tick_store' : 'last_fill',
      mark_age_ms: Math.max(0, now - markTs),
      market_value: text(value),
      unrealized_pnl: text(pnl),
    });
  }
  const equity = money(balances.cash).plus(marketValue);
  return {
    account: balances.account,
    quote_currency: balances.quote_currency,
    as_of_ts: now,
    initial_cash: balances.initial_cash,
    cash: balances.cash,
    equity: text(equity),
    positions,
    realized_pnl: balances.realized_pnl,
    unrealized_pnl: text(unrealized),
    fees_paid: balances.fees_paid,
    fees_by_currency: balances.fees_by_currency,
    net_pnl: text(equity.minus(balances.initial_cash)),
    exposure: {
      gross: text(marketValue),
      net: text(marketValue),
      gross_pct_of_equity: equity.greaterThan(0) ? round6(marketValue.dividedBy(equity).times(100).toNumber()) : 0,
    },
    fill_count: balances.fill_count,
    last_fill_ts: balances.last_fill_ts,
  };
}

export function performanceReport(
  account: string,
  inputs: PerformanceInputs,
  equityNow: string,
  window: PerformanceWindow,
  now: number,
): PerformanceReport {
  const retained = [...inputs.equity_curve].sort((a, b) => a.ts - b.ts);
  const first = retained[0];
  const dataSince = first ? first.ts : null;
  // Fills carry their execution time, which can precede the moment the ledger booked its first one.
  const lifeStart = Math.min(inputs.created_ts, dataSince ?? inputs.created_ts, ...inputs.trades.map((t) => t.ts));
  const from = window === 'all' ? lifeStart : Math.max(lifeStart, now - WINDOW_MS[window]);
  // The period is the sampling interval, widened by whole multiples when the window would need
  // more than MAX_PERIODS of them (a report must stay cheap inside a workflow task).
  const sampleMs = inputs.equity_sample_sec * 1000;
  const stepMs = sampleMs * Math.max(1, Math.ceil((now - from) / sampleMs / MAX_PERIODS));

  const numeric: CurvePoint[] = retained.map((p) => ({ ts: p.ts, equity: money(p.equity).toNumber() }));
  // Before the oldest retained point only that point is known.
  const fallback = first ? money(first.equity) : money(inputs.initial_cash);
  const startPoint = newestAtOrBefore(retained, from);
  const startEquity = startPoint ? money(startPoint.equity) : fallback;
  const endEquity = money(equityNow);

  const grid = resample(numeric, from, now, stepMs, fallback.toNumber());
  const returns = periodReturns(grid);
  const perYear = periodsPerYear(stepMs);

  const curve: EquityPoint[] = [
    { ts: from, equity: text(startEquity), source: startPoint?.source ?? first?.source ?? 'open' },
    ...retained.filter((p) => p.ts > from && p.ts < now),
    { ts: now, equity: text(endEquity), source: 'mark' },
  ];
  const drawdown = maxDrawdown(curve.map((p) => ({ ts: p.ts, equity: money(p.equity).toNumber() })));

  const stats = tradeStats(inputs.trades.filter((t) => t.ts >= from && t.ts <= now).map((t) => money(t.pnl).toNumber()));
  const totalReturn = startEquity.greaterThan(0) ? endEquity.dividedBy(startEquity).minus(1).times(100).toNumber() : 0;
  const ratio = (x: number | null) => (x === null ? null : round6(x));

  return {
    account,
    window,
    from_ts: from,
    to_ts: now,
    period_sec: stepMs / 1000,
    periods: returns.length,
    start_equity: text(startEquity),
    end_equity: text(endEquity),
    total_return_pct: round6(totalReturn),
    sharpe: ratio(sharpeRatio(returns, perYear)),
    sortino: ratio(sortinoRatio(returns, perYear)),
    max_drawdown_pct: round6(drawdown.max_drawdown * 100),
    max_drawdown_peak_ts: drawdown.peak_ts,
    max_drawdown_trough_ts: drawdown.trough_ts,
    trades: stats.trades,
    wins: stats.wins,
    losses: stats.losses,
    win_rate_pct: stats.win_rate === null ? null : round6(stats.win_rate * 100),
    profit_factor: ratio(stats.profit_factor),
    equity_curve: curve,
    data_since_ts: dataSince,
  };
}

function newestAtOrBefore(points: readonly EquityPoint[], t: number): EquityPoint | undefined {
  let found: EquityPoint | undefined;
  for (const p of points) {
    if (p.ts <= t) found = p;
    else break;
  }
  return found;
}
