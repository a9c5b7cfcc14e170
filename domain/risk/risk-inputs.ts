/**
 * What the risk workflow gathers before it decides: quotes from the tick stores, the account's
 * balances from its ledger and the status of the orders it admitted. An activity reads them and its
 * result is recorded in history, so the pure decision that follows replays identically.
 */
import type { VarComparison } from '../../schemas/temporal/risk.js';

export interface QuoteTick {
  /** Venue time, ms epoch. */
  ts: number;
  bid: number;
  ask: number;
  last: number;
}

export interface SymbolQuote {
  symbol: string;
  tick_store_workflow_id: string;
  latest: QuoteTick | null;
  /** The tick before the latest one, for the jump check. */
  previous: QuoteTick | null;
  /** Why there is no quote (no tick store, or it did not answer), when latest is null. */
  unavailable_reason: string | null;
}

/** An admitted order as its workflow reports it. */
export interface OrderObservation {
  client_order_id: string;
  /** missing: no order workflow with this id (not placed yet); working: resting or filling; terminal: done. */
  status: 'missing' | 'working' | 'terminal';
  /** Base quantity still working, for a working order. */
  remaining_qty: string | null;
}

export interface PortfolioSnapshot {
  quote_currency: string;
  initial_cash: string;
  cash: string;
  /** Base quantity held, by symbol (open positions only). */
  positions: Record<string, string>;
  /** Last fill price by symbol: the mark of last resort. */
  last_prices: Record<string, string>;
  ledger_workflow_id: string;
}

export interface RiskInputs {
  /** The activity's clock when it finished reading, ms epoch (for the record; ages use workflow time). */
  gathered_at: number;
  portfolio: PortfolioSnapshot;
  quotes: Record<string, SymbolQuote>;
  orders: Record<string, OrderObservation>;
}

export interface GatherRiskInputsRequest {
  account: string;
  exchange: string;
  /** Symbols quoted besides those held: the intent's and the working orders'. */
  symbols: string[];
  /** Orders whose status is read (read before the ledger, so a fill in between is counted twice, never missed). */
  client_order_ids: string[];
}

export interface PortfolioVarRequest {
  exchange: string;
  /** Position values in the quote currency, signed, by symbol. */
  weights_before: Record<string, number>;
  weights_after: Record<string, number>;
  confidence: number;
  window_returns: number;
  interval_sec: number;
  min_observations: number;
  /** The return grid ends here (workflow time of the check), ms epoch. */
  end_ms: number;
}

export type PortfolioVarResult =
  | { available: true; comparison: VarComparison }
  | { available: false; reason: string; observations: number; missing_symbols: string[] };
