/**
 * Reads what a risk check decides on: the admitted orders' status first, then the account's
 * ledger, then quotes for every symbol involved. That order matters: a fill landing between two
 * reads is then counted twice (conservative), never missed. Every read is bounded in time; a
 * symbol whose tick store does not answer is reported without a quote (the check refuses it).
 */
import type { Client } from '@temporalio/client';
import type { LedgerSettings } from '../../../schemas/temporal/ledger.js';
import { tickStoreWorkflowId } from '../../../schemas/temporal/market.js';
import { isTerminalOrderStatus } from '../../../schemas/temporal/orders.js';
import type { GatherRiskInputsRequest, OrderObservation, RiskInputs, SymbolQuote } from '../../../domain/risk/risk-inputs.js';
import { readLedgerBalances } from '../../../temporal/clients/ledger.js';
import { queryOrder } from '../../../temporal/clients/orders/read-order.js';
import { readTicks } from '../../../temporal/clients/tick-store.js';

/** How long one read (all its tries) may take before its answer is treated as unavailable. */
export const RISK_QUERY_TIMEOUT_MS = 3_000;
/** Tries per read: a query that reaches a workflow just as it continues as new is dropped, and only a second try gets through. */
const TRIES = 2;

/**
 * A bounded read tried twice within one budget, each try with its share: a dropped query costs
 * half the budget instead of a refusal for data that was there all along.
 */
async function readTwice<T>(read: (timeoutMs: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + RISK_QUERY_TIMEOUT_MS;
  for (let attempt = 1; ; attempt += 1) {
    const left = deadline - Date.now();
    try {
      return await read(attempt < TRIES ? Math.floor(left / (TRIES - attempt + 1)) : left);
    } catch (err) {
      if (attempt >= TRIES || deadline - Date.now() < 200) throw err;
      // A workflow that answered at once that it is not ready yet (loading) needs a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface GatherContext {
  client: Client;
  taskQueue: string;
  ledgerSettings: LedgerSettings;
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';

async function observeOrder(client: Client, clientOrderId: string): Promise<OrderObservation> {
  try {
    const order = await readTwice((timeoutMs) => queryOrder(client, clientOrderId, timeoutMs));
    if (!order) return { client_order_id: clientOrderId, status: 'missing', remaining_qty: null };
    if (isTerminalOrderStatus(order.status)) return { client_order_id: clientOrderId, status: 'terminal', remaining_qty: null };
    // A pending order has not resolved its size yet: the reservation keeps the approved quantity.
    return { client_order_id: clientOrderId, status: 'working', remaining_qty: order.status === 'pending' ? null : order.remaining_qty };
  } catch {
    // Unknown is treated as still working: its reservation stays.
    return { client_order_id: clientOrderId, status: 'working', remaining_qty: null };
  }
}

export async function readQuote(client: Client, exchange: string, symbol: string): Promise<SymbolQuote> {
  const workflowId = tickStoreWorkflowId(exchange, symbol);
  const quote: SymbolQuote = { symbol, tick_store_workflow_id: workflowId, latest: null, previous: null, unavailable_reason: null };
  try {
    const page = await readTwice((timeoutMs) => readTicks(client, exchange, symbol, { limit: 2 }, { timeoutMs }));
    if (!page) return { ...quote, unavailable_reason: `no tick store ${workflowId} (no market stream has delivered ${symbol} from ${exchange})` };
    const [previous, latest] = page.ticks.length >= 2 ? page.ticks.slice(-2) : [undefined, page.ticks[0]];
    if (!latest) return { ...quote, unavailable_reason: `the tick store ${workflowId} holds no ticks yet` };
    const pick = (t: typeof latest) => ({ ts: t.ts, bid: t.bid, ask: t.ask, last: t.last });
    return { ...quote, latest: pick(latest), previous: previous ? pick(previous) : null };
  } catch (err) {
    return { ...quote, unavailable_reason: `the tick store ${workflowId} did not answer (${describe(err)})` };
  }
}

export async function gatherRiskInputs(ctx: GatherContext, req: GatherRiskInputsRequest): Promise<RiskInputs> {
  const { client } = ctx;
  const observed = await Promise.all(req.client_order_ids.map((id) => observeOrder(client, id)));
  const ledger = await readTwice((timeoutMs) => readLedgerBalances({ client, taskQueue: ctx.taskQueue, account: req.account, settings: ctx.ledgerSettings }, timeoutMs));
  const balances = ledger.data;
  const symbols = [...new Set([...req.symbols, ...Object.keys(balances.positions)])].sort();
  const quotes = await Promise.all(symbols.map((symbol) => readQuote(client, req.exchange, symbol)));
  return {
    gathered_at: Date.now(),
    portfolio: {
      quote_currency: balances.quote_currency,
      initial_cash: balances.initial_cash,
      cash: balances.cash,
      positions: Object.fromEntries(Object.entries(balances.positions).map(([symbol, p]) => [symbol, p.qty])),
      last_prices: Object.fromEntries(Object.entries(balances.last_prices).map(([symbol, p]) => [symbol, p.price])),
      ledger_workflow_id: ledger.workflow_id,
    },
    quotes: Object.fromEntries(quotes.map((q) => [q.symbol, q])),
    orders: Object.fromEntries(observed.map((o) => [o.client_order_id, o])),
  };
}
