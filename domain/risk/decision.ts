/**
 * Check 10 (VaR) and the assembly of a decision from everything the checks found. Pure.
 */
import type {
  RiskCheckRequest,
  RiskDecision,
  RiskLimits,
  RiskMetrics,
  RiskReason,
  TradingState,
  VarComparison,
} from '../../schemas/temporal/risk.js';
import { text, ZERO } from '../money.js';
import { orderReasons, type PreVarOutcome } from './checks.js';
import type { PortfolioVarResult } from './risk-inputs.js';
import { gatingVar } from './var.js';

/**
 * 10: the post-trade VaR against its limit. An intent that lowers VaR is never refused for VaR, and
 * one that only reduces exposure is not refused for want of a model: the gate must never trap risk in.
 */
export function varReasons(result: PortfolioVarResult, outcome: PreVarOutcome, limits: RiskLimits): RiskReason[] {
  if (!result.available) {
    if (outcome.reducing) return [];
    return [
      {
        code: 'VAR_UNAVAILABLE',
        message: `VaR cannot be estimated: ${result.reason}; intents that add exposure wait until the tick stores hold enough history`,
        leg_index: null,
      },
    ];
  }
  const before = gatingVar(result.comparison.before);
  const after = gatingVar(result.comparison.after);
  if (after > Number(limits.max_var_1d) && after > before) {
    return [
      {
        code: 'VAR_LIMIT',
        message: `1-day ${limits.var_confidence * 100}% VaR would rise from ${before.toFixed(2)} to ${after.toFixed(2)} (limit ${limits.max_var_1d}; parametric ${result.comparison.after.parametric.toFixed(2)}, historical ${result.comparison.after.historical.toFixed(2)})`,
        leg_index: null,
      },
    ];
  }
  return [];
}

export interface DecisionParts {
  request: RiskCheckRequest;
  fingerprint: string;
  riskCheckId: string;
  /** Where the decision is recorded (riskDecisionKey). */
  key: string;
  workflowId: string;
  runId: string;
  nowMs: number;
  limits: RiskLimits;
  tradingStateBefore: TradingState;
  outcome: PreVarOutcome | null;
  /** Reasons found outside the checks (e.g. inputs that could not be read). */
  extraReasons: RiskReason[];
  varResult: PortfolioVarResult | null;
}

function metricsOf(outcome: PreVarOutcome | null, comparison: VarComparison | null): RiskMetrics {
  if (!outcome) {
    return { notional: null, var_before: null, var_after: null, position_after: {}, price_deviation_bps: null, data_age_ms: null, gross_exposure_after: null, equity: null };
  }
  const deviations = outcome.legs.map((l) => l.price_deviation_bps).filter((v): v is number => v !== null);
  const ages = outcome.legs.map((l) => l.data_age_ms).filter((v): v is number => v !== null);
  return {
    notional: outcome.allValued ? text(outcome.valued.reduce((sum, v) => sum.plus(v.notional), ZERO)) : null,
    var_before: comparison ? gatingVar(comparison.before) : null,
    var_after: comparison ? gatingVar(comparison.after) : null,
    position_after: outcome.positionsAfter,
    price_deviation_bps: deviations.length ? Math.max(...deviations) : null,
    data_age_ms: ages.length ? Math.max(...ages) : null,
    gross_exposure_after: outcome.grossAfter,
    equity: outcome.equity,
  };
}

export function buildDecision(parts: DecisionParts): RiskDecision {
  const { outcome, varResult, request } = parts;
  const comparison = varResult && varResult.available ? varResult.comparison : null;
  const reasons = orderReasons([
    ...parts.extraReasons,
    ...(outcome?.reasons ?? []),
    ...(varResult && outcome ? varReasons(varResult, outcome, parts.limits) : []),
  ]);
  return {
    risk_check_id: parts.riskCheckId,
    key: parts.key,
    dry_run: request.source === 'pre_trade_risk_check',
    intent_id: request.intent_id,
    account: request.account,
    source: request.source,
    decision: reasons.length === 0 ? 'approved' : 'rejected',
    reasons,
    metrics: metricsOf(outcome, comparison),
    legs: outcome?.legs ?? [],
    var: comparison,
    // A breach is only found on an ACTIVE account, and moves it to REDUCING.
    trading_state: outcome?.breach ? 'REDUCING' : parts.tradingStateBefore,
    decided_at: parts.nowMs,
    fingerprint: parts.fingerprint,
    requested_legs: request.legs,
    duplicate: false,
    workflow_id: parts.workflowId,
    run_id: parts.runId,
  };
}
