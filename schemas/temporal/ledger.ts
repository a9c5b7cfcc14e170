/**
 * The Temporal side of the ledger contract: one ExecutionLedgerWorkflow per account holds cash,
 * positions (average cost), realized PnL, fees, a bounded journal and an equity curve. Fills enter
 * through `applyFillUpdate`, whose validator rejects what cannot be applied before anything is
 * written; readers (the ledger tools, the risk gate) use the queries. Shared by the servers, the
 * worker and the other groups. Pure definitions only: this module is bundled into workflow code.
 *
 * Money is a decimal string everywhere here (never a float): parse it with decimal.js.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const EXECUTION_LEDGER_WORKFLOW = 'executionLedgerWorkflow';
/** Short workflows, one per ledger tool call, that read the ledger (and the marks) and shape the answer. */
export const PORTFOLIO_STATUS_WORKFLOW = 'portfolioStatusWorkflow';
export const FILLS_JOURNAL_WORKFLOW = 'fillsJournalWorkflow';
export const PERFORMANCE_REPORT_WORKFLOW = 'performanceReportWorkflow';

/** The account paper orders fill into unless another is named. */
export const DEFAULT_ACCOUNT = 'paper';

export const ledgerWorkflowId = (account: string): string => `ledger:${account}`;
/** A report workflow per call, grouped by tool and account in the Temporal UI. */
export const ledgerReportWorkflowId = (tool: string, account: string, requestId: string): string =>
  `ledger-report:${tool}:${account}:${requestId}`;

export type FillSide = 'buy' | 'sell';
export type FillLiquidity = 'maker' | 'taker';

/** One execution: what the ledger books. Decimal strings for every amount. */
export interface LedgerFill {
  /** Unique per execution; derived deterministically by whoever produces it, so a retry repeats it. */
  fill_id: string;
  client_order_id: string;
  intent_id: string | null;
  order_workflow_id: string;
  /** ccxt unified spot symbol, BASE/QUOTE; QUOTE must be the ledger's quote currency. */
  symbol: string;
  side: FillSide;
  /** Base-asset quantity, > 0. */
  qty: string;
  /** Quote per base, > 0. */
  price: string;
  /** >= 0, in fee_currency. */
  fee: string;
  /** The currency the fee was charged in: the symbol's quote or its base asset. */
  fee_currency: string;
  liquidity: FillLiquidity;
  /** Execution time, ms epoch. */
  ts: number;
}

/** Bounds and starting values of a ledger, from the worker's configuration (worker/config/ledger-config.ts). */
export interface LedgerSettings {
  /** Cash a new ledger starts with, decimal string in quote_currency. */
  initialCash: string;
  /** The currency cash is held in; every symbol booked must be quoted in it. */
  quoteCurrency: string;
  /** Journal entries kept (newest); older ones leave the journal but not the balances. */
  journalLimit: number;
  /** Fill ids remembered for de-duplication, at least journalLimit. */
  dedupeWindow: number;
  /** Equity curve points kept (newest). */
  equityCurveLimit: number;
  /** While positions are open, the ledger values them at the tick-store marks this often. */
  equitySampleSec: number;
  /** Fills applied before the run continues as new. */
  continueAsNewAfter: number;
  /** History length past which the run continues as new. */
  historyLimit: number;
  /**
   * The exchange whose tick stores mark this ledger's positions (the worker's MARKET_EXCHANGE when
   * the run started): what a reader that values positions without the worker needs. Absent in
   * runs begun before it was kept; such a ledger is valued by a report workflow instead.
   */
  marksExchange?: string;
}

export interface LedgerPosition {
  /** Base-asset quantity held, > 0 (closed positions are not listed). */
  qty: string;
  /** Average cost per unit in the quote currency (cost / qty, rounded for display). */
  avg_price: string;
  /** Cost basis of the position in the quote currency: what average cost is computed from. */
  cost: string;
}

