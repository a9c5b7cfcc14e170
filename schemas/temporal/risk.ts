/**
 * The Temporal side of the risk contract: one long-lived risk workflow per account holds the
 * trading state, the limits it was given, the recorded decisions, the throttle and duplicate
 * windows, the orders it admitted and the loss breaker. Every order path asks it through
 * `riskCheckUpdate`; the tools read it through `riskStateQuery`. Shared by the servers, the worker,
 * the operator CLI and the other groups. Pure definitions only: this module is bundled into
 * workflow code.
 *
 * Sizes, prices and money are decimal strings (parse them with decimal.js); statistical estimates
 * (VaR, expected shortfall, volatilities) and basis points are numbers.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { canonicalDecimal } from '../primitives/decimal.js';
import type { FillSide } from './ledger.js';
import { fnv1a64Hex } from './market.js';

export const RISK_WORKFLOW = 'riskWorkflow';
/** A short workflow per get_risk_report call: gathers marks and returns and shapes the report. */
export const RISK_REPORT_WORKFLOW = 'riskReportWorkflow';

export const riskWorkflowId = (account: string): string => `risk:${account}`;

/**
 * How every caller starts (or finds) an account's risk workflow. A closed one is never silently
 * replaced: a fresh run would forget a HALTED state and the recorded decisions, so the gate fails
 * closed until an operator deals with it.
 */
