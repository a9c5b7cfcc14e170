/**
 * The summary `npm start` prints at the end (and as one JSON line with --json). A figure that
 * could not be read is null and named as such, never a zero: after a Ctrl-C in a terminal the
 * servers got the interrupt too and may be gone before the summary asks them.
 */
import { Client, Connection } from '@temporalio/client';
import type { McpHost } from '../../agents/host/mcp-host.js';
import { connectionOptions, type TemporalEnv } from '../../temporal/temporal-env.js';

export interface RunSummary {
  fills: number | null;
  realized_pnl: string | null;
  equity: string | null;
  nudges: number | null;
  rejected_intents: number;
  workflows: number | null;
}

async function countWorkflows(env: TemporalEnv): Promise<number> {
  const connection = await Connection.connect({ ...connectionOptions(env), connectTimeout: '5 seconds' });
  try {
    return (await new Client({ connection, namespace: env.namespace }).workflow.count()).count;
  } finally {
    await connection.close();
  }
}

export async function runSummary(host: McpHost | undefined, env: TemporalEnv, rejectedIntents: number): Promise<RunSummary> {
  const portfolio = host ? await host.call<{ fill_count: number; realized_pnl: string; equity: string }>('get_portfolio_status', {}).catch(() => undefined) : undefined;
  const agent = host ? await host.call<{ nudges: number }>('get_agent_status', { agent: 'ensemble' }).catch(() => undefined) : undefined;
  return {
    fills: portfolio?.fill_count ?? null,
    realized_pnl: portfolio?.realized_pnl ?? null,
    equity: portfolio?.equity ?? null,
    nudges: agent?.nudges ?? null,
    rejected_intents: rejectedIntents,
    workflows: await countWorkflows(env).catch(() => null),
  };
}

export function formatSummary(s: RunSummary): string {
  const shown = (value: number | string | null) => (value === null ? '?' : String(value));
  const line = `summary: ${shown(s.fills)} fills, realized PnL ${shown(s.realized_pnl)}, equity ${shown(s.equity)}, ${shown(s.nudges)} nudges, ${s.rejected_intents} intents rejected by risk, ${shown(s.workflows)} workflows`;
  // Each source says why it may be missing: the servers answer the first two, Temporal the last.
  const unread = [
    s.fills === null ? 'the portfolio (the ledger server did not answer)' : null,
    s.nudges === null ? "the ensemble's status (the agents server did not answer)" : null,
    s.workflows === null ? 'the workflow count (Temporal did not answer)' : null,
  ].filter(Boolean);
  return unread.length ? `${line} (? = not read: ${unread.join('; ')})` : line;
}
