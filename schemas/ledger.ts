import { z } from 'zod';
import { defineContract } from './contract.js';
import { getAuditTrail } from './ledger-audit.js';
import { CANONICAL_DECIMAL, decimalProblem, plainDecimalIsPositive } from './primitives/decimal.js';
import { SHORT_NAME } from './primitives/short-name.js';
import { SPOT_SYMBOL } from './primitives/spot-symbol.js';
import { PERFORMANCE_WINDOWS } from './temporal/ledger.js';

/** Accounts name ledgers (and become part of a workflow id): short and id-safe. */
export const accountName = z
  .string()
  .regex(SHORT_NAME, 'use 1-64 characters: lowercase letters, digits, "-" or "_", starting with a letter or digit')
  .describe('Ledger account, "paper" unless you keep several');

/** Money and quantities travel as plain decimal strings, never floats. */
export const decimalString = z.string().describe('Decimal number as a string, e.g. "0.015"');

/**
 * A size or a price a caller sends: the canonical decimal spelling (schemas/primitives/decimal.ts),
 * greater than zero. The worker checks orders and risk requests with the same primitive, so what
 * passes here is never refused further in for its spelling; each refusal says how to write it.
 */
export const positiveDecimal = z
  .string({ error: (issue) => (issue.input === undefined ? undefined : (decimalProblem(issue.input) ?? undefined)) })
  .regex(CANONICAL_DECIMAL, { error: (issue) => decimalProblem(issue.input) ?? undefined })
  .refine(plainDecimalIsPositive, 'must be greater than zero');

export const spotSymbol = z
  .string()
  .regex(SPOT_SYMBOL, 'use a ccxt unified spot symbol in capitals, e.g. BTC/USDT')
  .describe('ccxt unified spot symbol, e.g. BTC/USDT');

export const epochMs = z.number().int().nonnegative();

const ledgerRef = {
  workflow_id: z.string().describe('The ledger workflow of the account (ledger:<account>)'),
  run_id: z.string().describe('The ledger run that answered'),
  report_workflow_id: z.string().describe('The workflow that recorded this read'),
};

const position = z.object({
  symbol: z.string(),
  qty: decimalString.describe('Base quantity held'),
  avg_price: decimalString.describe('Average cost per unit, quote currency'),
  cost: decimalString.describe('Cost basis, quote currency'),
  mark_price: decimalString.describe('Price the position is valued at'),
  mark_source: z.enum(['tick_store', 'last_fill']).describe('tick_store: mid of the newest tick of the symbol; last_fill: no live tick store, the last fill price'),
  mark_age_ms: z.number().int().nonnegative(),
  market_value: decimalString,
  unrealized_pnl: decimalString,
});

