/**
 * The trading part of `npm start`: the broker selects the pairs (streams + nudge schedule), then
 * the ensemble agent trades paper on every nudge. Both are MCP hosts over the servers in mcp.json.
 */
import { McpHost } from '../../agents/host/mcp-host.js';
import { selectPairsWithBroker } from '../../agents/broker/select.js';
import { runEnsembleAgent, type EnsembleEvent } from '../../agents/ensemble/ensemble-agent.js';
import { loadStrategyParams } from '../../agents/strategy/load-params.js';
import { llmKeyIsSet, startLlmHostProcess } from './llm-host-process.js';

export interface TradingSessionOptions {
  env: Record<string, string>;
  pairs: string[];
  exchange?: string;
  onEvent(event: EnsembleEvent): void;
  log(line: string): void;
}

export interface TradingSession {
  host: McpHost;
  exchange: string;
  pairs: string[];
  stop(): Promise<void>;
}

export async function startTradingSession(opts: TradingSessionOptions): Promise<TradingSession> {
  const params = loadStrategyParams();
  const host = await McpHost.launch({ name: 'npm-start', env: opts.env });
  const selected = await selectPairsWithBroker(host, { agent: 'ensemble', symbols: opts.pairs, ...(opts.exchange ? { exchange: opts.exchange } : {}) }).catch(async (err: unknown) => {
    await host.close();
    throw err;
  });
  opts.log(selected.summary);
  if (llmKeyIsSet()) {
    // A model is the ensemble agent: the scripted strategy stays out of its way.
    opts.log('An LLM key is set: the LLM host is the ensemble agent (agents/llm-host.ts).');
    const llm = startLlmHostProcess({ ...process.env, ...opts.env }, opts.onEvent);
    return {
      host,
      exchange: selected.exchange,
      pairs: selected.symbols,
      async stop() {
        await llm.stop();
        await host.close();
      },
    };
  }
  const stop = new AbortController();
  const loop = runEnsembleAgent({
    host,
    agent: 'ensemble',
    params,
    lookbackTicks: Math.max(params.slowPeriod, params.reversionWindow) * 3,
    waitSec: 5,
    signal: stop.signal,
    onEvent: opts.onEvent,
  });
  return {
    host,
    exchange: selected.exchange,
    pairs: selected.symbols,
    async stop() {
      stop.abort();
      await loop.catch(() => undefined);
      await host.close();
    },
  };
}
