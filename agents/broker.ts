/**
 * The broker agent: chooses the pairs the ensemble agent trades and starts their streams, through
 * select_pairs on the agents server (launched from mcp.json like any MCP host would).
 *
 *   node --import tsx agents/broker.ts --pairs BTC/USDT,ETH/USDT [--exchange sim]
 *   node --import tsx agents/broker.ts            (asks for the pairs)
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { McpHost, ToolCallError } from './host/mcp-host.js';
import { selectPairsWithBroker } from './broker/select.js';

const { values } = parseArgs({ options: { pairs: { type: 'string' }, exchange: { type: 'string' }, agent: { type: 'string', default: 'ensemble' } } });

async function askForPairs(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no --pairs given and no terminal to ask: pass --pairs BTC/USDT,ETH/USDT');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('Pairs to trade (comma-separated, e.g. BTC/USDT,ETH/USDT): ')).trim() || 'BTC/USDT,ETH/USDT';
  } finally {
    rl.close();
  }
}

const host = await McpHost.launch({ name: 'broker', servers: ['agents', 'market'] });
try {
  const pairs = (values.pairs ?? (await askForPairs())).split(',').map((p) => p.trim()).filter(Boolean);
  const result = await selectPairsWithBroker(host, { agent: values.agent as string, symbols: pairs, ...(values.exchange ? { exchange: values.exchange } : {}) });
  console.log(result.summary);
} catch (err) {
  console.error(err instanceof ToolCallError ? err.text : err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await host.close();
}
