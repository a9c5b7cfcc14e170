/**
 * Everything the invariant checker looks at, read the way an agent reads it (the ledger, risk and
 * execution tools through the spawned servers) plus what only the trusted side sees: the risk
 * workflow's state log and reservations, through the same query the operator CLI's `status` uses.
 * A read that fails or answers outside its contract is itself reported.
 */
import type { z } from 'zod';
import { getOrderStatus } from '../../../schemas/execution-orders.js';
import { getFills, getPortfolioStatus } from '../../../schemas/ledger.js';
import { getRiskLimits } from '../../../schemas/risk.js';
import type { RiskStateView, TradingStateChange } from '../../../schemas/temporal/risk.js';
import { queryRiskState } from '../../../temporal/clients/risk.js';
import type { ConnectedServer } from '../../helpers/mcp-servers.js';
import type { HostileClient } from '../harness/hostile-client.js';
import type { TrackedOrder } from '../harness/journal.js';
import type { Violation } from './violation.js';

export type FillsView = z.output<typeof getFills.output>;
export type PortfolioView = z.output<typeof getPortfolioStatus.output>;
export type LimitsView = z.output<typeof getRiskLimits.output>;
export type OrderView = z.output<typeof getOrderStatus.output>;

export const WORKING_STATUSES: ReadonlySet<string> = new Set(['pending', 'open', 'partially_filled']);

export interface Snapshot {
  taken_at: number;
  fills: FillsView | null;
  portfolio: PortfolioView | null;
  limits: LimitsView | null;
  /** The state log: from get_risk_limits when it reports one, else from the risk workflow's query. */
  stateLog: TradingStateChange[];
  view: RiskStateView | null;
  /** The latest status of every order the client knows of, by client_order_id. */
  orders: Map<string, OrderView>;
  readErrors: Violation[];
}

interface Contract<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } };
}

async function readTool<T>(client: HostileClient, server: ConnectedServer, tool: string, args: Record<string, unknown>, output: Contract<T>, errors: Violation[], tolerated: string[] = []): Promise<T | null> {
  const outcome = await client.call(server, tool, args);
  if (!outcome.ok && tolerated.includes(outcome.error_code ?? '')) return null;
  if (!outcome.ok) {
    errors.push({ invariant: 'readable', message: `${tool} failed: ${outcome.text.slice(0, 300)}`, context: args });
    return null;
  }
  const parsed = output.safeParse(outcome.structured);
  if (!parsed.success) {
    errors.push({ invariant: 'readable', message: `${tool} answered outside its contract: ${parsed.error.message.slice(0, 300)}`, context: args });
    return null;
  }
  return parsed.data;
}

/** Orders already finished never change again, so each is read until it is terminal and then kept. */
export class OrderStatusCache {
  private readonly terminal = new Map<string, OrderView>();

  async read(client: HostileClient, orders: TrackedOrder[], errors: Violation[]): Promise<Map<string, OrderView>> {
    const result = new Map<string, OrderView>();
    await Promise.all(
      orders.map(async ({ client_order_id: id, source }) => {
        const known = this.terminal.get(id);
        if (known) return void result.set(id, known);
        // An intent's orders are started after submit_intent answers: one not found yet is still coming.
        const tolerated = source === 'submit_intent' ? ['ORDER_NOT_FOUND'] : [];
        const order = await readTool(client, client.stack.execution, 'get_order_status', { client_order_id: id }, getOrderStatus.output, errors, tolerated);
        if (!order) return;
        result.set(id, order);
        if (!WORKING_STATUSES.has(order.status)) this.terminal.set(id, order);
      }),
    );
    return result;
  }
}

/** How often the pair is read while fills keep landing between its two reads (an intent's orders fill after it answers). */
const LEDGER_PAIR_TRIES = 5;

/**
 * The fills and the portfolio as one picture: two tool calls are two reads of a ledger that fills
 * may reach in between, so the pair is read again until both count the same fills.
 */
async function readLedgerPair(client: HostileClient, account: string, errors: Violation[]): Promise<{ fills: FillsView | null; portfolio: PortfolioView | null }> {
  const { ledger } = client.stack;
  for (let attempt = 1; ; attempt += 1) {
    const tryErrors: Violation[] = [];
    const [fills, portfolio] = await Promise.all([
      readTool(client, ledger, 'get_fills', { account, limit: 1_000 }, getFills.output, tryErrors),
      readTool(client, ledger, 'get_portfolio_status', { account }, getPortfolioStatus.output, tryErrors),
    ]);
    const agree = !fills || !portfolio || fills.fill_count === portfolio.fill_count;
    if (agree || attempt >= LEDGER_PAIR_TRIES) {
      errors.push(...tryErrors);
      return { fills, portfolio };
    }
  }
}

export async function takeSnapshot(client: HostileClient, account: string, orders: OrderStatusCache): Promise<Snapshot> {
  const readErrors: Violation[] = [];
  const { risk } = client.stack;
  const [{ fills, portfolio }, limits, view, orderViews] = await Promise.all([
    readLedgerPair(client, account, readErrors),
    readTool(client, risk, 'get_risk_limits', { account }, getRiskLimits.output, readErrors),
    queryRiskState(client.stack.temporal.client, account).catch((err: unknown) => {
      readErrors.push({ invariant: 'readable', message: `the risk workflow's state query failed: ${err instanceof Error ? err.message : String(err)}` });
      return null;
    }),
    orders.read(client, client.journal.ordersOf(account), readErrors),
  ]);
  const reported = (limits as { state_log?: unknown } | null)?.state_log;
  const stateLog = Array.isArray(reported) ? (reported as TradingStateChange[]) : (view?.state_log ?? []);
  return { taken_at: Date.now(), fills, portfolio, limits, stateLog, view, orders: orderViews, readErrors };
}