/** What the risk gate needs: balances as the ledger holds them right now. */
export interface LedgerBalances {
  account: string;
  quote_currency: string;
  initial_cash: string;
  cash: string;
  /** Open positions by symbol. */
  positions: Record<string, LedgerPosition>;
  /** Realized PnL before fees, quote currency. */
  realized_pnl: string;
  /** All fees, valued in the quote currency at the fill price. */
  fees_paid: string;
  /** Fees in the currency each was charged in. */
  fees_by_currency: Record<string, string>;
  /** Last fill price and time per symbol ever traded: the mark of last resort. */
  last_prices: Record<string, { price: string; ts: number }>;
  fill_count: number;
  last_fill_ts: number | null;
}

/** A fill as the journal keeps it: the fill plus what booking it did. */
export interface JournalEntry extends LedgerFill {
  /** Position of this fill in the ledger, 1-based, increasing across runs. */
  seq: number;
  /** Realized PnL of this fill before fees (non-zero only for sells and base-asset fees). */
  realized_pnl: string;
  /** The fee valued in the quote currency at the fill price. */
  fee_quote: string;
  cash_after: string;
  position_qty_after: string;
  avg_price_after: string;
}

export interface EquityPoint {
  ts: number;
  equity: string;
  /**
   * 'open': the starting cash when the ledger was created; 'fill': valued at last fill prices
   * right after a fill; 'mark': valued at tick-store marks while positions are open.
   */
  source: 'open' | 'fill' | 'mark';
}

export interface ApplyFillResult {
  /** False when this fill_id had been applied before: nothing changed. */
  applied: boolean;
  /** The journal seq of this fill (the earlier one for a duplicate, when still remembered). */
  seq: number | null;
  cash: string;
  position: LedgerPosition | null;
}

/**
 * Books one fill. The validator rejects an invalid fill, a sale of more than is held (spot has no
 * short positions) and a purchase the cash cannot pay for; the handler books synchronously right
 * after, so nothing can change in between. A fill_id already applied returns applied:false.
 */
export const applyFillUpdate = defineUpdate<ApplyFillResult, [LedgerFill]>('applyFill');

export const ledgerBalancesQuery = defineQuery<LedgerBalances>('ledgerBalances');

/** The balances with the run that answered and the exchange its positions are marked on. */
export interface LedgerReading {
  run_id: string;
  marks_exchange: string | null;
  balances: LedgerBalances;
}

export const ledgerReadingQuery = defineQuery<LedgerReading>('ledgerReading');

export interface JournalRequest {
  /** Only fills with ts >= since_ts. */
  since_ts?: number | null;
  symbol?: string | null;
  /** The newest `limit` matching fills are returned, oldest first. */
  limit: number;
}

export interface JournalPage {
  fills: JournalEntry[];
  /** Matching fills in the retained journal (may exceed fills.length). */
  matched: number;
  /** ts of the oldest fill still in the journal, if any; older fills were trimmed. */
  retained_since_ts: number | null;
  /** Fills ever booked. */
  fill_count: number;
}

export const ledgerJournalQuery = defineQuery<JournalPage, [JournalRequest]>('ledgerJournal');

/** Everything performance needs: the equity curve and the closing trades (sells) in the journal. */
export interface PerformanceInputs {
  initial_cash: string;
  created_ts: number;
  equity_curve: EquityPoint[];
  /** Sells in the retained journal: ts and net PnL (realized minus that fill's fee), oldest first. */
  trades: Array<{ ts: number; pnl: string }>;
  equity_sample_sec: number;
}

export const ledgerPerformanceInputsQuery = defineQuery<PerformanceInputs>('ledgerPerformanceInputs');

export interface LedgerInput {
  account: string;
  /**
   * The starter's view of the settings. A new ledger ignores it and loads its account's settings
   * from the worker's accounts file (ledgers started before that patch used it); a continuing run
   * gets the worker's bounds here.
   */
  settings: LedgerSettings;
  /** State handed over by continue-as-new; absent for a new ledger. */
  carried?: LedgerCarriedState;
}

