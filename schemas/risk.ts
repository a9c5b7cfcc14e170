import { z } from 'zod';
import { workflowRef } from './common.js';
import { defineContract } from './contract.js';
import { accountName, decimalString, epochMs, positiveDecimal, spotSymbol } from './ledger.js';
import { TRADING_STATES, intentOrderId, type RiskDecision, type RiskLeg } from './temporal/risk.js';

/** Legs per intent; each becomes one order. */
export const MAX_INTENT_LEGS = 20;

/**
 * An intent id names the intent and, with ".<leg>", each of its orders; kept short enough that those
 * order ids still fit an idempotency key (get_order_status, cancel_order).
 */
export const intentId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$/, 'use 1-120 characters: letters, digits, ".", "_", ":" or "-", starting with a letter or digit')
  .describe('Your id for this intent; it is the idempotency key. Its orders are <intent_id>.<leg index>.');

/** One leg of an intent as a caller writes it: exactly one of qty and quote_notional. */
export const intentLeg = z
  .strictObject({
    symbol: spotSymbol,
    side: z.enum(['buy', 'sell']),
    qty: positiveDecimal.optional().describe('Base quantity, e.g. "0.01"'),
    quote_notional: positiveDecimal.optional().describe('Quote amount to spend (buy) or receive (sell), e.g. "250"'),
    limit_price: positiveDecimal.optional().describe('A limit order\'s worst price; omitted for a market order. Must lie within the price collar of the mid.'),
  })
  .refine((leg) => (leg.qty === undefined) !== (leg.quote_notional === undefined), 'give exactly one of qty and quote_notional');

export const intentLegs = z.array(intentLeg).min(1).max(MAX_INTENT_LEGS);

const tradingState = z.enum(TRADING_STATES as [string, ...string[]]).describe('ACTIVE trades; REDUCING admits only exposure-reducing intents; HALTED admits nothing');
const account = accountName.optional().describe('Account the limits and state belong to; "paper" when omitted');

const reasonCode = z
  .enum([
    'TRADING_HALTED',
    'REDUCE_ONLY',
    'SYMBOL_NOT_ALLOWED',
    'NO_MARKET_DATA',
    'STALE_MARKET_DATA',
    'SPREAD_TOO_WIDE',
    'PRICE_JUMP',
    'MAX_ORDER_NOTIONAL',
    'MAX_SYMBOL_NOTIONAL',
    'MAX_GROSS_EXPOSURE',
    'PRICE_COLLAR',
    'INSUFFICIENT_CASH',
    'INSUFFICIENT_HOLDINGS',
    'DUPLICATE_INTENT',
    'ORDER_RATE_THROTTLED',
    'REJECTIONS_THROTTLED',
    'MAX_WORKING_ORDERS',
    'APPROVAL_MISMATCH',
    'ORDER_ID_IN_USE',
    'DAILY_LOSS_BREAKER',
    'DRAWDOWN_BREAKER',
    'VAR_UNAVAILABLE',
    'VAR_LIMIT',
    'RISK_INPUTS_UNAVAILABLE',
  ])
  .describe('Which check refused');

export const riskReason = z.object({
  code: reasonCode,
  message: z.string().describe('What was wrong and what to do'),
  leg_index: z.number().int().nonnegative().nullable().describe('The leg it concerns, or null for the intent as a whole'),
});

const varFigures = z.object({
  parametric: z.number().describe('Variance-covariance VaR, quote currency'),
  historical: z.number().describe('Historical-simulation VaR, quote currency'),
  expected_shortfall: z.number().describe('Historical-simulation expected shortfall (mean loss at or beyond VaR), quote currency'),
});

const varComparison = z.object({
  before: varFigures,
  after: varFigures,
  confidence: z.number(),
  horizon_days: z.literal(1),
  observations: z.number().int().nonnegative().describe('Aligned returns the estimate used'),
  return_interval_sec: z.number().int().positive(),
  symbols: z.array(z.string()),
  annualised_volatility: z.record(z.string(), z.number()).describe('Per symbol, from the same returns, on a 365-day year'),
});

