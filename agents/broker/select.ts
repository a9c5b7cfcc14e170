/** The broker's one act: select the pairs (which starts their streams and the nudge schedule). */
import type { selectPairs } from '../../schemas/agents.js';
import type { ToolOutput } from '../../schemas/contract.js';
import type { McpHost } from '../host/mcp-host.js';

export interface SelectedPairs {
  exchange: string;
  symbols: string[];
  scheduleCreated: boolean;
  summary: string;
}

export async function selectPairsWithBroker(host: McpHost, req: { agent: string; symbols: string[]; exchange?: string }): Promise<SelectedPairs> {
  const result = await host.call<ToolOutput<typeof selectPairs>>(
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