export interface LedgerCarriedState {
  settings: LedgerSettings;
  created_ts: number;
  cash: string;
  /** Open positions by symbol: quantity and cost basis (average price is derived). */
  positions: Record<string, { qty: string; cost: string }>;
  realized_pnl: string;
  fees_paid: string;
  fees_by_currency: Record<string, string>;
  last_prices: Record<string, { price: string; ts: number }>;
  fill_count: number;
  last_fill_ts: number | null;
  /** Oldest first, at most journalLimit. */
  journal: JournalEntry[];
  /** Recently applied fill ids with their seq, oldest first, at most dedupeWindow. */
  recent_fill_ids: Array<[string, number]>;
  /** Oldest first, at most equityCurveLimit. */
  equity_curve: EquityPoint[];
  runs: number;
}

/** Where a position's mark came from: the symbol's tick store, or (without one) the last fill. */
export type MarkSource = 'tick_store' | 'last_fill';

export interface PortfolioPosition {
  symbol: string;
  qty: string;
  avg_price: string;
  cost: string;
  mark_price: string;
  mark_source: MarkSource;
  /** Age of the mark against the report's clock, ms. */
  mark_age_ms: number;
  market_value: string;
  unrealized_pnl: string;
}

export interface PortfolioStatus {
  account: string;
  quote_currency: string;
  /** The report's clock, ms epoch. */
  as_of_ts: number;
  initial_cash: string;
  cash: string;
  /** Cash plus positions at their marks. */
  equity: string;
  positions: PortfolioPosition[];
  realized_pnl: string;
  unrealized_pnl: string;
  fees_paid: string;
  fees_by_currency: Record<string, string>;
  /** equity - initial cash = realized + unrealized - fees. */
  net_pnl: string;
  exposure: {
    /** Sum of |market value| of positions. */
    gross: string;
    /** Sum of market value (spot positions are long, so equal to gross). */
    net: string;
    /** gross / equity, percent. */
    gross_pct_of_equity: number;
  };
  fill_count: number;
  last_fill_ts: number | null;
}

export const PERFORMANCE_WINDOWS = ['1h', '24h', '7d', '30d', 'all'] as const;
export type PerformanceWindow = (typeof PERFORMANCE_WINDOWS)[number];

export interface PerformanceReport {
  account: string;
  window: PerformanceWindow;
  from_ts: number;
  to_ts: number;
  /** Length of one return period, seconds (the ledger's equity sampling interval). */
  period_sec: number;
  /** Full periods the ratios were computed from. */
  periods: number;
  start_equity: string;
  end_equity: string;
  total_return_pct: number;
  sharpe: number | null;
  sortino: number | null;
  max_drawdown_pct: number;
  max_drawdown_peak_ts: number | null;
  max_drawdown_trough_ts: number | null;
  /** Closing trades (sells) in the window, each net of its own fee. */
  trades: number;
  wins: number;
  losses: number;
  win_rate_pct: number | null;
  profit_factor: number | null;
  /** The retained equity curve inside the window, then the equity now. */
  equity_curve: EquityPoint[];
  /** The oldest retained curve point: the window cannot reach further back. */
  data_since_ts: number | null;
}

export interface PortfolioStatusRequest {
  account: string;
}

export interface FillsJournalRequest {
  account: string;
  journal: JournalRequest;
}

export interface PerformanceReportRequest {
  account: string;
  window: PerformanceWindow;
}

/** What a report workflow returns: the report and the ledger execution that answered it. */
export interface LedgerReport<T> {
  report: T;
  ledger_workflow_id: string;
  ledger_run_id: string;
}

/** Error types the ledger raises; the server kit turns them into codes (INSUFFICIENT_HOLDINGS, ...). */
export const INVALID_FILL = 'InvalidFill';
export const INSUFFICIENT_HOLDINGS = 'InsufficientHoldings';
export const INSUFFICIENT_CASH = 'InsufficientCash';
export const LEDGER_CLOSED = 'LedgerClosed';

/** A position's mark: the mid of its tick store's newest quote. */
export interface Mark {
  /** Mid price, decimal string in the quote currency. */
  price: string;
  /** Venue time of the tick, ms epoch. */
  ts: number;
  tick_store_workflow_id: string;
}

/** Marks by symbol; null where the symbol has no live tick store. */
export type Marks = Record<string, Mark | null>;
