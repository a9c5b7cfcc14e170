/**
 * What `npm start` shows: prices, the agent's decisions with reasons, risk rejections, fills and
 * PnL, read through the same MCP tools a host uses. In a terminal it redraws one screen; when
 * headless (or piped) it prints each event as a line.
 */
import type { McpHost } from '../../agents/host/mcp-host.js';
import type { EnsembleEvent } from '../../agents/ensemble/ensemble-agent.js';

interface Snapshot {
  simulated: boolean;
  quotes: Array<{ symbol: string; last: number; spread_bps: number; change_24h_pct: number | null; age_ms: number; stale: boolean }>;
}

interface Portfolio {
  cash: string;
  equity: string;
  realized_pnl: string;
  unrealized_pnl: string;
  fees_paid: string;
  net_pnl: string;
  fill_count: number;
  positions: Array<{ symbol: string; qty: string; avg_price: string; mark_price: string; unrealized_pnl: string }>;
}

interface Fills {
  fills: Array<{ ts: number; symbol: string; side: string; qty: string; price: string; fee: string; client_order_id: string }>;
}

export interface ViewState {
  events: EnsembleEvent[];
  rejectedIntents: number;
}

const MAX_EVENTS = 12;

export function recordEvent(state: ViewState, event: EnsembleEvent): void {
  state.events.push(event);
  if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
  if (event.kind === 'rejected') state.rejectedIntents += 1;
}

function money(text: string | undefined): string {
  const n = Number(text ?? 'NaN');
  return Number.isFinite(n) ? n.toFixed(2) : '-';
}

export async function renderScreen(host: McpHost, state: ViewState, pairs: string[], exchange: string, uiUrl: string | undefined): Promise<string> {
  const lines: string[] = [];
  const [snapshot, portfolio, fills] = await Promise.all([
    host.call<Snapshot>('get_market_snapshot', { symbols: pairs, exchange }).catch(() => undefined),
    host.call<Portfolio>('get_portfolio_status', {}).catch(() => undefined),
    host.call<Fills>('get_fills', { limit: 5 }).catch(() => undefined),
  ]);
  lines.push(`durable-crypto-agents  ·  ${new Date().toISOString()}  ·  ${exchange}${snapshot?.simulated ? ' (SIMULATED prices)' : ''}  ·  Ctrl-C to stop`);
  if (uiUrl) lines.push(`Temporal UI: ${uiUrl}`);
  lines.push('', 'PRICES');
  for (const q of snapshot?.quotes ?? []) {
    lines.push(`  ${q.symbol.padEnd(12)} ${q.last.toFixed(4).padStart(14)}  spread ${q.spread_bps.toFixed(1).padStart(5)} bps  24h ${(q.change_24h_pct ?? 0).toFixed(2).padStart(6)}%  ${q.stale ? 'STALE' : `${q.age_ms} ms`}`);
  }
  lines.push('', 'PORTFOLIO');
  if (portfolio) {
    lines.push(`  equity ${money(portfolio.equity)}  cash ${money(portfolio.cash)}  realized ${money(portfolio.realized_pnl)}  unrealized ${money(portfolio.unrealized_pnl)}  fees ${money(portfolio.fees_paid)}  net ${money(portfolio.net_pnl)}`);
    for (const p of portfolio.positions) lines.push(`  ${p.symbol.padEnd(12)} qty ${p.qty}  avg ${money(p.avg_price)}  mark ${money(p.mark_price)}  uPnL ${money(p.unrealized_pnl)}`);
  }
  lines.push('', `FILLS (${portfolio?.fill_count ?? 0} in all)`);
  for (const f of fills?.fills ?? []) lines.push(`  ${new Date(f.ts).toISOString().slice(11, 19)} ${f.side.padEnd(4)} ${f.qty} ${f.symbol} @ ${f.price} fee ${f.fee}  (${f.client_order_id})`);
  lines.push('', `DECISIONS (risk rejections so far: ${state.rejectedIntents})`);
  for (const e of state.events) lines.push(`  ${e.kind.padEnd(8)} ${e.text}`);
  return lines.join('\n');
}
