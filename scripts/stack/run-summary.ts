/** The summary `npm start -- --duration <sec>` prints at the end (and as one JSON line with --json). */
import { Client, Connection } from '@temporalio/client';
import type { McpHost } from '../../agents/host/mcp-host.js';
import { connectionOptions, type TemporalEnv } from '../../temporal/temporal-env.js';

export interface RunSummary {
  fills: number;
  realized_pnl: string;
  equity: string;
  nudges: number;
  rejected_intents: number;
  workflows: number;
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
    fills: portfolio?.fill_count ?? 0,
    realized_pnl: portfolio?.realized_pnl ?? '0',
    equity: portfolio?.equity ?? '0',
    nudges: agent?.nudges ?? 0,
    rejected_intents: rejectedIntents,
    workflows: await countWorkflows(env).catch(() => 0),
  };
}

export function formatSummary(s: RunSummary): string {
  return `summary: ${s.fills} fills, realized PnL ${s.realized_pnl}, equity ${s.equity}, ${s.nudges} nudges, ${s.rejected_intents} intents rejected by risk, ${s.workflows} workflows`;
}