const legMetrics = z.object({
  index: z.number().int().nonnegative(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  client_order_id: z.string().describe('The order this leg becomes when the intent is submitted'),
  qty: decimalString.nullable(),
  notional: decimalString.nullable().describe('At the limit price for a limit order, else at the touch it would take'),
  reference_price: decimalString.nullable().describe('Mid of the latest quote'),
  limit_price: decimalString.nullable(),
  price_deviation_bps: z.number().nullable(),
  spread_bps: z.number().nullable(),
  data_age_ms: z.number().int().nonnegative().nullable(),
  position_before: decimalString.nullable().describe('Working orders included'),
  position_after: decimalString.nullable(),
});

/** A gate decision as pre_trade_risk_check and submit_intent report it. */
export const riskDecisionView = {
  intent_id: z.string(),
  account: z.string(),
  decision: z.enum(['approved', 'rejected']),
  reasons: z.array(riskReason).describe('Every check that refused, in check order; empty when approved'),
  metrics: z.object({
    notional: decimalString.nullable().describe('Sum of the legs, quote currency'),
    var_before: z.number().nullable().describe('1-day VaR before (the larger of parametric and historical)'),
    var_after: z.number().nullable().describe('1-day VaR after; null when not estimated (another check refused first)'),
    position_after: z.record(z.string(), decimalString).describe('Positions after, working orders included, by symbol'),
    price_deviation_bps: z.number().nullable().describe('Largest distance of a limit price from its mid'),
    data_age_ms: z.number().int().nonnegative().nullable().describe('Age of the oldest quote used'),
    gross_exposure_after: decimalString.nullable(),
    equity: decimalString.nullable(),
  }),
  legs: z.array(legMetrics),
  var: varComparison.nullable(),
  trading_state: tradingState.describe('The state the decision was taken under (HALTED when this check tripped the breaker)'),
  duplicate: z.boolean().describe('True when this intent_id had been decided before: the recorded decision is returned (never for a dry run)'),
  dry_run: z.boolean().describe('True for pre_trade_risk_check: nothing was reserved or recorded, and no window counted it'),
  decided_at: epochMs,
  risk_check_id: z.string(),
};

/** The legs of an intent as the gate sees them: each with the client_order_id it is placed under. */
export function riskLegsOf(intentId: string, legs: z.output<typeof intentLegs>): RiskLeg[] {
  return legs.map((leg, index) => ({
    symbol: leg.symbol,
    side: leg.side,
    qty: leg.qty ?? null,
    quote_notional: leg.quote_notional ?? null,
    limit_price: leg.limit_price ?? null,
    client_order_id: intentOrderId(intentId, index),
  }));
}

/** A recorded decision in the shape the tools report (the workflow's bookkeeping fields left out). */
export function riskDecisionOutput(d: RiskDecision) {
  return {
    intent_id: d.intent_id,
    account: d.account,
    decision: d.decision,
    reasons: d.reasons,
    metrics: d.metrics,
    legs: d.legs,
    var: d.var,
    trading_state: d.trading_state,
    duplicate: d.duplicate,
    dry_run: d.dry_run,
    decided_at: d.decided_at,
    risk_check_id: d.risk_check_id,
    workflow_id: d.workflow_id,
    run_id: d.run_id,
  };
}

export const preTradeRiskCheck = defineContract({
  name: 'pre_trade_risk_check',
  group: 'risk',
  title: 'Pre-trade risk check',
  description:
    "A dry run of the risk gate: would this intent (1-20 legs, each becoming one order) pass now? Nothing is placed, reserved or recorded, and the call counts toward no duplicate or order-rate window, so it gives no authority to any later order: submit_intent and every order are checked again when they arrive, and each resting order again before each fill. Checks in order and fails closed: trading state (HALTED refuses all, REDUCING admits only exposure-reducing legs), symbol allowlist, quote freshness, spread and jumps, per-order, per-symbol and gross notional, working orders, price collar (a limit order is valued at its limit), cash and holdings including working orders, near-duplicates of recent approvals, order rate, the daily-loss and drawdown breaker (which moves trading to REDUCING), and 1-day 99% VaR (parametric and historical, with expected shortfall) after the trade against its limit. Every refusal has a reason code and says what to do.",
  input: z.object({
    intent_id: intentId,
    intents: intentLegs.describe('The legs of the intent, in order'),
    account,
  }),
  output: z.object({ ...riskDecisionView, ...workflowRef }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

const authority = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent') }),
  z.object({ kind: z.literal('breaker'), code: z.enum(['DAILY_LOSS_BREAKER', 'DRAWDOWN_BREAKER']) }),
  z.object({
    kind: z.literal('person'),
    via: z.enum(['mcp_elicitation', 'operator_cli']),
    confirmed_by: z.string(),
    code_id: z.string().optional().describe('mcp_elicitation: the one-time loosening code the person entered (its id, never the code)'),
  }),
]);

const stateChange = z.object({
  from: tradingState,
  to: tradingState,
  reason: z.string(),
  authority: authority.describe('Who changed it: an agent (tightening only), the breaker, or a person'),
  at: epochMs,
});

const limits = z.object({
  allowed_symbols: z.array(z.string()),
  max_data_age_ms: z.number(),
  max_spread_bps: z.number(),
  max_price_jump_bps: z.number(),
  max_order_notional: decimalString,
  max_symbol_notional: decimalString,
  max_gross_exposure: decimalString,
  price_collar_bps: z.number(),
  fee_buffer_bps: z.number(),
  duplicate_window_sec: z.number(),
  max_orders_per_window: z.number(),
  throttle_window_sec: z.number(),
  max_daily_loss: decimalString,
  max_drawdown_pct: z.number(),
  max_var_1d: decimalString,
  var_confidence: z.number(),
  var_window_returns: z.number(),
  var_return_interval_sec: z.number(),
  var_min_observations: z.number(),
  reservation_ttl_sec: z.number(),
  duplicate_size_tolerance_pct: z.number(),
  max_rejections_per_window: z.number(),
  max_working_orders: z.number(),
});

export const getRiskLimits = defineContract({
  name: 'get_risk_limits',
  group: 'risk',
  title: 'Risk limits and trading state',
  description:
    "The account's risk limits, trading state and mode (paper or live). Limits come from the worker's limits file and environment and no tool can change them; the trading state can be tightened with set_trading_state, and loosened only by a person.",
  input: z.object({ account }),
  output: z.object({
    account: z.string(),
    mode: z.enum(['paper', 'live']),
    exchange: z.string().describe('Venue whose tick stores supply quotes and returns'),
    trading_state: tradingState,
    last_change: stateChange.nullable(),
    limits,
    limits_source: z.object({
      file: z.string().nullable().describe('The limits file read, or null when only defaults and the environment applied'),
      env_overrides: z.array(z.string()).describe('RISK_* variables that overrode the file'),
    }),
    limits_loaded_at: epochMs,
    working_orders: z.number().int().nonnegative().describe('Approved orders still holding capacity'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const setTradingState = defineContract({
  name: 'set_trading_state',
  group: 'risk',
  title: 'Set the trading state',
  description:
    'Tighten the trading state at once: ACTIVE → REDUCING (only exposure-reducing intents pass) → HALTED (nothing passes). Loosening (towards ACTIVE) needs a person: when the host supports MCP elicitation the person is asked to confirm, with their name and a one-time code the operator command prints (`npm run risk:operator -- loosen-code`), and the change is recorded with their name and the id of the code; a wrong, expired or used code is refused (LOOSENING_CODE_INVALID), and after five wrong codes every loosening through the host is refused until a new code is issued (LOOSENING_CODE_LOCKED). Without elicitation it is refused and the message names the operator commands. Setting the current state changes nothing.',
  input: z.object({
    state: tradingState,
    reason: z.string().trim().min(3).max(500).describe('Why, in words; recorded with the change'),
    account,
  }),
  output: z.object({
    account: z.string(),
    previous_state: tradingState,
    trading_state: tradingState,
    changed: z.boolean(),
    confirmed_by: z.string().nullable().describe('The person who confirmed a loosening; null for a tightening'),
    via: z.enum(['agent', 'mcp_elicitation']).describe('agent: tightened directly; mcp_elicitation: loosened after a person confirmed'),
    ...workflowRef,
  }),
  // Destructive in the protocol's sense: the new state replaces the old one.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
});

const exposureRow = z.object({
  symbol: z.string(),
  qty: decimalString.describe('Held, from the ledger'),
  working_qty: decimalString.describe('Net base quantity of approved orders still working (+ buys, - sells)'),
  mark_price: decimalString.nullable(),
  mark_source: z.enum(['tick_store', 'last_fill', 'order']).nullable(),
  market_value: decimalString.nullable(),
  weight_pct: z.number().nullable().describe('Share of gross exposure'),
  annualised_volatility: z.number().nullable(),
});

export const getRiskReport = defineContract({
  name: 'get_risk_report',
  group: 'risk',
  title: 'Risk report',
  description:
    "The account's risk now: 1-day VaR (parametric and historical) and expected shortfall of the held positions from the tick stores' returns, exposure by symbol with working orders, gross and net exposure, daily loss and drawdown against the breaker's limits, and whether the breaker has tripped.",
  input: z.object({ account }),
  output: z.object({
    account: z.string(),
    mode: z.enum(['paper', 'live']),
    trading_state: tradingState,
    as_of: epochMs,
    quote_currency: z.string(),
    cash: decimalString,
    equity: decimalString.nullable(),
    exposure: z.array(exposureRow),
    gross_exposure: decimalString.nullable(),
    net_exposure: decimalString.nullable(),
    var: z
      .object({
        parametric: z.number(),
        historical: z.number(),
        expected_shortfall: z.number(),
        limit: decimalString,
        confidence: z.number(),
        horizon_days: z.literal(1),
        observations: z.number().int().nonnegative(),
        return_interval_sec: z.number().int().positive(),
      })
      .nullable(),
    var_unavailable_reason: z.string().nullable(),
    breaker: z.object({
      day_open_equity: decimalString.nullable(),
      peak_equity: decimalString.nullable(),
      daily_loss: decimalString.nullable(),
      max_daily_loss: decimalString,
      drawdown_pct: z.number().nullable(),
      max_drawdown_pct: z.number(),
      breached: z.boolean().describe('A limit is breached now; the next check trips the breaker'),
      tripped: z.object({ code: z.enum(['DAILY_LOSS_BREAKER', 'DRAWDOWN_BREAKER']), message: z.string(), at: epochMs }).nullable(),
    }),
    decisions: z.object({ checks: z.number().int(), approved: z.number().int(), rejected: z.number().int() }),
    risk_workflow_id: z.string(),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const riskContracts = [preTradeRiskCheck, getRiskLimits, setTradingState, getRiskReport] as const;
