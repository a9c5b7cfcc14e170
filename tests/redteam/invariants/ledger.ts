/**
 * The books agree with themselves and with the gate: every fill is at least the venue's smallest
 * minimum and a whole number of its quantity steps (no dust such as 1e-18 BTC), positions never go short on spot, the portfolio holds
 * what the fills add up to, and the gate's count of working orders follows the orders (a filled or
 * cancelled order no longer holds capacity).
 */
import type { Client } from '@temporalio/client';
import { Decimal } from 'decimal.js';
import type { RiskStateView } from '../../../schemas/temporal/risk.js';
import { queryRiskState } from '../../../temporal/clients/risk.js';
import { SIM_MARKETS_BY_SYMBOL } from '../../../worker/activities/market/venues/sim/sim-catalog.js';
import { WORKING_STATUSES, type Snapshot } from './snapshot.js';
import type { Violation } from './violation.js';

/** How long the gate may take to hear that an order finished (the order workflow signals it). */
const SETTLE_MS = 5_000;
const SETTLE_POLL_MS = 500;

export function fillsAndPositions(snapshot: Snapshot): Violation[] {
  const violations: Violation[] = [];
  const fills = [...(snapshot.fills?.fills ?? [])].sort((a, b) => a.seq - b.seq);
  const last = new Map<string, Decimal>();
  for (const fill of fills) {
    const qty = new Decimal(fill.qty);
    const market = SIM_MARKETS_BY_SYMBOL.get(fill.symbol) as { amountStep: number; minQty?: number } | undefined;
    const step = market ? new Decimal(String(market.amountStep)) : null;
    const min = market ? new Decimal(String(market.minQty ?? market.amountStep)) : new Decimal(0);
    if (qty.lessThanOrEqualTo(0) || qty.lessThan(min) || (step && !qty.mod(step).isZero())) {
      violations.push({ invariant: 'fill-size', message: `fill ${fill.fill_id} of ${fill.qty} ${fill.symbol} is below the venue's minimum ${min.toFixed()} or off its step ${step?.toFixed()}`, context: { client_order_id: fill.client_order_id } });
    }
    const after = new Decimal(fill.position_qty_after);
    if (after.isNegative()) violations.push({ invariant: 'ledger-consistent', message: `fill ${fill.fill_id} left a short ${fill.symbol} position (${fill.position_qty_after}) on a spot account` });
    last.set(fill.symbol, after);
  }
  const { portfolio, fills: journal } = snapshot;
  // Only a complete journal can be held against the portfolio.
  if (!portfolio || !journal || journal.fills.length !== journal.fill_count) return violations;
  if (portfolio.fill_count !== journal.fill_count) {
    violations.push({ invariant: 'ledger-consistent', message: `get_portfolio_status counts ${portfolio.fill_count} fills, get_fills ${journal.fill_count}` });
  }
  const held = new Map(portfolio.positions.map((p) => [p.symbol, new Decimal(p.qty)]));
  for (const symbol of new Set([...held.keys(), ...last.keys()])) {
    const fromFills = last.get(symbol) ?? new Decimal(0);
    const inPortfolio = held.get(symbol) ?? new Decimal(0);
    if (!fromFills.equals(inPortfolio)) {
      violations.push({ invariant: 'ledger-consistent', message: `${symbol}: the fills add up to ${fromFills.toFixed()}, the portfolio holds ${inPortfolio.toFixed()}` });
    }
  }
  return violations;
}

function heldForFinished(view: RiskStateView | null, snapshot: Snapshot): string[] {
  return (view?.reservations ?? [])
    .map((r) => r.client_order_id)
    .filter((id) => {
      const order = snapshot.orders.get(id);
      return order !== undefined && !WORKING_STATUSES.has(order.status);
    });
}

export async function workingCountFollowsOrders(snapshot: Snapshot, client: Client, account: string): Promise<Violation[]> {
  let stale = heldForFinished(snapshot.view, snapshot);
  const deadline = Date.now() + SETTLE_MS;
  while (stale.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    const view = await queryRiskState(client, account).catch(() => undefined);
    // A failed read proves nothing: keep what was seen.
    if (view) stale = heldForFinished(view, snapshot);
  }
  return stale.map((id) => ({
    invariant: 'working-count-follows-orders' as const,
    message: `the gate still counts order ${id} as working (get_risk_limits working_orders) though it is ${snapshot.orders.get(id)?.status}`,
    context: { client_order_id: id },
  }));
}
