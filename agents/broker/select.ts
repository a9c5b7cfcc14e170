/** The broker's one act: select the pairs (which starts their streams and the nudge schedule). */
import type { McpHost } from '../host/mcp-host.js';

export interface SelectedPairs {
  exchange: string;
  symbols: string[];
  scheduleCreated: boolean;
  summary: string;
}

export async function selectPairsWithBroker(host: McpHost, req: { agent: string; symbols: string[]; exchange?: string }): Promise<SelectedPairs> {
  const result = await host.call<{ exchange: string; symbols: string[]; schedule_id: string; schedule_created: boolean; stream_workflow_ids: string[] }>(
    'select_pairs',
    { agent: req.agent, symbols: req.symbols, ...(req.exchange ? { exchange: req.exchange } : {}) },
  );
  const schedule = result.schedule_created ? `created nudge schedule ${result.schedule_id}` : `nudge schedule ${result.schedule_id} already running`;
  return {
    exchange: result.exchange,
    symbols: result.symbols,
    scheduleCreated: result.schedule_created,
    summary: `broker: ${req.agent} trades ${result.symbols.join(', ')} on ${result.exchange}; streams ${result.stream_workflow_ids.join(', ')}; ${schedule}`,
  };
}
