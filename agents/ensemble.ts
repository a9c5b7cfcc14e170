/**
 * The ensemble agent as a process: an MCP host over the five servers from mcp.json that trades on
 * every nudge with the deterministic strategy. Ctrl-C stops it; a restart continues from the inbox.
 *
 *   node --import tsx agents/ensemble.ts [--agent ensemble]
 */
import { parseArgs } from 'node:util';
import { runEnsembleAgent } from './ensemble/ensemble-agent.js';
import { McpHost } from './host/mcp-host.js';
import { loadStrategyParams } from './strategy/load-params.js';

const { values } = parseArgs({ options: { agent: { type: 'string', default: 'ensemble' } } });
const params = loadStrategyParams();
const host = await McpHost.launch({ name: 'ensemble' });
const stop = new AbortController();
process.on('SIGINT', () => stop.abort());
process.on('SIGTERM', () => stop.abort());
console.log(`ensemble: waiting for prompts in ${values.agent}'s inbox (Ctrl-C to stop)`);
await runEnsembleAgent({
  host,
  agent: values.agent as string,
  params,
  lookbackTicks: Math.max(params.slowPeriod, params.reversionWindow) * 3,
  waitSec: 20,
  signal: stop.signal,
  onEvent: (e) => console.log(`${new Date().toISOString()} ${e.kind.padEnd(8)} ${e.text}`),
});
await host.close();
