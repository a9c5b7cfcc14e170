#!/usr/bin/env node
/** The execution MCP server: a thin adapter whose tools forward into the shared worker. */
import { serveGroup } from '../kit/serve-group.js';
import { executionTools } from './tools/index.js';

await serveGroup({ group: 'execution', tools: executionTools, instructions: 'The execution tools of durable-crypto-agents.' });
