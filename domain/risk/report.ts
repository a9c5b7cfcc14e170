/**
 * The risk report of an account from its risk state, fresh inputs and a VaR estimate of what it
 * holds. Reading it changes nothing: the breaker is observed on a copy, and a breach is reported
 * as `breached` (the next check trips it). Pure.
 */
import type { ExposureRow, RiskReport, RiskStateView } from '../../schemas/temporal/risk.js';
import { money, text, ZERO, type Money } from '../money.js';
import { breakerReading } from './breaker.js';
import { observePortfolio } from './checks.js';
import { marksFor } from './valuation.js';
import type { PortfolioVarResult, RiskInputs } from './risk-inputs.js';
import { refreshReservations } from './risk-state.js';

/** Held position values at marks, by symbol: the portfolio whose VaR the report shows. */
export function heldWeights(view: RiskStateView, inputs: RiskInputs, nowMs: number): Record<string, number> {
  const marks = marksFor(Object.keys(inputs.portfolio.positions), inputs, view.reservations, nowMs);
  const weights: Record<string, number> = {};
  for (const [symbol, qty] of Object.entries(inputs.portfolio.positions)) {
    const mark = marks.get(symbol);
    if (mark) weights[symbol] = money(qty).times(mark.price).toNumber();
  }
  return weights;
}

export interface ReportParts {
  view: RiskStateView;
  inputs: RiskInputs;
  varResult: PortfolioVarResult;
  nowMs: number;
  riskWorkflowId: string;
}

export function buildRiskReport({ view, inputs, varResult, nowMs, riskWorkflowId }: ReportParts): RiskReport {
  const reservations = refreshReservations(view.reservations, inputs.orders, nowMs);
  const held = inputs.portfolio.positions;
  const symbols = [...new Set([...Object.keys(held), ...reservations.map((r) => r.symbol)])].sort();
  const marks = marksFor(symbols, inputs, reservations, nowMs);

  let gross: Money | null = ZERO;
  let net: Money | null = ZERO;
  const values = new Map<string, Money | null>();
  for (const symbol of symbols) {
    const mark = marks.get(symbol);
    const qty = money(held[symbol] ?? '0');
    const value = mark ? qty.times(mark.price) : qty.isZero() ? ZERO : null;
    values.set(symbol, value);
    gross = gross && value ? gross.plus(value.abs()) : null;
    net = net && value ? net.plus(value) : null;
  }
  const comparison = varResult.available ? varResult.comparison : null;
  const exposure: ExposureRow[] = symbols.map((symbol) => {
    const mark = marks.get(symbol) ?? null;
    const value = values.get(symbol) ?? null;
    const working = reservations.filter((r) => r.symbol === symbol).reduce((sum, r) => (r.side === 'buy' ? sum.plus(r.qty) : sum.minus(r.qty)), ZERO);
    return {
      symbol,
      qty: held[symbol] ?? '0',
      working_qty: text(working),
      mark_price: mark ? text(mark.price) : null,
      mark_source: mark ? mark.source : null,
      market_value: value ? text(value) : null,
      weight_pct: value && gross && gross.isPositive() ? Number(value.abs().dividedBy(gross).times(100).toFixed(4)) : null,
      annualised_volatility: comparison?.annualised_volatility[symbol] ?? null,
    };
  });

  const limits = view.limits;
  const observed = observePortfolio(
    { trading_state: view.trading_state, recent_approvals: [], reservations, breaker: view.breaker },
    inputs,
    limits,
    nowMs,
  );
  const reading = observed.equity ? breakerReading(observed.breaker, money(observed.equity)) : null;
  return {
    account: view.account,
    mode: view.mode,
    trading_state: view.trading_state,
    as_of: nowMs,
    quote_currency: inputs.portfolio.quote_currency,
    cash: inputs.portfolio.cash,
    equity: observed.equity,
    exposure,
    gross_exposure: gross ? text(gross) : null,
    net_exposure: net ? text(net) : null,
    var: comparison
      ? {
          ...comparison.before,
          limit: limits.max_var_1d,
          confidence: comparison.confidence,
          horizon_days: 1,
          observations: comparison.observations,
          return_interval_sec: comparison.return_interval_sec,
        }
      : null,
    var_unavailable_reason: varResult.available ? null : varResult.reason,
    breaker: {
      day_open_equity: observed.breaker.day_open_equity,
      peak_equity: observed.breaker.peak_equity,
      daily_loss: reading?.daily_loss ?? null,
      max_daily_loss: limits.max_daily_loss,
      drawdown_pct: reading?.drawdown_pct ?? null,
      max_drawdown_pct: limits.max_drawdown_pct,
      breached: observed.breach !== null,
      tripped: view.breaker.tripped,
    },
    decisions: { checks: view.counters.checks, approved: view.counters.approved, rejected: view.counters.rejected },
    risk_workflow_id: riskWorkflowId,
  };
}