export function riskWorkflowStartOptions(account: string, taskQueue: string) {
  const input: RiskWorkflowInput = { account };
  return {
    workflowId: riskWorkflowId(account),
    taskQueue,
    args: [input] as [RiskWorkflowInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  };
}
export const riskReportWorkflowId = (account: string, requestId: string): string => `risk-report:${account}:${requestId}`;

/**
 * The update id of one request for a check. Idempotency by intent id is the risk workflow's own
 * (its recorded decisions, carried across runs); the update id only makes a resent request (an
 * activity attempt, a reconnecting client) attach to the update it already sent.
 */
export const riskCheckUpdateId = (intentId: string, requestId: string): string => `risk-check:${intentId}:${requestId}`;

/** The client_order_id of an intent's leg: the order submit_intent places for it. */
export const intentOrderId = (intentId: string, legIndex: number): string => `${intentId}.${legIndex}`;

/**
 * Where the gate records a decision. Each caller has a key space of its own, so no caller's id can
 * name another's decision: an intent by its intent id, an order by its client_order_id (whatever
 * intent id its caller gave), one fill of a resting order by the order and the fill's sequence. A
 * pre_trade_risk_check is a dry run and records nothing.
 */
export const intentDecisionKey = (intentId: string): string => `intent:${intentId}`;
export const orderDecisionKey = (clientOrderId: string): string => `order:${clientOrderId}`;
export const fillDecisionKey = (clientOrderId: string, fillSeq: number): string => `fill:${clientOrderId}:${fillSeq}`;
export const dryRunKey = (intentId: string): string => `check:${intentId}`;

export function riskDecisionKey(request: RiskCheckRequest): string {
  switch (request.source) {
    case 'submit_intent':
      return intentDecisionKey(request.intent_id);
    case 'order_gate':
      return orderDecisionKey(request.legs[0]?.client_order_id ?? '');
    case 'fill_check':
      return fillDecisionKey(request.legs[0]?.client_order_id ?? '', request.fill_seq ?? 0);
    default:
      return dryRunKey(request.intent_id);
  }
}

/** ACTIVE trades; REDUCING admits only exposure-reducing intents; HALTED admits nothing. */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
export const TRADING_STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** How tight a state is: moving to a higher rank tightens, to a lower rank loosens. */
export const tradingStateRank = (state: TradingState): number => TRADING_STATES.indexOf(state);

export type TradingMode = 'paper' | 'live';

/**
 * The limits of an account, from the limits file and the environment (worker/config/risk-config.ts);
 * never from a tool. Decimal strings are in the quote currency.
 */
export interface RiskLimits {
  /** ccxt unified symbols that may be traded; anything else is refused. */
  allowed_symbols: string[];
  /** A quote older than this (from its venue time to the decision) is stale. */
  max_data_age_ms: number;
  /** Bid/ask spread above this, in bps of the mid, marks the quote as unusable. */
  max_spread_bps: number;
  /** A mid that moved more than this between the last two ticks marks the quote as suspect. */
  max_price_jump_bps: number;
  /** Largest value of one order (one leg of an intent). */
  max_order_notional: string;
  /** Largest value of the position in one symbol after the trade, working orders included. */
  max_symbol_notional: string;
  /** Largest sum of absolute position values after the trade, working orders included. */
  max_gross_exposure: string;
  /** A limit price further than this from the reference mid is refused. */
  price_collar_bps: number;
  /** Headroom kept on cash for fees when buying. */
  fee_buffer_bps: number;
  /** The same symbol, side and size approved within this window is refused as a duplicate. */
  duplicate_window_sec: number;
  /** Orders (legs) approved per throttle window. */
  max_orders_per_window: number;
  throttle_window_sec: number;
  /** Equity lost since the start of the UTC day that trips the breaker (state → HALTED). */
  max_daily_loss: string;
  /** Equity lost from its high-water mark, percent, that trips the breaker. */
  max_drawdown_pct: number;
  /** Largest 1-day VaR after the trade (the larger of the parametric and the historical estimate). */
  max_var_1d: string;
  /** VaR confidence, e.g. 0.99. */
  var_confidence: number;
  /** Returns used for VaR: the newest this many. */
  var_window_returns: number;
  /** Prices are sampled on a grid of this step to form returns aligned across symbols. */
  var_return_interval_sec: number;
  /** Fewer aligned returns than this: VaR is unavailable (intents adding exposure are refused). */
  var_min_observations: number;
  /** An approval holds its capacity this long while no order of it has been placed. */
  reservation_ttl_sec: number;
  /** Sizes within this percent of an approval of the same symbol and side count as its duplicate. */
  duplicate_size_tolerance_pct: number;
  /** Rejected requests per throttle window before further requests are refused unchecked. */
  max_rejections_per_window: number;
  /** Approved orders working at once (placed or approved and not yet placed). */
  max_working_orders: number;
}

/**
 * Limits added after runs were first recorded: settings loaded by those runs (in their history or
 * carried state) lack them and read these values, the defaults of risk-limits.json.
 */
export const LATER_LIMIT_DEFAULTS: Pick<RiskLimits, 'duplicate_size_tolerance_pct' | 'max_rejections_per_window' | 'max_working_orders'> = {
  duplicate_size_tolerance_pct: 1,
  max_rejections_per_window: 20,
  max_working_orders: 100,
};

/** Settings with every limit present, whichever version of the worker loaded them. */
export const completeRiskSettings = (settings: RiskSettings): RiskSettings => ({ ...settings, limits: { ...LATER_LIMIT_DEFAULTS, ...settings.limits } });

/** One leg of an intent: exactly one of qty and quote_notional is set. */
export interface RiskLeg {
  symbol: string;
  side: FillSide;
  /** Base-asset quantity. */
  qty: string | null;
  /** Quote-currency amount. */
  quote_notional: string | null;
  /** A limit order's worst price; null for a market order. */
  limit_price: string | null;
  /** The order this leg becomes: derived from the intent id for intents, the caller's id for orders. */
  client_order_id: string;
}

/**
 * Who is asking: a dry run through the tool, an intent on its way to the bus, an order's gate
 * before it touches the book, or a resting order about to fill.
 */
export type RiskCheckSource = 'pre_trade_risk_check' | 'submit_intent' | 'order_gate' | 'fill_check';

export interface RiskCheckRequest {
  /** The caller's intent id (informational for orders and fills: it gives no authority). */
  intent_id: string;
  account: string;
  legs: RiskLeg[];
  source: RiskCheckSource;
  /** fill_check only: the sequence of the fill about to be booked. */
  fill_seq?: number;
}

/** How a leg's size compares for the duplicate window: "qty:<n>" or "quote:<n>". */
export function legSizeKey(leg: Pick<RiskLeg, 'qty' | 'quote_notional'>): string {
  return leg.qty !== null ? `qty:${canonicalDecimal(leg.qty)}` : `quote:${canonicalDecimal(leg.quote_notional ?? '0')}`;
}

/** Digest of what an intent asks: the same intent id with another digest is a different intent. */
export function riskLegsFingerprint(legs: readonly RiskLeg[]): string {
  const canonical = legs.map((l) => [
    l.symbol,
    l.side,
    legSizeKey(l),
    l.limit_price === null ? null : canonicalDecimal(l.limit_price),
    l.client_order_id,
  ]);
  return fnv1a64Hex(JSON.stringify(canonical));
}

export type RiskReasonCode =
  | 'TRADING_HALTED'
  | 'REDUCE_ONLY'
  | 'SYMBOL_NOT_ALLOWED'
  | 'NO_MARKET_DATA'
  | 'STALE_MARKET_DATA'
  | 'SPREAD_TOO_WIDE'
  | 'PRICE_JUMP'
  | 'MAX_ORDER_NOTIONAL'
  | 'MAX_SYMBOL_NOTIONAL'
  | 'MAX_GROSS_EXPOSURE'
  | 'PRICE_COLLAR'
  | 'INSUFFICIENT_CASH'
  | 'INSUFFICIENT_HOLDINGS'
  | 'DUPLICATE_INTENT'
  | 'ORDER_RATE_THROTTLED'
  | 'REJECTIONS_THROTTLED'
  | 'MAX_WORKING_ORDERS'
  | 'APPROVAL_MISMATCH'
  | 'ORDER_ID_IN_USE'
  | 'DAILY_LOSS_BREAKER'
  | 'DRAWDOWN_BREAKER'
  | 'VAR_UNAVAILABLE'
  | 'VAR_LIMIT'
  | 'RISK_INPUTS_UNAVAILABLE';

export interface RiskReason {
  code: RiskReasonCode;
  /** What was wrong and what to do, in words. */
  message: string;
  /** The leg it concerns (0-based), or null for the intent as a whole. */
  leg_index: number | null;
}

export interface RiskLegMetrics {
  index: number;
  symbol: string;
  side: FillSide;
  client_order_id: string;
  /** Base quantity (resolved from quote_notional at the valuation price); null without a price. */
  qty: string | null;
  /** Value of the order: at its limit price, else at the touch it would take. */
  notional: string | null;
  /** Mid of the latest quote. */
  reference_price: string | null;
  limit_price: string | null;
  price_deviation_bps: number | null;
  spread_bps: number | null;
  data_age_ms: number | null;
  /** Position in the symbol before this intent, working orders included. */
  position_before: string | null;
  position_after: string | null;
}

export interface VarFigures {
  /** Parametric (variance-covariance) 1-day VaR, quote currency. */
  parametric: number;
  /** Historical-simulation 1-day VaR, quote currency. */
  historical: number;
  /** Historical-simulation 1-day expected shortfall (mean loss beyond VaR), quote currency. */
  expected_shortfall: number;
}

export interface VarComparison {
  before: VarFigures;
  after: VarFigures;
  confidence: number;
  horizon_days: 1;
  /** Aligned returns used. */
  observations: number;
  return_interval_sec: number;
  symbols: string[];
  /** Per symbol, from the same returns, on a 365-day year. */
  annualised_volatility: Record<string, number>;
}

export interface RiskMetrics {
  /** Sum of the legs' notionals (null when a leg could not be valued). */
  notional: string | null;
  /** The gating VaR before and after: the larger of the parametric and historical estimates. */
  var_before: number | null;
  var_after: number | null;
  /** Positions after the intent, working orders included, by symbol. */
  position_after: Record<string, string>;
  /** Largest absolute deviation of a limit price from its reference mid. */
  price_deviation_bps: number | null;
  /** Age of the oldest quote used. */
  data_age_ms: number | null;
  gross_exposure_after: string | null;
  equity: string | null;
}

export type RiskDecisionKind = 'approved' | 'rejected';

export interface RiskDecision {
  risk_check_id: string;
  /** Where it is recorded (riskDecisionKey); a dry run's key is never recorded. */
  key: string;
  /** A pre_trade_risk_check: it reserved nothing and counted toward no window. */
  dry_run: boolean;
  intent_id: string;
  account: string;
  source: RiskCheckSource;
  decision: RiskDecisionKind;
  reasons: RiskReason[];
  metrics: RiskMetrics;
  legs: RiskLegMetrics[];
  var: VarComparison | null;
  /** The trading state the decision was taken under (after any breaker trip it caused). */
  trading_state: TradingState;
  /** Workflow time of the decision, ms epoch. */
  decided_at: number;
  fingerprint: string;
  /** The legs as asked, kept so an order of this intent can be matched to its approved leg. */
  requested_legs: RiskLeg[];
  /** True when this answer is the decision recorded earlier for the same intent id. */
  duplicate: boolean;
  workflow_id: string;
  /** The run of the risk workflow that decided. */
  run_id: string;
}

/** Who changed the trading state: an agent (tightening only) or a person (any direction). */
export type StateAuthority =
  | { kind: 'agent' }
  | { kind: 'breaker'; code: 'DAILY_LOSS_BREAKER' | 'DRAWDOWN_BREAKER' }
  | {
      kind: 'person';
      via: 'mcp_elicitation' | 'operator_cli';
      confirmed_by: string;
      /** mcp_elicitation only: the one-time loosening code the person entered (its id, never the code). */
      code_id?: string;
    };

export interface TradingStateChange {
  from: TradingState;
  to: TradingState;
  reason: string;
  authority: StateAuthority;
  at: number;
}

export interface SetTradingStateRequest {
  state: TradingState;
  reason: string;
  authority: StateAuthority;
}

export interface SetTradingStateResult {
  previous_state: TradingState;
  trading_state: TradingState;
  /** False when the account was already in that state. */
  changed: boolean;
  change: TradingStateChange | null;
}

/** Where the limits came from, recorded with them. */
export interface LimitsSource {
  /** The limits file read, or null when only built-in defaults and the environment applied. */
  file: string | null;
  /** Environment variables that overrode a value of the file. */
  env_overrides: string[];
}

export interface RiskSettings {
  mode: TradingMode;
  /** The venue whose tick stores supply quotes and returns. */
  exchange: string;
  limits: RiskLimits;
  limits_source: LimitsSource;
  /** Full decisions remembered for idempotency by intent id, carried across continue-as-new. */
  decision_memory: number;
  /** Checks handled before the run continues as new. */
  continue_as_new_after: number;
  /** History length past which the run continues as new. */
  history_limit: number;
  /** How long a loosening code stays valid (RISK_LOOSENING_CODE_TTL_SEC); absent in runs started before codes. */
  loosening_code_ttl_sec?: number;
}

/** The loss breaker's reference points, kept by the risk workflow. */
export interface BreakerState {
  /** UTC day (YYYY-MM-DD) day_open_equity belongs to. */
  day: string | null;
  day_open_equity: string | null;
  /** High-water mark of observed equity. */
  peak_equity: string | null;
  /**
   * The next observation acknowledges the loss at the equity then (an operator's reset): the day's
   * open and the high-water mark are kept, so the day's loss stays on the record.
   */
  acknowledge_pending: boolean;
  /**
   * A person's acknowledgement of a trip (loosening the state, or a reset): the breaker trips again
   * only when equity falls a further limit below this point, never on the loss the person accepted.
   */
  acknowledged: { equity: string; day: string; drawdown_pct: number; at: number } | null;
  /** The last trip, kept until a person acknowledges it. */
  tripped: { code: 'DAILY_LOSS_BREAKER' | 'DRAWDOWN_BREAKER'; message: string; at: number } | null;
}

/** A leg the gate approved whose order has not finished: it counts against cash, holdings and exposure. */
export interface Reservation {
  client_order_id: string;
  intent_id: string;
  symbol: string;
  side: FillSide;
  /** Base quantity still working (updated from the order's status). */
  qty: string;
  /** Price the remaining quantity is valued at for cash (limit or touch at approval). */
  price: string;
  created_at: number;
  /** Once an order was seen the reservation follows it; before that it lapses at this time. */
  expires_at: number;
  order_seen: boolean;
  /**
   * The order's gate has admitted this order (once; an intent's approval is a reservation its order
   * still has to be admitted against, exactly as approved, before expires_at).
   */
  admitted: boolean;
  /** The leg as approved, which the order must match exactly to be admitted against it. */
  approved_leg: RiskLeg;
}

/** An approved order or fill the gate waits for before a tightening answers. */
export interface InflightFill {
  client_order_id: string;
  key: string;
  at: number;
}

/** An approved leg remembered for the duplicate and throttle windows. */
export interface RecentApproval {
  at: number;
  intent_id: string;
  symbol: string;
  side: FillSide;
  /** "qty:<n>" or "quote:<n>", normalized, so equal sizes compare equal. */
  size_key: string;
}

export interface RiskCounters {
  checks: number;
  approved: number;
  rejected: number;
  /** pre_trade_risk_check calls answered (they count in neither approved nor rejected). */
  dry_runs: number;
  next_check_seq: number;
}

export interface RiskCarriedState {
  settings: RiskSettings;
  /** Workflow time the settings were loaded, ms epoch. */
  limits_loaded_at: number;
  trading_state: TradingState;
  state_log: TradingStateChange[];
  /** Oldest first, at most settings.decision_memory. */
  decisions: RiskDecision[];
  recent_approvals: RecentApproval[];
  /** Times of rejected requests within the throttle window. */
  recent_rejections: number[];
  reservations: Reservation[];
  /** Approvals of orders and fills not yet reported booked by their order workflow. */
  inflight_fills: InflightFill[];
  breaker: BreakerState;
  counters: RiskCounters;
  runs: number;
  /** One-time loosening codes the operator issued (digests only); absent until the first is issued. */
  loosening_codes?: LooseningCodeBook;
  /** Orders' checks queued by signal and not yet decided, oldest first; absent in runs before the queue. */
  queued_checks?: RiskCheckRequest[];
}

/**
 * A one-time code an operator issued (`loosen-code`) so a person at an MCP host can loosen one
 * account to one state. The code itself never reaches the workflow: only its SHA-256 digest,
 * salted with the account and the state (temporal/clients/loosening-code-crypto.ts).
 */
export interface LooseningCode {
  code_id: string;
  /** The state it loosens to. */
  state: TradingState;
  digest: string;
  issued_by: string;
  reason: string;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
  /** Replaced by a newer code for the same state, or revoked when the guard against guessing tripped. */
  revoked_at: number | null;
}

/** The account's loosening codes and the guard against guessing them. */
export interface LooseningCodeBook {
  /** Newest last, bounded. */
  codes: LooseningCode[];
  /** Times of refused code attempts within the guard's window. */
  failed_attempts: number[];
  /** Set when too many attempts failed: every redemption is refused until a new code is issued. */
  locked_at: number | null;
  next_seq: number;
}

export interface RiskWorkflowInput {
  account: string;
  carried?: RiskCarriedState;
}

/** What the tools and the operator read: everything but the decisions themselves. */
export interface RiskStateView {
  account: string;
  workflow_id: string;
  run_id: string;
  mode: TradingMode;
  exchange: string;
  trading_state: TradingState;
  last_change: TradingStateChange | null;
  state_log: TradingStateChange[];
  limits: RiskLimits;
  limits_source: LimitsSource;
  limits_loaded_at: number;
  breaker: BreakerState;
  reservations: Reservation[];
  counters: RiskCounters;
  runs: number;
}

export interface ReloadLimitsRequest {
  reason: string;
  requested_by: string;
}

export interface ResetBreakerRequest {
  reason: string;
  requested_by: string;
}

export interface RiskReportInput {
  account: string;
}

export interface ExposureRow {
  symbol: string;
  /** Held, from the ledger. */
  qty: string;
  /** Net base quantity of approved orders still working (+ buys, - sells). */
  working_qty: string;
  mark_price: string | null;
  mark_source: 'tick_store' | 'last_fill' | 'order' | null;
  market_value: string | null;
  weight_pct: number | null;
  annualised_volatility: number | null;
}

/** What get_risk_report answers (the report workflow's result). */
export interface RiskReport {
  account: string;
  mode: TradingMode;
  trading_state: TradingState;
  as_of: number;
  quote_currency: string;
  cash: string;
  equity: string | null;
  exposure: ExposureRow[];
  gross_exposure: string | null;
  net_exposure: string | null;
  var: (VarFigures & { limit: string; confidence: number; horizon_days: 1; observations: number; return_interval_sec: number }) | null;
  var_unavailable_reason: string | null;
  breaker: {
    day_open_equity: string | null;
    peak_equity: string | null;
    daily_loss: string | null;
    max_daily_loss: string;
    drawdown_pct: number | null;
    max_drawdown_pct: number;
    breached: boolean;
    tripped: BreakerState['tripped'];
  };
  decisions: { checks: number; approved: number; rejected: number };
  risk_workflow_id: string;
}

/** The gate: checks an intent (or answers the decision recorded for its intent id). */
export const riskCheckUpdate = defineUpdate<RiskDecision, [RiskCheckRequest]>('riskCheck');
/** Changes the trading state; an agent may only tighten, a person may also loosen. */
export const setTradingStateUpdate = defineUpdate<SetTradingStateResult, [SetTradingStateRequest]>('setTradingState');
/** Operator only (scripts/risk-operator.ts): loads the limits of the worker's configuration again. */
export const reloadLimitsUpdate = defineUpdate<RiskStateView, [ReloadLimitsRequest]>('reloadLimits');
/** Operator only: the next observation rebases the breaker's day open and high-water mark. */
export const resetBreakerUpdate = defineUpdate<RiskStateView, [ResetBreakerRequest]>('resetBreaker');

/** Operator only (`loosen-code`): a one-time code's digest for loosening this account to `state`. */
export interface IssueLooseningCodeRequest {
  state: TradingState;
  /** SHA-256 hex of the salted code; the code stays with the operator. */
  code_digest: string;
  reason: string;
  issued_by: string;
}

export interface IssuedLooseningCode {
  account: string;
  code_id: string;
  state: TradingState;
  issued_at: number;
  expires_at: number;
}

/** From set_trading_state, after the person at the host entered a code: loosen if the code holds. */
export interface RedeemLooseningCodeRequest {
  state: TradingState;
  reason: string;
  confirmed_by: string;
  /** SHA-256 hex of the entered code, salted the same way; the entered code never reaches history. */
  code_digest: string;
}

export const issueLooseningCodeUpdate = defineUpdate<IssuedLooseningCode, [IssueLooseningCodeRequest]>('issueLooseningCode');
export const redeemLooseningCodeUpdate = defineUpdate<SetTradingStateResult, [RedeemLooseningCodeRequest]>('redeemLooseningCode');

/**
 * From an order workflow: what it did with what the gate admitted (booked fills, came to rest, or
 * finished), so reservations follow the order at once and a tightening knows nothing is in flight.
 */
export interface OrderProgress {
  client_order_id: string;
  /** The decision key whose approval this settles (order gate or fill check), if any. */
  key: string | null;
  status: 'working' | 'terminal';
  remaining_qty: string;
}
export const orderProgressSignal = defineSignal<[OrderProgress]>('orderProgress');

/**
 * An order's check (source order_gate or fill_check), sent as a signal rather than an update:
 * signals queue without the server's limit on a workflow's in-flight updates, so a burst on one
 * account waits its turn in the gate's queue instead of being turned away, and the gate decides
 * what has queued in a batch that reads its inputs once. The answer goes back to the order's
 * workflow (orderWorkflowId of the leg's client_order_id) as riskAnswerSignal; a request sent again
 * is answered from the decision recorded under its key.
 */
export const queueRiskCheckSignal = defineSignal<[RiskCheckRequest]>('queueRiskCheck');

/** The gate's answer to a queued check: the decision, or why it could not take the request at all. */
export interface RiskAnswer {
  key: string;
  decision: RiskDecision | null;
  /** A request the gate will never accept (INVALID_RISK_REQUEST, INTENT_CONFLICT), or one it had no room to queue (RISK_GATE_BUSY). */
  failure: { type: string; message: string } | null;
}
export const riskAnswerSignal = defineSignal<[RiskAnswer]>('riskAnswer');

/** Checks the gate holds queued at most; beyond it a request is answered RISK_GATE_BUSY at once. */
export const MAX_QUEUED_CHECKS = 2_000;

/** null until the run has loaded its settings (its first moments). */
export const riskStateQuery = defineQuery<RiskStateView | null>('riskState');
/** A recorded decision by its key (riskDecisionKey). */
export const riskDecisionQuery = defineQuery<RiskDecision | null, [string]>('riskDecision');

/** Error types of the risk workflows; the server kit maps them to codes. */
export const INTENT_CONFLICT = 'IntentConflict';
export const LOOSENING_NEEDS_PERSON = 'LooseningNeedsPerson';
export const INVALID_RISK_REQUEST = 'InvalidRiskRequest';
/** The account's risk workflow is closed: nothing passes until an operator deals with it. */
export const RISK_WORKFLOW_CLOSED = 'RiskWorkflowClosed';
/**
 * The account's risk workflow did not take a request: it already held as many in flight as one
 * workflow may (Temporal's limit on in-flight updates). Retryable: the queue drains.
 */
export const RISK_GATE_BUSY = 'RiskGateBusy';
/** A loosening code that does not hold: unknown, for another account or state, expired, used or revoked. */
export const LOOSENING_CODE_INVALID = 'LooseningCodeInvalid';
/** Too many wrong loosening codes: every redemption is refused until the operator issues a new code. */
export const LOOSENING_CODE_LOCKED = 'LooseningCodeLocked';

/** The operator command that loosens the trading state, named in every refusal. */
export const operatorCommand = (state: TradingState, account: string): string =>
  `npm run risk:operator -- set-state ${state} --account ${account} --reason "<why>" --by "<your name>"`;

/** The operator command that issues the one-time code a person enters to loosen through MCP elicitation. */
export const looseningCodeCommand = (state: TradingState, account: string): string =>
  `npm run risk:operator -- loosen-code ${state} --account ${account} --reason "<why>"`;