export const getPortfolioStatus = defineContract({
  name: 'get_portfolio_status',
  group: 'ledger',
  title: 'Portfolio status',
  description:
    "The account's cash, equity and open positions from the execution ledger (average cost, decimal money), each position valued at the newest tick-store mark (mid price) or, without a live tick store, at its last fill. Also realized and unrealized PnL, fees paid and exposure.",
  input: z.object({
    account: accountName.optional().describe('Ledger account; "paper" when omitted'),
  }),
  output: z.object({
    account: z.string(),
    quote_currency: z.string(),
    as_of_ts: epochMs.describe('When the report was taken, ms since the epoch'),
    initial_cash: decimalString,
    cash: decimalString,
    equity: decimalString.describe('Cash plus positions at their marks'),
    positions: z.array(position),
    realized_pnl: decimalString.describe('Realized PnL before fees'),
    unrealized_pnl: decimalString,
    fees_paid: decimalString.describe('All fees, valued in the quote currency at the fill price'),
    fees_by_currency: z.record(z.string(), decimalString).describe('Fees in the currency each was charged in'),
    net_pnl: decimalString.describe('equity - initial_cash = realized + unrealized - fees'),
    exposure: z.object({
      gross: decimalString,
      net: decimalString,
      gross_pct_of_equity: z.number(),
    }),
    fill_count: z.number().int().nonnegative(),
    last_fill_ts: epochMs.nullable(),
    ...ledgerRef,
    report_workflow_id: z
      .string()
      .nullable()
      .describe('The report workflow that recorded this read; null when the running ledger answered it by query (its history holds every fill the answer is made of)'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const MAX_FILLS_PAGE = 1_000;

const journalFill = z.object({
  seq: z.number().int().positive().describe('Position of the fill in the ledger'),
  fill_id: z.string(),
  client_order_id: z.string(),
  intent_id: z.string().nullable(),
  order_workflow_id: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: decimalString,
  price: decimalString,
  fee: decimalString,
  fee_currency: z.string(),
  fee_quote: decimalString.describe('The fee valued in the quote currency'),
  liquidity: z.enum(['maker', 'taker']),
  ts: epochMs.describe('Execution time, ms since the epoch'),
  realized_pnl: decimalString.describe('Realized by this fill, before fees'),
  cash_after: decimalString,
  position_qty_after: decimalString,
  avg_price_after: decimalString,
});

export const getFills = defineContract({
  name: 'get_fills',
  group: 'ledger',
  title: 'Fills journal',
  description: `The ledger's journal of fills, oldest first: the newest \`limit\` fills (default 100, at most ${MAX_FILLS_PAGE}) with ts >= since_ts and of the symbol, when given. Each fill names its order, intent and order workflow. The journal keeps the newest LEDGER_JOURNAL_LIMIT fills; balances always include every fill.`,
  input: z.object({
    account: accountName.optional().describe('Ledger account; "paper" when omitted'),
    since_ts: epochMs.optional().describe('Only fills at or after this time, ms since the epoch'),
    symbol: spotSymbol.optional().describe('Only fills of this symbol'),
    limit: z.number().int().min(1).max(MAX_FILLS_PAGE).default(100).describe(`At most this many fills (1-${MAX_FILLS_PAGE}), the newest matching`),
  }),
  output: z.object({
    account: z.string(),
    fills: z.array(journalFill),
    matched: z.number().int().nonnegative().describe('Matching fills in the journal (more than returned when limit cut them)'),
    retained_since_ts: epochMs.nullable().describe('Time of the oldest fill still in the journal'),
    fill_count: z.number().int().nonnegative().describe('Fills ever booked in the account'),
    ...ledgerRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

const equityPoint = z.object({
  ts: epochMs,
  equity: decimalString,
  source: z.enum(['open', 'fill', 'mark']).describe('open: starting cash; fill: valued at fill prices after a fill; mark: valued at marks'),
});

export const getPerformance = defineContract({
  name: 'get_performance',
  group: 'ledger',
  title: 'Performance',
  description:
    "Performance of the account over a window: total return, Sharpe and Sortino (zero risk-free rate, annualised over 365 days, from returns per equity-sampling period), max drawdown, win rate and profit factor of closing trades (sells, net of their fee), and the equity curve. Ratios are null when there is too little data (fewer than two periods, no variation, or no losing period or trade).",
  input: z.object({
    account: accountName.optional().describe('Ledger account; "paper" when omitted'),
    window: z.enum(PERFORMANCE_WINDOWS).default('all').describe('How far back: 1h, 24h, 7d, 30d or all (as far as the retained curve reaches)'),
  }),
  output: z.object({
    account: z.string(),
    window: z.enum(PERFORMANCE_WINDOWS),
    from_ts: epochMs,
    to_ts: epochMs,
    period_sec: z.number().positive().describe('Length of one return period'),
    periods: z.number().int().nonnegative(),
    start_equity: decimalString,
    end_equity: decimalString,
    total_return_pct: z.number(),
    sharpe: z.number().nullable(),
    sortino: z.number().nullable(),
    max_drawdown_pct: z.number().nonnegative(),
    max_drawdown_peak_ts: epochMs.nullable(),
    max_drawdown_trough_ts: epochMs.nullable(),
    trades: z.number().int().nonnegative(),
    wins: z.number().int().nonnegative(),
    losses: z.number().int().nonnegative(),
    win_rate_pct: z.number().nullable(),
    profit_factor: z.number().nullable().describe('Gross profit / gross loss; null without a losing trade'),
    equity_curve: z.array(equityPoint),
    data_since_ts: epochMs.nullable().describe('Oldest retained curve point'),
    ...ledgerRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const ledgerContracts = [getPortfolioStatus, getFills, getPerformance, getAuditTrail] as const;
