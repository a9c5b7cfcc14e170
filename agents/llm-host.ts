#!/usr/bin/env node
/**
 * The LLM host: an MCP host whose agent is a model behind an OpenAI-compatible or Anthropic API.
 * It launches the servers of mcp.json over stdio, takes prompts from its agent's inbox
 * (next_prompt), lets the model answer with the MCP tools offered as functions, and keeps the
 * whole conversation durably in Temporal (save_conversation_turn / get_conversation), so a
 * restart continues the same conversation.
 *
 *   node --import tsx agents/llm-host.ts        (configuration: environment, see agents/README.md)
 */
import { McpHost } from './host/mcp-host.js';
import { AgentLoop, FatalHostError, type HostLog } from './llm/agent-loop.js';
import { API_KEY_VARIABLES, LlmConfigError, llmHostConfigFromEnv, type LlmHostConfig } from './llm/config.js';
import { createProvider } from './llm/providers/index.js';
import { functionTools } from './llm/tool-catalog.js';

function readConfig(): LlmHostConfig {
  try {
    return llmHostConfigFromEnv();
  } catch (err) {
    if (!(err instanceof LlmConfigError)) throw err;
    console.error(`llm host: ${err.message}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log('usage: node --import tsx agents/llm-host.ts   (configured by environment variables; see agents/README.md)');
    return 0;
  }
  const config = readConfig();
  // The key lives on only in the provider's auth header: the MCP servers this host launches inherit
  // its environment, so the variables are removed before anything is spawned.
  for (const variable of API_KEY_VARIABLES) delete process.env[variable];

  const log: HostLog = {
    info: (line) => console.log(`[llm ${config.agent}] ${line}`),
    error: (line) => console.error(`[llm ${config.agent}] ${line}`),
  };
  const stop = new AbortController();
  const host = await McpHost.launch({ name: `llm-host-${config.agent}`, ...(config.servers ? { servers: config.servers } : {}) });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping');
    stop.abort();
    // A next_prompt still waiting is answered by closing the servers, which ends the loop.
    void host.close();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    const provider = createProvider(config.provider);
    const tools = functionTools(host.tools());
    log.info(`ready: ${provider.description}, ${tools.length} tools offered, conversation conversation:${config.agent}`);
    await new AgentLoop(host, provider, tools, config, log).run(stop.signal);
    return 0;
  } catch (err) {
    if (err instanceof FatalHostError) {
      log.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await host.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`llm host failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
