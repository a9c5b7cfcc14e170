#!/usr/bin/env node
/** The execution MCP server: a thin adapter whose tools forward into the shared worker. */
import { runServer } from '../kit/serve-group.js';
import { executionTools } from './tools/index.js';

runServer({
  group: 'execution',
  tools: executionTools,
  instructions: 'The execution tools of durable-crypto-agents.',
  // Written next to the built server by the build; from source the listing is made from the contracts.
  listing: new URL('./tools.json', import.meta.url),
});
